// The till's receipt printer: set up once in Settings, reconnected at start and whenever the browser sees
// it plugged in again, asked for its status before each job so the cashier hears "no paper" instead of
// watching nothing come out. No printer set up: callers fall back to the browser's print dialog.
import { loadHardwareSettings, saveHardwareSettings, type BaudRate, type PrinterConnection, type PrinterSettings } from '../settings';
import type { TextMode } from './encode';
import type { ImageLike, PrintDocument } from './layout';
import { blocksPrinting, isStatusByte, parseStatus, STATUS_REQUEST, type PrinterCondition } from './status';
import { createPrinterTransport, plugInEvents, printerApiAvailable, toBytes } from './transports';

export type PrinterLink = 'none' | 'connecting' | 'connected' | 'disconnected';
/** 'unknown': connected, but the printer never answered a status request (many Bluetooth models). */
export type PrinterState = PrinterCondition | 'unknown';
export type PrintOutcome = 'printed' | 'no-printer' | 'failed';

const STATUS_WAIT_MS = 1500;
/** While idle, how often a printer that reports status is asked: paper runs out between sales too. */
const IDLE_CHECK_MS = 30_000;

export interface PrintExtras {
  logo?: () => Promise<ImageLike | null>;
}

class ReceiptPrinterState {
  settings = $state<PrinterSettings>(loadHardwareSettings().printer);
  link = $state<PrinterLink>('none');
  condition = $state<PrinterState>('unknown');
  printing = $state(false);
  /** The device as its library described it on connecting. */
  device = $state<PosDeviceInfo | null>(null);
  /** The last job sent, for Diagnostics. */
  lastJob = $state<{ document: string; bytes: number; mode: TextMode; at: number } | null>(null);

  #transport: PosReceiptPrinter | null = null;
  #kind: PrinterConnection | null = null;
  #answers: number[] = [];
  #answered: (() => void) | null = null;
  #reportsStatus = false;
  #plugIn: { target: EventTarget; fn: () => void } | null = null;
  #painter: Promise<typeof import('./canvas-painter')> | null = null;
  #statusCheck: Promise<PrinterState> | null = null;
  #idleTimer: ReturnType<typeof setInterval> | null = null;
  #encoder: Promise<typeof import('./encode')> | null = null;

  get configured(): boolean {
    return this.settings.connection !== null;
  }

  /** True when a job sent now would come out of the printer. */
  get ready(): boolean {
    return this.link === 'connected' && !(this.condition !== 'unknown' && blocksPrinting(this.condition));
  }

  update(patch: Partial<Pick<PrinterSettings, 'width' | 'autoPrint' | 'logo'>>): void {
    this.settings = { ...this.settings, ...patch };
    saveHardwareSettings({ printer: this.settings });
  }

