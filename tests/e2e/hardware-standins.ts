// Scripted stand-ins for navigator.usb, navigator.serial, navigator.hid and navigator.bluetooth, injected by the TEST (page.addInitScript) — never
// part of the product. The USB one plays an Epson ESC/POS printer: it records every job's bytes and answers
// the DLE EOT status requests with the paper state the test sets. The HID one plays a Honeywell scanner in
// HID POS mode: the test makes it deliver a code as the input report such a scanner sends. The serial ones
// play a printer on a USB-serial adapter and a scanner sending "<code>\r"; the Bluetooth one an Epson TM-P.
// Devices the test granted survive a reload (sessionStorage), like a real permission.
import type { Page } from '@playwright/test';

export interface HardwareProbe {
  /** Bytes of every transfer to the USB or serial printer except status requests. */
  jobs: number[][];
  paperOut: boolean;
  /** Every byte written to the Bluetooth printer's print characteristic, status requests left out. */
  bluetooth: number[];
  /** The port the browser's serial chooser returns. */
  serialPick: 'printer' | 'scanner';
  /** Each serial port opened, with the speed it was opened at. */
  serialOpens: { port: string; baudRate: number }[];
}

interface PortOptions {
  baudRate: number;
}
interface PortInfo {
  usbVendorId: number;
  usbProductId: number;
}

