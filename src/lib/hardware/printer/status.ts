// ESC/POS real-time status (DLE EOT n): the printer answers one byte per request even while its buffer is
// full or it is off line, so the kiosk can say "no paper" before sending a job that would sit in the buffer.
// Each answer byte has bit 1 and bit 4 set and bits 0 and 7 clear (Epson's ESC/POS reference, DLE EOT).

export const STATUS_REQUEST = new Uint8Array([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);

export type PrinterCondition = 'ready' | 'paper-low' | 'no-paper' | 'cover-open' | 'offline' | 'error';

export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** The three answers to STATUS_REQUEST, in order: printer (n=1), off-line cause (n=2), roll paper sensor (n=4). */
export function parseStatus([printer, cause, paper]: [number, number, number]): PrinterCondition {
  if ((paper & 0x60) !== 0 || (cause & 0x20) !== 0) return 'no-paper';
  if ((cause & 0x04) !== 0) return 'cover-open';
  if ((cause & 0x40) !== 0) return 'error';
  if ((printer & 0x08) !== 0) return 'offline';
  if ((paper & 0x0c) !== 0) return 'paper-low';
  return 'ready';
}

/** Conditions in which a job would not come out of the printer now. */
export function blocksPrinting(c: PrinterCondition): boolean {
  return c === 'no-paper' || c === 'cover-open' || c === 'offline' || c === 'error';
}
