// DLE EOT answers → what the cashier is told, and till-scanner symbologies → the kiosk's ZXing-style names.
import { describe, expect, it } from 'vitest';
import { blocksPrinting, isStatusByte, parseStatus, STATUS_REQUEST } from '../../src/lib/hardware/printer/status';
import { symbologyName } from '../../src/lib/hardware/scanner/symbology';

// Every answer byte has bits 1 and 4 set: 0x12 is "all clear".
const OK = 0x12;

describe('printer status (DLE EOT 1, 2, 4)', () => {
  it('asks for printer, off-line cause and roll paper status, in that order', () => {
    expect([...STATUS_REQUEST]).toEqual([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
  });

  it('reads each condition from its bit', () => {
    expect(parseStatus([OK, OK, OK])).toBe('ready');
    expect(parseStatus([OK, OK, OK | 0x60])).toBe('no-paper');
    expect(parseStatus([OK | 0x08, OK | 0x20, OK])).toBe('no-paper');
    expect(parseStatus([OK | 0x08, OK | 0x04, OK])).toBe('cover-open');
    expect(parseStatus([OK | 0x08, OK | 0x40, OK])).toBe('error');
    expect(parseStatus([OK | 0x08, OK, OK])).toBe('offline');
    expect(parseStatus([OK, OK, OK | 0x0c])).toBe('paper-low');
  });

  it('prints on low paper, not on no paper, open cover or off line', () => {
    expect(blocksPrinting('paper-low')).toBe(false);
    expect(blocksPrinting('ready')).toBe(false);
    for (const c of ['no-paper', 'cover-open', 'offline', 'error'] as const) expect(blocksPrinting(c)).toBe(true);
  });

  it('tells status bytes from other data the printer sends', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x72)).toBe(true);
    expect(isStatusByte(0x00)).toBe(false);
    expect(isStatusByte(0x41)).toBe(false);
  });
});

describe('scanner symbology names', () => {
  it('maps the library names to ZXing names, keeps unknown ones, and says Unknown for none', () => {
    expect(symbologyName('qr-code')).toBe('QRCode');
    expect(symbologyName('ean13')).toBe('EAN-13');
    expect(symbologyName('code128')).toBe('Code128');
    expect(symbologyName('telepen')).toBe('telepen');
    expect(symbologyName(undefined)).toBe('Unknown');
  });
});