function install(): void {
  const granted = new Set<string>(JSON.parse(sessionStorage.getItem('standin.granted') ?? '[]') as string[]);
  const grant = (kind: string) => {
    granted.add(kind);
    sessionStorage.setItem('standin.granted', JSON.stringify([...granted]));
  };
  const probe = {
    jobs: [] as number[][],
    paperOut: false,
    bluetooth: [] as number[],
    serialPick: 'printer' as 'printer' | 'scanner',
    serialOpens: [] as { port: string; baudRate: number }[],
  };
  (window as unknown as { __hw: typeof probe }).__hw = probe;

  // ── USB printer ────────────────────────────────────────────────────────────────────────────────────
  const answers: number[] = [];
  let wake: (() => void) | null = null;
  const printer = {
    vendorId: 0x04b8,
    productId: 0x0e28,
    manufacturerName: 'EPSON',
    productName: 'TM-T20III (stand-in)',
    serialNumber: 'STANDIN-1',
    opened: false,
    configuration: {
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            endpoints: [
              { direction: 'out', endpointNumber: 1 },
              { direction: 'in', endpointNumber: 2 },
            ],
          },
        },
      ],
    },
    async open() {
      this.opened = true;
    },
    async close() {
      this.opened = false;
    },
    async selectConfiguration() {},
    async claimInterface() {},
    async reset() {},
    async transferOut(_ep: number, data: BufferSource) {
      const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const bytes = [...view];
      const isStatusRequest = bytes.length % 3 === 0 && bytes.every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : true));
      if (!isStatusRequest) {
        probe.jobs.push(bytes);
        return { status: 'ok', bytesWritten: bytes.length };
      }
      for (let i = 2; i < bytes.length; i += 3) {
        const n = bytes[i];
        // Bits 1 and 4 always set; paper end: DLE EOT 4 bits 5–6, DLE EOT 2 bit 5.
        if (n === 4) answers.push(probe.paperOut ? 0x72 : 0x12);
        else if (n === 2) answers.push(probe.paperOut ? 0x32 : 0x12);
        else answers.push(0x12);
      }
      wake?.();
      return { status: 'ok', bytesWritten: bytes.length };
    },
    async transferIn() {
      while (answers.length === 0) await new Promise<void>((r) => (wake = r));
      const dv = new DataView(Uint8Array.from(answers.splice(0)).buffer);
      const Result = (window as unknown as { USBInTransferResult?: new (s: string, d: DataView) => unknown }).USBInTransferResult;
      return Result ? new Result('ok', dv) : { status: 'ok', data: dv };
    },
  };
  class FakeUsb extends EventTarget {
    async requestDevice() {
      grant('usb');
      return printer;
    }
    async getDevices() {
      return granted.has('usb') ? [printer] : [];
    }
  }
  const usb = new FakeUsb();
  /** The cable: 'disconnect' and 'connect' events as navigator.usb fires them, with the device on the event. */
  const plug = (type: 'connect' | 'disconnect') => {
    printer.opened = type === 'connect' && printer.opened;
    usb.dispatchEvent(Object.assign(new Event(type), { device: printer }));
  };
  Object.assign(window, { __usbPlug: plug });

  // ── HID POS scanner ────────────────────────────────────────────────────────────────────────────────
  const scanner = Object.assign(new EventTarget(), {
    vendorId: 3118,
    productId: 0x0c01,
    productName: 'Honeywell Voyager (stand-in)',
    collections: [{ usagePage: 140, usage: 2 }],
    opened: false,
    async open() {
      this.opened = true;
    },
    async close() {
      this.opened = false;
    },
    async sendFeatureReport() {},
  });
  class FakeHid extends EventTarget {
    async requestDevice() {
      grant('hid');
      return [scanner];
    }
    async getDevices() {
      return granted.has('hid') ? [scanner] : [];
    }
  }
  const hid = new FakeHid();
  /** One HID POS input report (id 2): length, AIM id "]Q1", the text, Honeywell's symbology byte, last-report flag 0. */
  (window as unknown as { __hidScan: (text: string, symbologyByte: number, aim: string) => void }).__hidScan = (
    text,
    symbologyByte,
    aim,
  ) => {
    const report = new Uint8Array(63);
    report[0] = text.length;
    report.set(
      [...aim].map((c) => c.charCodeAt(0)),
      1,
    );
    report.set(
      [...text].map((c) => c.charCodeAt(0)),
      4,
    );
    report[60] = symbologyByte;
    const ev = new Event('inputreport');
    Object.assign(ev, { data: new DataView(report.buffer), device: scanner, reportId: 2 });
    scanner.dispatchEvent(ev);
  };

  // ── Serial printer (a USB-serial adapter) and serial scanner ───────────────────────────────────────────
  // The browser's port chooser returns the port the test picked (probe.serialPick). Every open is recorded with
  // its speed; a port opened at another speed than its device's reads garbage, as a real serial line does.
  const isStatusRequest = (bytes: number[]) =>
    bytes.length % 3 === 0 && bytes.every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : true));
  const garble = (bytes: Uint8Array, port: { opts: PortOptions | null; baudRate: number }) =>
    port.opts?.baudRate === port.baudRate ? bytes : bytes.map((b) => (b ^ 0x5a) | 0x80);
  type StandInPort = EventTarget & {
    name: 'printer' | 'scanner';
    baudRate: number;
    opts: PortOptions | null;
    readable: ReadableStream<Uint8Array> | null;
    writable: WritableStream<Uint8Array> | null;
    feed: ReadableStreamDefaultController<Uint8Array> | null;
    getInfo(): PortInfo;
    open(o: PortOptions): Promise<void>;
    close(): Promise<void>;
  };
  const makePort = (name: 'printer' | 'scanner', info: PortInfo, baudRate: number, onWrite: (bytes: number[]) => void) => {
    const port: StandInPort = Object.assign(new EventTarget(), {
      name,
      baudRate,
      opts: null as PortOptions | null,
      readable: null as ReadableStream<Uint8Array> | null,
      writable: null as WritableStream<Uint8Array> | null,
      feed: null as ReadableStreamDefaultController<Uint8Array> | null,
      getInfo: () => info,
      async open(o: PortOptions) {
        if (port.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
        port.opts = o;
        probe.serialOpens.push({ port: name, baudRate: o.baudRate });
        port.readable = new ReadableStream<Uint8Array>({ start: (c) => void (port.feed = c) });
        port.writable = new WritableStream<Uint8Array>({ write: (chunk) => onWrite([...chunk]) });
      },
      async close() {
        port.readable = null;
        port.writable = null;
        port.feed = null;
      },
    });
    return port;
  };
  // A printer on a USB-serial adapter, set to 38400 baud: at another speed it receives garbage, answers nothing.
  const serialPrinter = makePort('printer', { usbVendorId: 0x0403, usbProductId: 0x6001 }, 38400, (sent) => {
    const bytes = [...garble(Uint8Array.from(sent), serialPrinter)];
    if (!isStatusRequest(bytes)) probe.jobs.push(bytes);
    else
      serialPrinter.feed?.enqueue(
        Uint8Array.from(bytes.filter((_, i) => i % 3 === 2).map((n) => (probe.paperOut && n !== 1 ? (n === 4 ? 0x72 : 0x32) : 0x12))),
      );
  });
  // A Honeywell scanner in USB-serial mode set to 19200 baud, sending a CR after each code.
  const serialScanner = makePort('scanner', { usbVendorId: 0x0c2e, usbProductId: 0x0b61 }, 19200, () => {});
  const ports = { printer: serialPrinter, scanner: serialScanner };
  const serialSend = (text: string) => {
    const bytes = Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
    serialScanner.feed?.enqueue(garble(bytes, serialScanner));
  };
  (window as unknown as { __serialScan: (text: string) => void }).__serialScan = (text) => serialSend(`${text}\r`);
  // One read as the USB-serial adapter may deliver it: in pieces, a little apart.
  (window as unknown as { __serialChunks: (chunks: string[], gapMs: number) => Promise<void> }).__serialChunks = async (chunks, gapMs) => {
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
      serialSend(chunk);
    }
  };
  class FakeSerial extends EventTarget {
    async requestPort() {
      grant(`serial:${probe.serialPick}`);
      return ports[probe.serialPick];
    }
    async getPorts() {
      return Object.values(ports).filter((p) => granted.has(`serial:${p.name}`));
    }
  }
  const serial = new FakeSerial();
  // The scanner's cable: pulled, the pending read fails and the port reports it gone (Chromium fires
  // 'disconnect' at the port, heard on navigator.serial with the port as target); plugged back, 'connect'.
  (window as unknown as { __serialPlug: (type: string) => void }).__serialPlug = (type) => {
    if (type === 'connect') return void serial.dispatchEvent(new Event('connect'));
    serialScanner.feed?.error(new DOMException('The device has been lost.', 'NetworkError'));
    serialScanner.readable = null;
    serialScanner.feed = null;
    const unplugged = new Event('disconnect');
    Object.defineProperty(unplugged, 'target', { value: serialScanner });
    serial.dispatchEvent(unplugged);
  };
  Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => serial });

  // ── Bluetooth printer (an Epson TM-P mobile printer) ───────────────────────────────────────────────────
  // The print and status characteristics of Epson's profile in @point-of-sale/webbluetooth-receipt-printer.
  const SERVICE = '49535343-fe7d-4ae5-8fa9-9fafd205e455';
  const statusChar = Object.assign(new EventTarget(), {
    uuid: '49535343-1e4d-4bd9-ba61-23c647249616',
    value: null as DataView | null,
    properties: { notify: true },
    async startNotifications() {
      return statusChar;
    },
  });
  const printChar = {
    uuid: '49535343-8841-43f4-a8d4-ecbe34729bb3',
    properties: { write: true, writeWithoutResponse: false },
    async writeValueWithResponse(data: BufferSource) {
      const view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const bytes = [...view];
      if (!isStatusRequest(bytes)) {
        probe.bluetooth.push(...bytes);
        return;
      }
      const answer = bytes.filter((_, i) => i % 3 === 2).map((n) => (probe.paperOut && n !== 1 ? (n === 4 ? 0x72 : 0x32) : 0x12));
      setTimeout(() => {
        statusChar.value = new DataView(Uint8Array.from(answer).buffer);
        statusChar.dispatchEvent(new Event('characteristicvaluechanged'));
      }, 5);
    },
  };
  const service = {
    uuid: SERVICE,
    async getCharacteristic(uuid: string) {
      const c = [printChar, statusChar].find((x) => x.uuid === uuid);
      if (!c) throw new DOMException('No such characteristic', 'NotFoundError');
      return c;
    },
  };
  const btPrinter = {
    id: 'standin-bt-1',
    name: 'TM-P20II (stand-in)',
    gatt: {
      connected: false,
      async connect() {
        btPrinter.gatt.connected = true;
        return btPrinter.gatt;
      },
      disconnect() {
        btPrinter.gatt.connected = false;
      },
      async getPrimaryServices() {
        return [service];
      },
      async getPrimaryService(uuid: string) {
        if (uuid !== SERVICE) throw new DOMException('No such service', 'NotFoundError');
        return service;
      },
    },
  };
  class FakeBluetooth extends EventTarget {
    async requestDevice() {
      grant('bluetooth');
      return btPrinter;
    }
    async getDevices() {
      return granted.has('bluetooth') ? [btPrinter] : [];
    }
  }
  const bluetooth = new FakeBluetooth();
  Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => bluetooth });

  Object.defineProperty(Navigator.prototype, 'usb', { configurable: true, get: () => usb });
  Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, get: () => hid });
}

