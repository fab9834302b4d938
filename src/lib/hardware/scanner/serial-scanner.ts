// A serial barcode scanner over Web Serial, with the same face as the @point-of-sale scanners (connect,
// reconnect, disconnect; 'connected', 'disconnected', 'barcode' events) so scanners.svelte.ts drives both
// kinds alike. Ours rather than @point-of-sale/webserial-barcode-scanner 1.2.2, which throws on every read
// with an AIM identifier, ends reads only after 300 ms of quiet (two quick reads become one) and reads bytes
// as Latin-1 — see serial-lines.ts and aim.ts for how reads are cut and named here.
import { SerialLineSplitter, type SerialRead, type UnreadableReason } from './serial-lines';

// The slice of Web Serial this uses (TypeScript's DOM library has no Web Serial types yet).
interface SerialPortLike extends EventTarget {
  readonly readable: ReadableStream<Uint8Array> | null;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
}
interface SerialLike extends EventTarget {
  requestPort(): Promise<SerialPortLike>;
  getPorts(): Promise<SerialPortLike[]>;
}

/** Quiet after which a read from a scanner that sends no terminator is complete. A scanner sends a code in
 *  one burst; USB-serial adapters batch bytes for ≤ 16 ms (FTDI latency timer), so gaps inside a read are short. */
export const IDLE_END_MS = 150;
/** Quiet after which a read from a scanner that does end its reads (CR/LF) is taken as cut short: no hurry,
 *  its terminator ends the read, so only a stall this long drops it. */
export const STALLED_READ_MS = 1000;

export interface SerialScannerOptions {
  baudRate: number;
  idleMs?: number;
  /** Bytes that end a read; CR and LF unless the scanner is set to another suffix. */
  terminators?: number[];
  /** A read that cannot be a code (wrong baud rate, line noise, cut short): reported, never a barcode. */
  onUnreadable?: (reason: UnreadableReason, bytes: number) => void;
}

type Listener = (arg?: never) => void;

function serialApi(): SerialLike | null {
  return (navigator as Navigator & { serial?: SerialLike }).serial ?? null;
}

export default class SerialBarcodeScanner implements PosBarcodeScanner {
  readonly #options: SerialScannerOptions;
  readonly #listeners = new Map<string, Set<Listener>>();
  #port: SerialPortLike | null = null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #reading: Promise<void> | null = null;
  #closing = false;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #onUnplug = (event: Event) => {
    if (event.target !== this.#port) return;
    this.#closing = true;
    void this.#reader?.cancel().catch(() => undefined);
  };

  constructor(options: SerialScannerOptions) {
    this.#options = options;
  }

  addEventListener(event: 'connected', fn: (device: PosDeviceInfo) => void): void;
  addEventListener(event: 'disconnected' | 'unsupported', fn: () => void): void;
  addEventListener(event: 'barcode', fn: (barcode: PosBarcode) => void): void;
  addEventListener(event: string, fn: (arg: never) => void): void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(fn as Listener);
    this.#listeners.set(event, set);
  }

  /** The browser's port chooser: must run from a click. Resolves once the port is open (or was not chosen). */
  async connect(): Promise<void> {
    const serial = serialApi();
    const port = await serial?.requestPort().catch(() => null);
    if (port) await this.#open(port);
  }

  /** The port this browser already allowed, found by its USB ids (a built-in RS-232 port has none). */
  async reconnect(previous?: PosDeviceInfo): Promise<void> {
    if (!previous?.vendorId || !previous.productId) return;
    const ports = (await serialApi()?.getPorts()) ?? [];
    const matches = ports.filter((p) => {
      const info = p.getInfo();
      return info.usbVendorId === previous.vendorId && info.usbProductId === previous.productId;
    });
    if (matches.length === 1) await this.#open(matches[0]);
  }

  /** Stops reading, releases the stream and closes the port, so it can be opened again (at another speed). */
  async disconnect(): Promise<void> {
    if (!this.#port) return;
    this.#closing = true;
    await this.#reader?.cancel().catch(() => undefined);
    await this.#reading;
  }

  async #open(port: SerialPortLike): Promise<void> {
    if (this.#port) await this.disconnect();
    try {
      await port.open({ baudRate: this.#options.baudRate });
    } catch {
      // Already open elsewhere (another tab, the printer's settings) or gone: not connected.
      return;
    }
    this.#port = port;
    this.#closing = false;
    serialApi()?.addEventListener('disconnect', this.#onUnplug);
    const info = port.getInfo();
    this.#emit('connected', { type: 'serial', vendorId: info.usbVendorId ?? null, productId: info.usbProductId ?? null });
    this.#reading = this.#readLoop(port);
  }

  async #readLoop(port: SerialPortLike): Promise<void> {
    const lines = new SerialLineSplitter(this.#options.terminators);
    // A framing, parity or overrun error (a wrong speed, line noise) ends this stream and the port offers a
    // new one; a lost device leaves it null. Either way the bytes in hand are not a whole read.
    let ended = false;
    while (port.readable && !this.#closing && !ended) {
      const reader = port.readable.getReader();
      this.#reader = reader;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          ended = done;
          if (done) break;
          if (value) this.#take(lines, lines.push(value));
        }
      } catch {
        if (lines.pending) this.#options.onUnreadable?.('garbled', 0);
      } finally {
        this.#stopIdle();
        lines.reset();
        reader.releaseLock();
      }
    }
    this.#reader = null;
    serialApi()?.removeEventListener('disconnect', this.#onUnplug);
    await port.close().catch(() => undefined);
    if (this.#port === port) this.#port = null;
    this.#emit('disconnected');
  }

  #take(lines: SerialLineSplitter, reads: SerialRead[]): void {
    this.#stopIdle();
    for (const read of reads) this.#deliver(read);
    if (!lines.pending) return;
    this.#idleTimer = setTimeout(
      () => {
        this.#idleTimer = null;
        const read = lines.idle();
        if (read) this.#deliver(read);
      },
      lines.sendsTerminator ? STALLED_READ_MS : (this.#options.idleMs ?? IDLE_END_MS),
    );
  }

  #deliver(read: SerialRead): void {
    if (read.kind === 'unreadable') this.#options.onUnreadable?.(read.reason, read.bytes);
    else this.#emit('barcode', { value: read.text, symbology: read.symbology, aim: read.aim ?? undefined });
  }

  #stopIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  #emit(event: string, arg?: unknown): void {
    for (const fn of this.#listeners.get(event) ?? []) (fn as (a: unknown) => void)(arg);
  }
}
