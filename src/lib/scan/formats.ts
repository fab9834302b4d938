// One vocabulary for symbologies across engines. ScanResult.format uses ZXing-style names so the Pay
// screen and diagnostics never care which engine read a code.

/** Symbologies the kiosk asks every engine for: wallet codes (QR, Code 128) and retail items (EAN/UPC). */
export const KIOSK_FORMATS = ['QRCode', 'Code128', 'EAN-13', 'EAN-8', 'UPC-A', 'UPC-E'] as const;
export type KioskFormat = (typeof KIOSK_FORMATS)[number];

/** zxing-wasm (ZXing-C++) format names → ours. */
export const WASM_FORMATS: Record<string, KioskFormat> = {
  QRCode: 'QRCode',
  Code128: 'Code128',
  EAN13: 'EAN-13',
  EAN8: 'EAN-8',
  UPCA: 'UPC-A',
  UPCE: 'UPC-E',
};

/** BarcodeDetector (Shape Detection API) format names → ours. */
export const NATIVE_FORMATS: Record<string, KioskFormat> = {
  qr_code: 'QRCode',
  code_128: 'Code128',
  ean_13: 'EAN-13',
  ean_8: 'EAN-8',
  upc_a: 'UPC-A',
  upc_e: 'UPC-E',
};

/** @zxing/library BarcodeFormat enum key → ours. */
export const ZXING_JS_FORMATS: Record<string, KioskFormat> = {
  QR_CODE: 'QRCode',
  CODE_128: 'Code128',
  EAN_13: 'EAN-13',
  EAN_8: 'EAN-8',
  UPC_A: 'UPC-A',
  UPC_E: 'UPC-E',
};

/** Unknown names pass through unchanged rather than being dropped: a read is still a read. */
export function normaliseFormat(table: Record<string, KioskFormat>, name: string): string {
  return table[name] ?? name;
}