  /** A serial printer connected now is reopened at the new speed; otherwise it is kept for the next connect. */
  async setBaudRate(baudRate: BaudRate): Promise<void> {
    this.settings = { ...this.settings, baudRate };
    saveHardwareSettings({ printer: this.settings });
    const t = this.#transport;
    if (this.#kind !== 'serial' || !t) return;
    this.#transport = null;
    this.#kind = null;
    this.link = 'disconnected';
    await t.disconnect().catch(() => undefined);
    await this.reconnect();
  }

  /** Opens the browser's device chooser: must run from a click. */
  async connect(kind: PrinterConnection): Promise<boolean> {
    if (!printerApiAvailable(kind)) return false;
    this.link = 'connecting';
    const transport = await this.#attach(kind);
    await transport.connect();
    // The library announces success with its 'connected' event on a later task; a closed chooser stays silent.
    await new Promise((r) => setTimeout(r, 50));
    if (this.#linked()) return true;
    this.link = this.configured ? 'disconnected' : 'none';
    return false;
  }

  /** At start and on plug-in: the device this tablet was set up with, if the browser still allows it. */
  async reconnect(): Promise<void> {
    const { connection, device } = this.settings;
    if (!connection || !device || !printerApiAvailable(connection) || this.link === 'connected') return;
    this.#watchPlugIn(connection);
    const transport = await this.#attach(connection);
    await transport.reconnect(device).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    if (!this.#linked()) this.link = 'disconnected';
  }

  async forget(): Promise<void> {
    const t = this.#transport;
    this.#transport = null;
    this.#kind = null;
    this.#unwatchPlugIn();
    this.settings = { ...this.settings, connection: null, device: null };
    saveHardwareSettings({ printer: this.settings });
    this.link = 'none';
    this.device = null;
    this.condition = 'unknown';
    if (this.#idleTimer) clearInterval(this.#idleTimer);
    this.#idleTimer = null;
    await t?.disconnect().catch(() => undefined);
  }

  /** Asks the printer how it is (DLE EOT); a printer that has answered before and now does not is off line. */
  checkStatus(): Promise<PrinterState> {
    // One request at a time: the answers are bare bytes, matched to a request only by their order.
    return (this.#statusCheck ??= this.#askStatus().finally(() => (this.#statusCheck = null)));
  }

  async #askStatus(): Promise<PrinterState> {
    const t = this.#transport;
    if (!t || this.link !== 'connected') return this.condition;
    this.#answers = [];
    const answered = new Promise<void>((resolve) => (this.#answered = resolve));
    await t.print(STATUS_REQUEST);
    const timeout = new Promise<void>((r) => setTimeout(r, this.#reportsStatus ? STATUS_WAIT_MS : STATUS_WAIT_MS / 3));
    await Promise.race([answered, timeout]);
    this.#answered = null;
    if (this.#answers.length >= 3) {
      this.#reportsStatus = true;
      const [a, b, c] = this.#answers;
      this.condition = parseStatus([a, b, c]);
    } else {
      this.condition = this.#reportsStatus ? 'offline' : 'unknown';
    }
    return this.condition;
  }

  /** Prints on the till's printer; 'no-printer' tells the caller to use the browser's print dialog. */
  async print(doc: PrintDocument, extras: PrintExtras = {}): Promise<PrintOutcome> {
    if (!this.configured) return 'no-printer';
    if (this.link !== 'connected' || !this.#transport) return 'failed';
    this.printing = true;
    try {
      const state = await this.checkStatus();
      if (state !== 'unknown' && blocksPrinting(state)) return 'failed';
      const [{ encodeDocument }, painter, logo] = await Promise.all([
        this.#loadEncoder(),
        this.#loadPainter(),
        this.settings.logo && extras.logo ? extras.logo() : null,
      ]);
      const { bytes, mode } = encodeDocument(doc, {
        width: this.settings.width,
        codepageMapping: this.device?.codepageMapping,
        logo,
        painter: painter.canvasPainter,
      });
      await this.#transport.print(bytes);
      this.lastJob = { document: doc.name, bytes: bytes.length, mode, at: Date.now() };
      await this.checkStatus();
      return 'printed';
    } finally {
      this.printing = false;
    }
  }

  // A method, not an inline comparison: the device libraries' events change `link` while we await.
  #linked(): boolean {
    return this.link === 'connected';
  }

  // The encoder (~100 KB) loads with the first job, not with the first screen.
  #loadEncoder() {
    return (this.#encoder ??= import('./encode'));
  }

  #loadPainter() {
    return (this.#painter ??= import('./canvas-painter'));
  }

  async #attach(kind: PrinterConnection): Promise<PosReceiptPrinter> {
    if (this.#transport && this.#kind === kind) return this.#transport;
    await this.#transport?.disconnect().catch(() => undefined);
    const transport = await createPrinterTransport(kind, this.settings.baudRate);
    this.#transport = transport;
    this.#kind = kind;
    this.#reportsStatus = false;
    transport.addEventListener('connected', (device) => {
      if (this.#transport !== transport) return;
      this.device = device;
      this.link = 'connected';
      this.condition = 'unknown';
      this.settings = { ...this.settings, connection: kind, device };
      saveHardwareSettings({ printer: this.settings });
      this.#watchPlugIn(kind);
      void transport.listen().then(() => this.checkStatus());
      this.#idleTimer ??= setInterval(() => {
        if (this.#reportsStatus && !this.printing) void this.checkStatus();
      }, IDLE_CHECK_MS);
    });
    transport.addEventListener('disconnected', () => {
      if (this.#transport !== transport) return;
      this.link = 'disconnected';
    });
    transport.addEventListener('data', (data) => {
      for (const b of toBytes(data)) if (isStatusByte(b)) this.#answers.push(b);
      if (this.#answers.length >= 3) this.#answered?.();
    });
    return transport;
  }

  #watchPlugIn(kind: PrinterConnection): void {
    const target = plugInEvents(kind);
    if (!target || this.#plugIn?.target === target) return;
    this.#unwatchPlugIn();
    const fn = () => void this.reconnect();
    target.addEventListener('connect', fn);
    this.#plugIn = { target, fn };
  }

  #unwatchPlugIn(): void {
    this.#plugIn?.target.removeEventListener('connect', this.#plugIn.fn);
    this.#plugIn = null;
  }
}

export const receiptPrinter = new ReceiptPrinterState();
