// What this tablet remembers about its till hardware (localStorage, per device like the pairing token). The
// browser keeps the device permission itself; this keeps which device and how to print on it.
import type { PaperWidth } from './printer/layout';

export type PrinterConnection = 'usb' | 'serial' | 'bluetooth';
export type ScannerConnection = 'hid' | 'serial';

/** The speeds serial printers and scanners ship at; most ESC/POS printers at 9600 or 38400, scanners at 9600 or 115200. */
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

export function toBaudRate(value: unknown): BaudRate {
  return BAUD_RATES.find((b) => b === Number(value)) ?? 9600;
}

export interface PrinterSettings {
  connection: PrinterConnection | null;
  device: PosDeviceInfo | null;
  width: PaperWidth;
  autoPrint: boolean;
  logo: boolean;
  /** Used only on a serial connection, on connect and every reconnect. */
  baudRate: BaudRate;
}

export interface ScannerSettings {
  connection: ScannerConnection | null;
  device: PosDeviceInfo | null;
  baudRate: BaudRate;
}

const KEY = 'kiosk.hardware';

interface Stored {
  printer: PrinterSettings;
  scanner: ScannerSettings;
}

const DEFAULTS: Stored = {
  printer: { connection: null, device: null, width: 80, autoPrint: false, logo: true, baudRate: 9600 },
  scanner: { connection: null, device: null, baudRate: 9600 },
};

export function loadHardwareSettings(): Stored {
  try {
    const raw = localStorage.getItem(KEY);
    const saved = raw ? (JSON.parse(raw) as Partial<Stored>) : {};
    const printer = { ...DEFAULTS.printer, ...saved.printer };
    const scanner = { ...DEFAULTS.scanner, ...saved.scanner };
    return {
      printer: { ...printer, baudRate: toBaudRate(printer.baudRate) },
      scanner: { ...scanner, baudRate: toBaudRate(scanner.baudRate) },
    };
  } catch {
    return structuredClone(DEFAULTS);
  }
}

export function saveHardwareSettings(patch: Partial<Stored>): void {
  const next = { ...loadHardwareSettings(), ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Private mode or full storage: the devices still work for this session.
  }
}
