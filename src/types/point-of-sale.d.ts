// The @point-of-sale device libraries ship JavaScript without types; this is the part the kiosk calls.
// Their events are delivered on a later task (setTimeout), and connect()/print() log failures instead of
// throwing — src/lib/hardware/ reads outcomes from the 'connected' event and the printer's status bytes.

interface PosDeviceInfo {
  type: 'usb' | 'serial' | 'bluetooth' | 'hid';
  vendorId?: number | null;
  productId?: number | null;
  productName?: string;
  manufacturerName?: string;
  serialNumber?: string;
  id?: string;
  name?: string;
  language?: string | null;
  codepageMapping?: string | null;
}

interface PosReceiptPrinter {
  connect(): Promise<void>;
  reconnect(previous: PosDeviceInfo): Promise<void>;
  disconnect(): Promise<void>;
  listen(): Promise<boolean | undefined>;
  print(bytes: Uint8Array): Promise<void>;
  addEventListener(event: 'connected', fn: (device: PosDeviceInfo) => void): void;
  addEventListener(event: 'disconnected', fn: () => void): void;
  addEventListener(event: 'data', fn: (data: DataView | Uint8Array) => void): void;
}

interface PosBarcode {
  value: string;
  symbology?: string;
  aim?: string;
}

interface PosBarcodeScanner {
  connect(): Promise<void>;
  reconnect(previous?: PosDeviceInfo): Promise<void>;
  disconnect(): Promise<void>;
  addEventListener(event: 'connected', fn: (device: PosDeviceInfo) => void): void;
  addEventListener(event: 'disconnected' | 'unsupported', fn: () => void): void;
  addEventListener(event: 'barcode', fn: (barcode: PosBarcode) => void): void;
}

declare module '@point-of-sale/webusb-receipt-printer' {
  export default class WebUSBReceiptPrinter implements PosReceiptPrinter {
    constructor(options?: object);
    connect(): Promise<void>;
    reconnect(previous: PosDeviceInfo): Promise<void>;
    disconnect(): Promise<void>;
    listen(): Promise<boolean | undefined>;
    print(bytes: Uint8Array): Promise<void>;
    addEventListener: PosReceiptPrinter['addEventListener'];
  }
}
declare module '@point-of-sale/webserial-receipt-printer' {
  export default class WebSerialReceiptPrinter implements PosReceiptPrinter {
    constructor(options?: { baudRate?: number });
    connect(): Promise<void>;
    reconnect(previous: PosDeviceInfo): Promise<void>;
    disconnect(): Promise<void>;
    listen(): Promise<boolean | undefined>;
    print(bytes: Uint8Array): Promise<void>;
    addEventListener: PosReceiptPrinter['addEventListener'];
  }
}
declare module '@point-of-sale/webbluetooth-receipt-printer' {
  export default class WebBluetoothReceiptPrinter implements PosReceiptPrinter {
    constructor(options?: object);
    connect(): Promise<void>;
    reconnect(previous: PosDeviceInfo): Promise<void>;
    disconnect(): Promise<void>;
    listen(): Promise<boolean | undefined>;
    print(bytes: Uint8Array): Promise<void>;
    addEventListener: PosReceiptPrinter['addEventListener'];
  }
}
declare module '@point-of-sale/webhid-barcode-scanner' {
  export default class WebHIDBarcodeScanner implements PosBarcodeScanner {
    constructor(options?: { allowedSymbologies?: string[] });
    connect(): Promise<void>;
    reconnect(previous?: PosDeviceInfo): Promise<void>;
    disconnect(): Promise<void>;
    addEventListener: PosBarcodeScanner['addEventListener'];
  }
}