export async function installHardwareStandIns(page: Page): Promise<void> {
  await page.addInitScript(install);
}

export function printedJobs(page: Page): Promise<number[][]> {
  return page.evaluate(() => (window as unknown as { __hw: HardwareProbe }).__hw.jobs);
}

export function setPaperOut(page: Page, out: boolean): Promise<void> {
  return page.evaluate((o) => void ((window as unknown as { __hw: HardwareProbe }).__hw.paperOut = o), out);
}

/** Honeywell symbology byte 115 = QR code; AIM "]Q1". */
export function hidScan(page: Page, text: string): Promise<void> {
  return page.evaluate(
    (t) => (window as unknown as { __hidScan: (a: string, b: number, c: string) => void }).__hidScan(t, 115, ']Q1'),
    text,
  );
}

/** Pulls the USB printer's cable ('disconnect') or plugs it back in ('connect'). */
export function usbCable(page: Page, type: 'connect' | 'disconnect'): Promise<void> {
  return page.evaluate((t) => (window as unknown as { __usbPlug: (x: string) => void }).__usbPlug(t), type);
}

/** Which port the browser's serial chooser hands out next. */
export function pickSerialPort(page: Page, port: 'printer' | 'scanner'): Promise<void> {
  return page.evaluate((p) => void ((window as unknown as { __hw: HardwareProbe }).__hw.serialPick = p), port);
}

