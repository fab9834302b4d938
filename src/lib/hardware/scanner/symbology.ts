// The @point-of-sale scanners name symbologies their own way ('qr-code', 'ean13'); the kiosk's ScanResult
// uses ZXing's names ('QRCode', 'EAN-13') so Diagnostics shows one vocabulary whatever read the code.
const ZXING_NAMES: Record<string, string> = {
  'qr-code': 'QRCode',
  'data-matrix': 'DataMatrix',
  'aztec-code': 'Aztec',
  pdf417: 'PDF417',
  'pdf417-micro': 'MicroPDF417',
  maxicode: 'MaxiCode',
  code128: 'Code128',
  'gs1-128': 'Code128',
  code39: 'Code39',
  code93: 'Code93',
  codabar: 'Codabar',
  ean13: 'EAN-13',
  ean8: 'EAN-8',
  upca: 'UPC-A',
  upce: 'UPC-E',
  'interleaved-2-of-5': 'ITF',
  'gs1-databar-omni': 'DataBar',
  'gs1-databar-limited': 'DataBarLimited',
  'gs1-databar-expanded': 'DataBarExpanded',
};

/** ZXing-style name; an unlisted symbology keeps the scanner's name, none at all is 'Unknown'. */
export function symbologyName(symbology: string | null | undefined): string {
  if (!symbology) return 'Unknown';
  return ZXING_NAMES[symbology] ?? symbology;
}
