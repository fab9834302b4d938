// The symbology of a serial scanner's read. A scanner with AIM identifiers on (ISO/IEC 15424; the factory
// setting of many POS scanners) starts each read with "]" + a symbology letter + a modifier: the most reliable
// source there is, and it must come off before the text reaches checkout — a wallet code with "]Q1" in front
// is another code. Without it, the symbology is guessed from the text. Names are ZXing's, as the camera's.

export interface SymbologyRead {
  /** The text the code encodes: the AIM identifier removed. */
  text: string;
  /** ZXing-style name ('QRCode', 'EAN-13', …); 'Unknown' when neither identifier nor guess tells. */
  symbology: string;
  /** The AIM identifier as sent ("]Q1"), if there was one. */
  aim: string | null;
}

// The symbology letters of ISO/IEC 15424 that POS scanners send. EAN/UPC ('E') share a letter: see eanName.
const AIM_LETTERS: Record<string, string> = {
  A: 'Code39',
  C: 'Code128',
  d: 'DataMatrix',
  e: 'DataBar',
  F: 'Codabar',
  G: 'Code93',
  I: 'ITF',
  L: 'PDF417',
  Q: 'QRCode',
  U: 'MaxiCode',
  z: 'Aztec',
};

// "]" + letter + one modifier character (a digit or letter; ISO/IEC 15424 §5).
const AIM_PREFIX = /^\]([A-Za-z])([0-9A-Za-z])/;

/** EAN/UPC share ]E: modifier 4 is EAN-8; otherwise the length tells (UPC-A is sent as 12 or 13 digits). */
function eanName(modifier: string, text: string): string {
  if (modifier === '4') return 'EAN-8';
  if (text.length === 13) return 'EAN-13';
  if (text.length === 12) return 'UPC-A';
  if (text.length === 8) return 'UPC-E';
  return 'EAN/UPC';
}

/** The GS1 check digit (EAN-8/13, UPC-A, ITF-14): the last digit of a retail code. */
function gs1CheckDigitValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** A guess from the text alone: retail lengths with a valid check digit, and links or long text as QR codes. */
export function guessSymbology(text: string): string {
  if (/^\d+$/.test(text) && gs1CheckDigitValid(text)) {
    if (text.length === 8) return 'EAN-8';
    if (text.length === 12) return 'UPC-A';
    if (text.length === 13) return 'EAN-13';
    if (text.length === 14) return 'ITF';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(WIFI|MECARD|BEGIN):/i.test(text) || text.length > 32) return 'QRCode';
  return 'Unknown';
}

/** Splits off an AIM identifier if the read starts with one; else guesses. */
export function readSymbology(raw: string): SymbologyRead {
  const match = AIM_PREFIX.exec(raw);
  if (!match) return { text: raw, symbology: guessSymbology(raw), aim: null };
  const [aim, letter, modifier] = match;
  const text = raw.slice(aim.length);
  const symbology = letter === 'E' ? eanName(modifier, text) : (AIM_LETTERS[letter] ?? `AIM ${aim}`);
  return { text, symbology, aim };
}