export function serialOpens(page: Page): Promise<{ port: string; baudRate: number }[]> {
  return page.evaluate(() => (window as unknown as { __hw: HardwareProbe }).__hw.serialOpens);
}

/** The serial scanner reads a code: the text, CR (its factory setting) — garbage unless opened at its 19200 baud. */
export function serialScan(page: Page, text: string): Promise<void> {
  return page.evaluate((t) => (window as unknown as { __serialScan: (x: string) => void }).__serialScan(t), text);
}

/** Pulls the serial scanner's cable ('disconnect') or plugs it back in ('connect'). */
export function serialScannerCable(page: Page, type: 'connect' | 'disconnect'): Promise<void> {
  return page.evaluate((t) => (window as unknown as { __serialPlug: (x: string) => void }).__serialPlug(t), type);
}

/** The serial scanner sends these bytes in pieces, gapMs apart (e.g. "]Q1" + code, then the rest and CR). */
export function serialChunks(page: Page, chunks: string[], gapMs = 30): Promise<void> {
  return page.evaluate(
    ([c, g]) => (window as unknown as { __serialChunks: (x: string[], y: number) => Promise<void> }).__serialChunks(c, g),
    [chunks, gapMs] as const,
  );
}

export function bluetoothBytes(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __hw: HardwareProbe }).__hw.bluetooth);
}
