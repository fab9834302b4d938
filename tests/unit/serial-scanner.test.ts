// The serial scanner's reads: AIM identifiers → symbology and stripped from the code, reads cut at CR, LF or
// CRLF wherever the chunks split, at quiet for scanners without a terminator, garbage reported and never passed
// on as a code; and the port's life (unplug, framing errors, disconnect releasing the lock and closing).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../src/types/point-of-sale.d.ts" />
import { afterEach, describe, expect, it } from 'vitest';
import { guessSymbology, readSymbology } from '../../src/lib/hardware/scanner/aim';
import { decodeRead, MAX_READ_BYTES, SerialLineSplitter, type SerialRead } from '../../src/lib/hardware/scanner/serial-lines';
import SerialBarcodeScanner from '../../src/lib/hardware/scanner/serial-scanner';

const bytes = (s: string) => new TextEncoder().encode(s);
const codes = (reads: SerialRead[]) => reads.map((r) => (r.kind === 'code' ? `${r.text}|${r.symbology}|${r.aim ?? ''}` : `!${r.reason}`));

describe('AIM identifiers', () => {
  it.each([
    [']Q1https://pay.example/x', 'QRCode', 'https://pay.example/x'],
    [']C0OK0000000001', 'Code128', 'OK0000000001'],
    [']C1010123456789012810ABC', 'Code128', '010123456789012810ABC'],
    [']E04006381333931', 'EAN-13', '4006381333931'],
    [']E0123456789', 'EAN/UPC', '123456789'],
    [']E455123457', 'EAN-8', '55123457'],
    [']E00036000291452', 'EAN-13', '0036000291452'],
    [']E0036000291452', 'UPC-A', '036000291452'],
    [']E001234565', 'UPC-E', '01234565'],
    [']d2010123456789012810ABC', 'DataMatrix', '010123456789012810ABC'],
    [']L2PDF-DATA', 'PDF417', 'PDF-DATA'],
    [']A0CODE39', 'Code39', 'CODE39'],
    [']I012345678901231', 'ITF', '12345678901231'],
    [']z0AZTEC', 'Aztec', 'AZTEC'],
    [']F0A123B', 'Codabar', 'A123B'],
    [']G0CODE93', 'Code93', 'CODE93'],
  ])('%s → %s, %s', (raw, symbology, text) => {
    expect(readSymbology(raw)).toEqual({ text, symbology, aim: raw.slice(0, 3) });
  });

  it('an identifier it has no name for is still stripped, and shown as sent', () => {
    expect(readSymbology(']H1123')).toEqual({ text: '123', symbology: 'AIM ]H1', aim: ']H1' });
  });

  it('"]" not followed by a letter and a modifier is the code itself', () => {
    expect(readSymbology(']1abc')).toEqual({ text: ']1abc', symbology: 'Unknown', aim: null });
    expect(readSymbology(']Q')).toEqual({ text: ']Q', symbology: 'Unknown', aim: null });
  });

  it('without an identifier the symbology is guessed from the text', () => {
    expect(guessSymbology('4006381333931')).toBe('EAN-13');
    expect(guessSymbology('4006381333932')).toBe('Unknown'); // check digit wrong
    expect(guessSymbology('036000291452')).toBe('UPC-A');
    expect(guessSymbology('55123457')).toBe('EAN-8');
    expect(guessSymbology('10012345678902')).toBe('ITF');
    expect(guessSymbology('https://example.test/r/1')).toBe('QRCode');
    expect(guessSymbology('x'.repeat(40))).toBe('QRCode');
    expect(guessSymbology('9990001234500016')).toBe('Unknown');
    expect(readSymbology('OK0000000001')).toEqual({ text: 'OK0000000001', symbology: 'Unknown', aim: null });
  });
});

