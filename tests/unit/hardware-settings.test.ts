// Till hardware settings as the tablet remembers them (localStorage): the serial speed of the printer and of
// the scanner is kept apart, survives a reload, and an unknown stored value falls back to 9600.
// The device libraries' ambient types (PosDeviceInfo), which the kiosk's own tsconfig includes and this one does not.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../src/types/point-of-sale.d.ts" />
import { beforeEach, describe, expect, it } from 'vitest';
import { BAUD_RATES, loadHardwareSettings, saveHardwareSettings, toBaudRate } from '../../src/lib/hardware/settings';

const store = new Map<string, string>();
beforeEach(() => {
  store.clear();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    },
  });
});

describe('serial speed in the hardware settings', () => {
  it('is 9600 until chosen', () => {
    const s = loadHardwareSettings();
    expect(s.printer.baudRate).toBe(9600);
    expect(s.scanner.baudRate).toBe(9600);
  });

  it('is remembered for the printer and the scanner separately', () => {
    saveHardwareSettings({ printer: { ...loadHardwareSettings().printer, baudRate: 38400 } });
    saveHardwareSettings({ scanner: { ...loadHardwareSettings().scanner, baudRate: 115200 } });
    const s = loadHardwareSettings();
    expect(s.printer.baudRate).toBe(38400);
    expect(s.scanner.baudRate).toBe(115200);
  });

  it('settings saved before the setting existed, or a speed not offered, read as 9600', () => {
    store.set('kiosk.hardware', JSON.stringify({ printer: { connection: 'serial', device: null }, scanner: { baudRate: 12345 } }));
    const s = loadHardwareSettings();
    expect(s.printer.baudRate).toBe(9600);
    expect(s.printer.connection).toBe('serial');
    expect(s.scanner.baudRate).toBe(9600);
  });

  it('offers the common speeds, and reads a select value as one of them', () => {
    expect(BAUD_RATES).toEqual([9600, 19200, 38400, 57600, 115200]);
    expect(toBaudRate('57600')).toBe(57600);
    expect(toBaudRate('abc')).toBe(9600);
  });
});
