// The three connections a receipt printer can have, each through its @point-of-sale library. The libraries
// are loaded only when a printer is set up (they touch navigator.usb/serial/bluetooth when constructed).
import type { BaudRate, PrinterConnection } from '../settings';

export function printerApiAvailable(kind: PrinterConnection): boolean {
  const nav = navigator as Navigator & { usb?: unknown; serial?: unknown; bluetooth?: unknown };
  return kind === 'usb' ? !!nav.usb : kind === 'serial' ? !!nav.serial : !!nav.bluetooth;
}

export async function createPrinterTransport(kind: PrinterConnection, baudRate: BaudRate): Promise<PosReceiptPrinter> {
  if (kind === 'usb') return new (await import('@point-of-sale/webusb-receipt-printer')).default();
  // A serial line has no way to agree on a speed: a wrong one prints garbage, so the cashier picks the printer's.
  if (kind === 'serial') return new (await import('@point-of-sale/webserial-receipt-printer')).default({ baudRate });
  return new (await import('@point-of-sale/webbluetooth-receipt-printer')).default();
}

/** The browser's event for a previously allowed device being plugged in again (Bluetooth has none). */
export function plugInEvents(kind: PrinterConnection | 'hid'): EventTarget | null {
  const nav = navigator as Navigator & { usb?: EventTarget; serial?: EventTarget; hid?: EventTarget };
  return kind === 'usb' ? (nav.usb ?? null) : kind === 'serial' ? (nav.serial ?? null) : kind === 'hid' ? (nav.hid ?? null) : null;
}

export function toBytes(data: DataView | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