describe('cutting the byte stream into reads', () => {
  it('ends a read at CR, LF or CRLF; the LF of a CRLF is not an empty read', () => {
    const lines = new SerialLineSplitter();
    expect(codes(lines.push(bytes('A1\rB2\nC3\r\nD4\r\n')))).toEqual(['A1|Unknown|', 'B2|Unknown|', 'C3|Unknown|', 'D4|Unknown|']);
    expect(lines.pending).toBe(false);
  });

  it('puts a read split across chunks back together, even between CR and LF', () => {
    const lines = new SerialLineSplitter();
    expect(lines.push(bytes(']Q1999000'))).toEqual([]);
    expect(lines.push(bytes('1234500016\r'))).toHaveLength(1);
    expect(lines.push(bytes('\n]C0OK00'))).toEqual([]);
    expect(codes(lines.push(bytes('00000001\r\n')))).toEqual(['OK0000000001|Code128|]C0']);
  });

  it('splits a chunk at every byte and still gets the same code', () => {
    const lines = new SerialLineSplitter();
    const reads = [...bytes(']Q19990001234500016\r\n')].flatMap((b) => lines.push(Uint8Array.of(b)));
    expect(codes(reads)).toEqual(['9990001234500016|QRCode|]Q1']);
  });

  it('a scanner with no terminator: the read ends when the line goes quiet', () => {
    const lines = new SerialLineSplitter();
    expect(lines.push(bytes(']Q1OK00000'))).toEqual([]);
    expect(lines.push(bytes('00001'))).toEqual([]);
    expect(lines.idle()).toEqual({ kind: 'code', text: 'OK0000000001', symbology: 'QRCode', aim: ']Q1' });
    expect(lines.idle()).toBeNull();
  });

  it('a scanner that sends terminators: a quiet line mid-read is a read cut short, not a code', () => {
    const lines = new SerialLineSplitter();
    lines.push(bytes('OK0000000001\r'));
    lines.push(bytes('PWD0000'));
    expect(lines.idle()).toEqual({ kind: 'unreadable', reason: 'incomplete', bytes: 7 });
    // Its tail, when it comes, is not a code either (a fragment must not reach checkout).
    expect(codes(lines.push(bytes('00001\r')))).toEqual(['!incomplete']);
    expect(codes(lines.push(bytes('PWD000000001\r')))).toEqual(['PWD000000001|Unknown|']);
  });

  it('a configured terminator (TAB) ends reads instead of CR/LF', () => {
    const lines = new SerialLineSplitter([0x09]);
    expect(codes(lines.push(bytes('A1\tB2\t')))).toEqual(['A1|Unknown|', 'B2|Unknown|']);
  });

  it('reads text as UTF-8, even when a character is split across chunks', () => {
    const lines = new SerialLineSplitter();
    const z = bytes('Zürich-1\r');
    expect(lines.push(z.slice(0, 2))).toEqual([]);
    expect(codes(lines.push(z.slice(2)))).toEqual(['Zürich-1|Unknown|']);
  });

  it('binary garbage (a wrong baud rate) is reported as unreadable, never as a code', () => {
    const garbled = bytes('9990001234500016').map((b) => (b ^ 0x5a) | 0x80);
    const lines = new SerialLineSplitter();
    expect(lines.push(garbled)).toEqual([]);
    expect(lines.idle()).toEqual({ kind: 'unreadable', reason: 'garbled', bytes: 16 });
    expect(decodeRead(Uint8Array.of(0x41, 0x00, 0x42))).toMatchObject({ kind: 'unreadable', reason: 'garbled' });
    expect(decodeRead(bytes('A\u0085B'))).toMatchObject({ kind: 'unreadable', reason: 'garbled' });
    expect(decodeRead(bytes(']Q1'))).toMatchObject({ kind: 'unreadable', reason: 'incomplete' });
    // GS (FNC1 in GS1 data) belongs in a code.
    expect(decodeRead(bytes(']C101095011010209171719050810ABCD1234\u001d2110'))).toMatchObject({ kind: 'code', symbology: 'Code128' });
  });

  it('a line longer than any code is dropped whole, and the next read is clean', () => {
    const lines = new SerialLineSplitter();
    expect(lines.push(new Uint8Array(MAX_READ_BYTES + 10).fill(0x41))).toEqual([]);
    expect(lines.push(bytes('\rOK0000000001\r'))).toEqual([
      { kind: 'unreadable', reason: 'too-long', bytes: MAX_READ_BYTES },
      { kind: 'code', text: 'OK0000000001', symbology: 'Unknown', aim: null },
    ]);
  });
});

// A USB-serial port as Web Serial shows it: a readable stream per open, replaced after a non-fatal error,
// null after the device is lost. The serial object is where 'disconnect' events are heard.
class FakePort extends EventTarget {
  opens: number[] = [];
  closes = 0;
  #stream: ReadableStream<Uint8Array> | null = null;
  #feed: ReadableStreamDefaultController<Uint8Array> | null = null;
  #lost = false;
  get readable() {
    return this.#lost ? null : this.#stream;
  }
  getInfo() {
    return { usbVendorId: 0x0c2e, usbProductId: 0x0b61 };
  }
  async open(o: { baudRate: number }) {
    if (this.#stream) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.opens.push(o.baudRate);
    this.#lost = false;
    this.#newStream();
  }
  async close() {
    if (this.#stream?.locked) throw new TypeError('Cannot close a locked stream');
    this.closes++;
    this.#stream = null;
  }
  send(s: string | Uint8Array) {
    this.#feed?.enqueue(typeof s === 'string' ? bytes(s) : s);
  }
  lineError() {
    this.#feed?.error(new DOMException('Framing error', 'FramingError'));
    this.#newStream();
  }
  unplug(serial: EventTarget, { event }: { event: boolean }) {
    this.#lost = true;
    if (event) {
      // Chromium fires it at the port and it bubbles to navigator.serial: there, event.target is the port.
      const ev = new Event('disconnect');
      Object.defineProperty(ev, 'target', { value: this });
      serial.dispatchEvent(ev);
    } else this.#feed?.error(new DOMException('The device has been lost.', 'NetworkError'));
  }
  #newStream() {
    this.#stream = new ReadableStream<Uint8Array>({ start: (c) => void (this.#feed = c) });
  }
}

class FakeSerial extends EventTarget {
  constructor(readonly port: FakePort) {
    super();
  }
  async requestPort() {
    return this.port;
  }
  async getPorts() {
    return [this.port];
  }
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

async function setUp(idleMs = 40) {
  const port = new FakePort();
  const serial = new FakeSerial(port);
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { serial } });
  const events: string[] = [];
  const scanner = new SerialBarcodeScanner({
    baudRate: 19200,
    idleMs,
    onUnreadable: (reason, n) => events.push(`unreadable ${reason} ${n}`),
  });
  scanner.addEventListener('connected', (d) => events.push(`connected ${d.vendorId}:${d.productId}`));
  scanner.addEventListener('disconnected', () => events.push('disconnected'));
  scanner.addEventListener('barcode', (b) => events.push(`barcode ${b.value} ${b.symbology} ${b.aim ?? ''}`));
  return { port, serial, scanner, events };
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'navigator');
});

