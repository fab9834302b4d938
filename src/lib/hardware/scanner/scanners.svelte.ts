// Till barcode scanners beyond the keyboard wedge: USB HID POS scanners (WebHID) and serial scanners (Web
// Serial). Each read becomes a ScanResult like a camera or wedge read, so the Pay screen takes it the same way.
import type { ScanResult } from '../../scan/types';
import { loadHardwareSettings, saveHardwareSettings, type BaudRate, type ScannerConnection, type ScannerSettings } from '../settings';
import { plugInEvents } from '../printer/transports';
import { symbologyName } from './symbology';
import type { UnreadableReason } from './serial-lines';

export type ScannerLink = 'none' | 'connecting' | 'connected' | 'disconnected' | 'unsupported';

export function scannerApiAvailable(kind: ScannerConnection): boolean {
  const nav = navigator as Navigator & { hid?: unknown; serial?: unknown };
  return kind === 'hid' ? !!nav.hid : !!nav.serial;
}

/** A read from the serial scanner that could not be a code (see serial-lines.ts), shown to the cashier. */
export interface UnreadableScan {
  reason: UnreadableReason;
  bytes: number;
  at: number;
}

async function createScanner(
  kind: ScannerConnection,
  baudRate: BaudRate,
  onUnreadable: (u: UnreadableScan) => void,
): Promise<PosBarcodeScanner> {
  // HID scanners report their symbology; a serial scanner reports it with its AIM identifier (]Q1…), else it
  // is guessed from the text. A serial line cannot agree on a speed, so the cashier sets the scanner's.
  if (kind === 'hid') return new (await import('@point-of-sale/webhid-barcode-scanner')).default();
  const SerialBarcodeScanner = (await import('./serial-scanner')).default;
  return new SerialBarcodeScanner({ baudRate, onUnreadable: (reason, bytes) => onUnreadable({ reason, bytes, at: Date.now() }) });
}

class BarcodeScannerState {
  settings = $state<ScannerSettings>(loadHardwareSettings().scanner);
  link = $state<ScannerLink>('none');
  device = $state<PosDeviceInfo | null>(null);
  last = $state<ScanResult | null>(null);
  /** The latest read, when it was not a code (most often: the scanner runs at another speed than set). */
  unreadable = $state<UnreadableScan | null>(null);
  #scanner: PosBarcodeScanner | null = null;
  #kind: ScannerConnection | null = null;
  #listeners = new Set<(r: ScanResult) => void>();
  #plugIn: { target: EventTarget; fn: () => void } | null = null;

  get configured(): boolean {
    return this.settings.connection !== null;
  }

  /** Every read from the till scanner while subscribed (the Pay screen, Diagnostics). */
  subscribe(fn: (r: ScanResult) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** A serial scanner connected now is reopened at the new speed; otherwise it is kept for the next connect. */
  async setBaudRate(baudRate: BaudRate): Promise<void> {
    this.settings = { ...this.settings, baudRate };
    saveHardwareSettings({ scanner: this.settings });
    const s = this.#scanner;
    if (this.#kind !== 'serial' || !s) return;
    this.#scanner = null;
    this.#kind = null;
    this.link = 'disconnected';
    await s.disconnect().catch(() => undefined);
    await this.reconnect();
  }

  /** Opens the browser's device chooser: must run from a click. */
  async connect(kind: ScannerConnection): Promise<boolean> {
    if (!scannerApiAvailable(kind)) return false;
    this.link = 'connecting';
    const scanner = await this.#attach(kind);
    await scanner.connect();
    await new Promise((r) => setTimeout(r, 50));
    if (this.#linked()) return true;
    if (this.link === 'connecting') this.link = this.configured ? 'disconnected' : 'none';
    return false;
  }

  /** At start and on plug-in (the HID library also listens for plug-in itself). */
  async reconnect(): Promise<void> {
    const { connection, device } = this.settings;
    if (!connection || !scannerApiAvailable(connection) || this.#linked()) return;
    this.#watchPlugIn(connection);
    const scanner = await this.#attach(connection);
    await scanner.reconnect(device ?? undefined).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    if (!this.#linked()) this.link = 'disconnected';
  }

  async forget(): Promise<void> {
    const s = this.#scanner;
    this.#scanner = null;
    this.#kind = null;
    this.#plugIn?.target.removeEventListener('connect', this.#plugIn.fn);
    this.#plugIn = null;
    this.settings = { ...this.settings, connection: null, device: null };
    saveHardwareSettings({ scanner: this.settings });
    this.link = 'none';
    this.device = null;
    await s?.disconnect().catch(() => undefined);
  }

  #linked(): boolean {
    return this.link === 'connected';
  }

  async #attach(kind: ScannerConnection): Promise<PosBarcodeScanner> {
    if (this.#scanner && this.#kind === kind) return this.#scanner;
    await this.#scanner?.disconnect().catch(() => undefined);
    const scanner = await createScanner(kind, this.settings.baudRate, (u) => {
      if (this.#scanner === scanner) this.unreadable = u;
    });
    this.#scanner = scanner;
    this.#kind = kind;
    scanner.addEventListener('connected', (device) => {
      if (this.#scanner !== scanner) return;
      this.device = device;
      this.link = 'connected';
      this.settings = { ...this.settings, connection: kind, device };
      saveHardwareSettings({ scanner: this.settings });
      this.#watchPlugIn(kind);
    });
    scanner.addEventListener('disconnected', () => {
      if (this.#scanner === scanner) this.link = 'disconnected';
    });
    scanner.addEventListener('unsupported', () => {
      if (this.#scanner === scanner) this.link = 'unsupported';
    });
    scanner.addEventListener('barcode', (b) => {
      if (this.#scanner !== scanner) return;
      const result: ScanResult = { text: b.value, format: symbologyName(b.symbology), engine: kind, decodeMs: 0, at: Date.now() };
      this.last = result;
      this.unreadable = null;
      for (const fn of this.#listeners) fn(result);
    });
    return scanner;
  }

  #watchPlugIn(kind: ScannerConnection): void {
    const target = plugInEvents(kind);
    if (!target || this.#plugIn?.target === target) return;
    this.#plugIn?.target.removeEventListener('connect', this.#plugIn.fn);
    const fn = () => void this.reconnect();
    target.addEventListener('connect', fn);
    this.#plugIn = { target, fn };
  }
}

export const barcodeScanners = new BarcodeScannerState();
