// What the scanning layer hands to screens. Every source (camera engines, wedge, manual entry) produces
// a ScanResult so the Pay screen and diagnostics treat them alike.

// 'hid' and 'serial': till scanners driven through WebHID / Web Serial (src/lib/hardware/scanner/).
export type ScanEngine = 'native' | 'zxing-wasm' | 'zxing-js' | 'wedge' | 'manual' | 'hid' | 'serial';

export interface ScanResult {
  text: string;
  /** Symbology in ZXing-style names: 'QRCode', 'Code128', 'EAN-13', … ('Keyboard' for wedge/manual). */
  format: string;
  engine: ScanEngine;
  /** Time the engine spent decoding the frame that produced this result (wedge: burst duration). */
  decodeMs: number;
  at: number;
}

export interface WedgeBurst {
  text: string;
  /** Milliseconds between successive keystrokes in the burst. */
  intervalsMs: number[];
  durationMs: number;
  terminator: 'Enter' | 'Tab' | 'timeout';
}