describe('the serial scanner on its port', () => {
  it('opens at the chosen speed and hands over each code without its AIM identifier or terminator', async () => {
    const { port, scanner, events } = await setUp();
    await scanner.connect();
    expect(port.opens).toEqual([19200]);
    port.send(']Q19990001');
    await tick();
    port.send('234500016\r');
    port.send(']C0OK0000000001\r]E04006381333931\r');
    await tick();
    expect(events).toEqual([
      'connected 3118:2913',
      'barcode 9990001234500016 QRCode ]Q1',
      'barcode OK0000000001 Code128 ]C0',
      'barcode 4006381333931 EAN-13 ]E0',
    ]);
  });

  it('without a terminator, the code comes when the line goes quiet', async () => {
    const { port, scanner, events } = await setUp(30);
    await scanner.connect();
    port.send('OK00000');
    await tick(10);
    port.send('00001');
    await tick(10);
    expect(events).toEqual(['connected 3118:2913']);
    await tick(60);
    expect(events).toEqual(['connected 3118:2913', 'barcode OK0000000001 Unknown ']);
  });

  it('garbage is reported as unreadable, then the next good read still comes through', async () => {
    const { port, scanner, events } = await setUp();
    await scanner.connect();
    port.send(bytes('OK0000000001\r').map((b) => (b ^ 0x5a) | 0x80));
    await tick(80);
    port.send('OK0000000001\r');
    await tick();
    expect(events).toEqual(['connected 3118:2913', 'unreadable garbled 13', 'barcode OK0000000001 Unknown ']);
  });

  it('a framing error drops the bytes in hand and reading goes on', async () => {
    const { port, scanner, events } = await setUp();
    await scanner.connect();
    port.send('OK00000');
    await tick();
    port.lineError();
    await tick();
    port.send('PWD000000001\r');
    await tick();
    expect(events).toEqual(['connected 3118:2913', 'unreadable garbled 0', 'barcode PWD000000001 Unknown ']);
  });

  it.each([true, false])('unplugged (disconnect event: %s): disconnected, the port closed, and it reopens on plug-in', async (event) => {
    const { port, serial, scanner, events } = await setUp();
    await scanner.connect();
    port.unplug(serial, { event });
    await tick();
    expect(events).toEqual(['connected 3118:2913', 'disconnected']);
    expect(port.closes).toBe(1);
    await scanner.reconnect({ type: 'serial', vendorId: 0x0c2e, productId: 0x0b61 });
    expect(port.opens).toEqual([19200, 19200]);
    port.send(']Q1OK0000000001\r');
    await tick();
    expect(events.slice(2)).toEqual(['connected 3118:2913', 'barcode OK0000000001 QRCode ]Q1']);
  });

  it('disconnect() cancels the pending read, releases the lock and closes the port', async () => {
    const { port, scanner, events } = await setUp();
    await scanner.connect();
    const readable = port.readable;
    expect(readable?.locked).toBe(true);
    await scanner.disconnect();
    expect(readable?.locked).toBe(false);
    expect(port.closes).toBe(1);
    expect(port.readable).toBeNull();
    expect(events).toEqual(['connected 3118:2913', 'disconnected']);
    // Closed cleanly, so it opens again (another speed is another scanner object in the kiosk).
    await scanner.reconnect({ type: 'serial', vendorId: 0x0c2e, productId: 0x0b61 });
    expect(port.opens).toEqual([19200, 19200]);
  });

  it('a port it cannot open (open elsewhere) is not connected', async () => {
    const { port, scanner, events } = await setUp();
    await port.open({ baudRate: 9600 });
    await scanner.connect();
    expect(events).toEqual([]);
  });
});
