// Scripted stand-ins for navigator.usb, navigator.serial and navigator.hid, injected by the TEST (page.addInitScript) — never
// part of the product. The USB one plays an Epson ESC/POS printer: it records every job's bytes and answers
// the DLE EOT status requests with the paper state the test sets. The HID one plays a Honeywell scanner in
// HID POS mode: the test makes it deliver a code as the input report such a scanner sends.
// Devices the test granted survive a reload (sessionStorage), like a real permission.
import type { Page } from '@playwright/test';

export interface HardwareProbe {
  /** Bytes of every transfer to the printer except status requests. */
  jobs: number[][];
  paperOut: boolean;
}

function install(): void {
  const granted = new Set<string>(JSON.parse(sessionStorage.getItem('standin.granted') ?? '[]') as string[]);
  const grant = (kind: string) => {
    granted.add(kind);
    sessionStorage.setItem('standin.granted', JSON.stringify([...granted]));
  };
  const probe = { jobs: [] as number[][], paperOut: false };
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

  // ── Serial printer (a USB-serial adapter) ─────────────────────────────────────────────────────────────
  let serialAnswer: ReadableStreamDefaultController<Uint8Array> | null = null;
  const port = Object.assign(new EventTarget(), {
    readable: null as ReadableStream<Uint8Array> | null,
    writable: null as WritableStream<Uint8Array> | null,
    getInfo: () => ({ usbVendorId: 0x0403, usbProductId: 0x6001 }),
    async open() {
      port.readable = new ReadableStream<Uint8Array>({ start: (c) => void (serialAnswer = c) });
      port.writable = new WritableStream<Uint8Array>({
        write(chunk) {
          const bytes = [...chunk];
          const isStatusRequest =
            bytes.length % 3 === 0 && bytes.every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : true));
          if (!isStatusRequest) probe.jobs.push(bytes);
          else
            serialAnswer?.enqueue(
              Uint8Array.from(bytes.filter((_, i) => i % 3 === 2).map((n) => (probe.paperOut && n !== 1 ? (n === 4 ? 0x72 : 0x32) : 0x12))),
            );
        },
      });
    },
    async close() {},
  });
  class FakeSerial extends EventTarget {
    async requestPort() {
      grant('serial');
      return port;
    }
    async getPorts() {
      return granted.has('serial') ? [port] : [];
    }
  }
  const serial = new FakeSerial();
  Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => serial });

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
