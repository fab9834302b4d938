// Pairing codes and terminal tokens are bearer secrets: only their SHA-256 is stored, so a copied database
// file cannot be used to pose as a kiosk. Both are high-entropy random values, so an unsalted hash is enough.
import { createHash, randomBytes, randomInt } from 'node:crypto';

// No 0/O, 1/I/L: codes are read off a screen and typed on a tablet.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newPairingCode(length = 8): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What people type differs from what we printed only in case, spaces and dashes. */
export function normalisePairingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export function newTerminalToken(): string {
  return randomBytes(32).toString('base64url');
}
