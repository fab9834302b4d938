// Bytes from a serial scanner → one read per code. A read ends at CR, LF or CRLF (the scanner's suffix) or,
// for a scanner that sends none, when the line goes quiet. Chunks arrive as the USB-serial adapter delivers
// them, so a read can be split anywhere, even between CR and LF. Text is UTF-8. Anything that is not text a
// code could hold (a wrong baud rate reads as high bytes and control characters) is reported as unreadable,
// never passed on: a garbled read must not reach checkout as a payment code.
import { readSymbology, type SymbologyRead } from './aim';

export type UnreadableReason = 'garbled' | 'incomplete' | 'too-long';

export type SerialRead = ({ kind: 'code' } & SymbologyRead) | { kind: 'unreadable'; reason: UnreadableReason; bytes: number };

const CR = 0x0d;
const LF = 0x0a;
/** Longer than any code a scanner reads (a full PDF417 holds ~1.8 KB): a line past it is noise, dropped. */
export const MAX_READ_BYTES = 4096;

// Controls a code may carry: GS (FNC1 in GS1 data), RS and EOT (ISO/IEC 15434 envelopes), FS, TAB.
// Any other C0 or C1 control in a read means the bytes were not received as sent.
// eslint-disable-next-line no-control-regex
const FOREIGN_CONTROL = /[\u0000-\u0003\u0005-\u0008\u000a-\u001b\u001f\u007f-\u009f]/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One read's bytes (terminator excluded) → the code, or why it cannot be one. */
export function decodeRead(bytes: Uint8Array): SerialRead {
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    return { kind: 'unreadable', reason: 'garbled', bytes: bytes.length };
  }
  if (FOREIGN_CONTROL.test(raw)) return { kind: 'unreadable', reason: 'garbled', bytes: bytes.length };
  const read = readSymbology(raw);
  if (!read.text) return { kind: 'unreadable', reason: 'incomplete', bytes: bytes.length };
  return { kind: 'code', ...read };
}

export class SerialLineSplitter {
  readonly #terminators: ReadonlySet<number>;
  #pending: number[] = [];
  #overflowed = false;
  #sendsTerminator = false;
  /** After a read was cut short, its tail up to the next terminator is not a read of its own. */
  #inTail = false;

  constructor(terminators: readonly number[] = [CR, LF]) {
    this.#terminators = new Set(terminators);
  }

  get pending(): boolean {
    return this.#pending.length > 0 || this.#overflowed;
  }

  /** Whether this scanner ends its reads with a terminator: then a quiet line means a read was cut short. */
  get sendsTerminator(): boolean {
    return this.#sendsTerminator;
  }

  /** The reads this chunk completes; empty lines (the LF of a CRLF) are not reads. */
  push(chunk: Uint8Array): SerialRead[] {
    const reads: SerialRead[] = [];
    for (const byte of chunk) {
      if (!this.#terminators.has(byte)) {
        if (this.#pending.length < MAX_READ_BYTES) this.#pending.push(byte);
        else this.#overflowed = true;
        continue;
      }
      this.#sendsTerminator = true;
      const read = this.#inTail ? this.#dropTail() : this.#take();
      if (read) reads.push(read);
    }
    return reads;
  }

  /** The line went quiet: the end of a read for a scanner without a terminator, else a read cut short. */
  idle(): SerialRead | null {
    if (!this.pending) return null;
    if (!this.#sendsTerminator) return this.#take();
    const bytes = this.#pending.length;
    this.reset();
    this.#inTail = true;
    return { kind: 'unreadable', reason: 'incomplete', bytes };
  }

  /** Drops a partial read (the port errored or was reopened). */
  reset(): void {
    this.#pending = [];
    this.#overflowed = false;
    this.#inTail = false;
  }

  #dropTail(): SerialRead | null {
    const bytes = this.#pending.length;
    this.reset();
    return bytes ? { kind: 'unreadable', reason: 'incomplete', bytes } : null;
  }

  #take(): SerialRead | null {
    const bytes = Uint8Array.from(this.#pending);
    const overflowed = this.#overflowed;
    this.reset();
    if (overflowed) return { kind: 'unreadable', reason: 'too-long', bytes: bytes.length };
    return bytes.length ? decodeRead(bytes) : null;
  }
}
