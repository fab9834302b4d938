// Cash-register style amount entry: digits fill from the right in minor units (1, 2, 5, 0 → 12.50), so
// the cashier never types a decimal point and never creates a fraction of a cent.
export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'back' | 'clear';

export interface KeypadResult {
  entry: string;
  /** The key was refused because the amount would pass the store maximum. */
  refused: boolean;
}

/** Applies a key to the digit string (no leading zeros) without letting it exceed maxMinor. */
export function pressKey(entry: string, key: KeypadKey, maxMinor: number): KeypadResult {
  if (key === 'clear') return { entry: '', refused: false };
  if (key === 'back') return { entry: entry.slice(0, -1), refused: false };
  const next = (entry + key).replace(/^0+/, '');
  if (next === entry) return { entry, refused: false };
  const value = next === '' ? 0 : Number(next);
  if (!Number.isSafeInteger(value) || value > maxMinor) return { entry, refused: true };
  return { entry: next, refused: false };
}

export function entryValue(entry: string): number {
  return entry === '' ? 0 : Number(entry);
}
