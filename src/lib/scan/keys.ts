// Turning a keydown into the character a scanner meant. Scanners "type" through the OS keyboard layout,
// so a layout other than the scanner's own damages codes: an Arabic layout yields ٠-٩, a full-width IME
// ０-９, AZERTY's unshifted digit row yields &é"'(-è_çà. Wallet codes are digits, so digits are repaired.

const MODIFIERS = new Set([
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'OS',
  'CapsLock',
  'NumLock',
  'ScrollLock',
  'Fn',
  'FnLock',
  'Hyper',
  'Super',
  'Symbol',
  'SymbolLock',
  'Dead',
  'Unidentified',
]);

/** Code points of "0" in scripts whose digits keyboards emit (Unicode keeps 0-9 contiguous in each). */
const ZEROS = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x07c0, // NKo
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0a66, // Gurmukhi
  0x0ae6, // Gujarati
  0x0b66, // Oriya
  0x0be6, // Tamil
  0x0c66, // Telugu
  0x0ce6, // Kannada
  0x0d66, // Malayalam
  0x0e50, // Thai
  0x0ed0, // Lao
  0x0f20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
  0xff10, // Full-width
];

export function isModifierKey(key: string): boolean {
  return MODIFIERS.has(key);
}

/** Maps any listed script's digit to its ASCII digit; other characters come back unchanged. */
export function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return ch;
  for (const z of ZEROS) if (cp >= z && cp <= z + 9) return String(cp - z);
  return ch;
}

export interface KeyLike {
  key: string;
  code?: string;
  shiftKey?: boolean;
}

/**
 * The character this keydown contributes to a scanned code, or null for keys that are not characters
 * (arrows, Backspace, Enter…). Uses event.key (layout-aware) and only falls back to the physical key for
 * digits: an unshifted digit-row key that produced a non-alphanumeric character is a layout mismatch.
 */
export function keyChar(ev: KeyLike): string | null {
  const { key, code = '' } = ev;
  if ([...key].length !== 1) {
    const pad = /^Numpad(\d)$/.exec(code); // NumLock off: the numpad reports End, ArrowDown, …
    return pad ? pad[1] : null;
  }
  const ch = asciiDigit(key);
  if (/^[0-9A-Za-z]$/.test(ch)) return ch;
  const digitKey = /^(?:Digit|Numpad)(\d)$/.exec(code);
  if (digitKey && !ev.shiftKey) return digitKey[1];
  return ch;
}
