// What this tablet remembers about its till hardware (localStorage, per device like the pairing token). The
// browser keeps the device permission itself; this keeps which device and how to print on it.
import type { PaperWidth } from './printer/layout';

export type PrinterConnection = 'usb' | 'serial' | 'bluetooth';
export type ScannerConnection = 'hid' | 'serial';

export interface PrinterSettings {
  connection: PrinterConnection | null;
  device: PosDeviceInfo | null;
  width: PaperWidth;
  autoPrint: boolean;
  logo: boolean;
}

export interface ScannerSettings {
  connection: ScannerConnection | null;
  device: PosDeviceInfo | null;
}

const KEY = 'kiosk.hardware';

interface Stored {
  printer: PrinterSettings;
  scanner: ScannerSettings;
}

const DEFAULTS: Stored = {
  printer: { connection: null, device: null, width: 80, autoPrint: false, logo: true },
  scanner: { connection: null, device: null },
};

export function loadHardwareSettings(): Stored {
  try {
    const raw = localStorage.getItem(KEY);
    const saved = raw ? (JSON.parse(raw) as Partial<Stored>) : {};
    return { printer: { ...DEFAULTS.printer, ...saved.printer }, scanner: { ...DEFAULTS.scanner, ...saved.scanner } };
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
