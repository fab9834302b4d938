// Types for the browser build of `qrcode` (its package.json "browser" field), limited to what the kiosk and the
// wallet page call. @types/qrcode describes the Node build and references @types/node, which would give the
// browser code Node globals (Buffer, process) that do not exist there; src/tsconfig.json maps 'qrcode' here.
export type QRCodeErrorCorrectionLevel = 'low' | 'medium' | 'quartile' | 'high' | 'L' | 'M' | 'Q' | 'H';

export interface QRCodeOptions {
  version?: number;
  errorCorrectionLevel?: QRCodeErrorCorrectionLevel;
  maskPattern?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

export interface QRCodeToStringOptions extends QRCodeOptions {
  type?: 'svg' | 'utf8' | 'terminal';
  margin?: number;
  scale?: number;
  width?: number;
  color?: { dark?: string; light?: string };
}

export interface BitMatrix {
  size: number;
  data: Uint8Array;
}

export interface QRCode {
  modules: BitMatrix;
  version: number;
}

export function create(text: string, options?: QRCodeOptions): QRCode;
export function toString(text: string, options?: QRCodeToStringOptions): Promise<string>;

declare const qrcode: { create: typeof create; toString: typeof toString };
export default qrcode;
