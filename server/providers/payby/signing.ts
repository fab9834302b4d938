// PayBy `sign` header (spec providers/payby.md §3): RSASSA-PKCS1-v1_5 with SHA-256 over the exact body
// bytes, standard base64. The only place PayBy key material is read or used.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class PayByKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayByKeyError';
  }
}

/** Responses with these `head.code`s may come without `sign` (the Java SDK's list, spec §2); so may any
 *  code starting with 58. Every other response must carry a valid signature. */
export const UNSIGNED_CODES: readonly string[] = ['400', '402', '403', '404', '500', '504', '601'];

export function signatureRequired(headCode: string): boolean {
  return !UNSIGNED_CODES.includes(headCode) && !headCode.startsWith('58');
}

const BARE_BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function asRsa(key: KeyObject, label: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new PayByKeyError(`${label} is a ${key.asymmetricKeyType} key; PayBy needs RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new PayByKeyError(`${label} is RSA-${bits}; PayBy keys are at least 2048 bits`);
  return key;
}

/** Our merchant key: PEM `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1), or the bare base64 of the
 *  PKCS#8 DER (what PayBy's portal tooling and the Java SDK use). */
export function loadPrivateKey(text: string | KeyObject, label = 'PayBy private key'): KeyObject {
  if (typeof text !== 'string') {
    if (text.type !== 'private') throw new PayByKeyError(`${label} is not a private key`);
    return asRsa(text, label);
  }
  try {
    const key = text.includes('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    return asRsa(key, label);
  } catch (err) {
    if (err instanceof PayByKeyError) throw err;
    throw new PayByKeyError(`${label} is not a readable RSA private key (PEM or base64 PKCS#8)`);
  }
}

/** PayBy's platform key: PEM `PUBLIC KEY` (SPKI), `RSA PUBLIC KEY`, or bare base64 SPKI DER. A private key
 *  here is refused: it means keys were swapped, and a secret would sit where public files go. */
export function loadPublicKey(text: string | KeyObject, label = 'PayBy public key'): KeyObject {
  if (typeof text !== 'string') {
    if (text.type !== 'public') throw new PayByKeyError(`${label} must be a public key`);
    return asRsa(text, label);
  }
  if (/PRIVATE KEY-----/.test(text)) throw new PayByKeyError(`${label} contains a private key; it must be PayBy's public key`);
  try {
    let key: KeyObject;
    if (text.includes('-----BEGIN')) key = createPublicKey(text);
    else if (BARE_BASE64.test(text))
      key = createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    else throw new Error('not base64');
    return asRsa(key, label);
  } catch (err) {
    if (err instanceof PayByKeyError) throw err;
    throw new PayByKeyError(`${label} is not a readable RSA public key (PEM or base64 SPKI)`);
  }
}

/** Reads a key file named by an environment variable, with an error that says which variable to fix. */
export function readKeyFile(path: string, envName: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new PayByKeyError(`${envName}=${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** PAYBY_PRIVATE_KEY_FILE / PAYBY_PUBLIC_KEY_FILE → validated PEM texts for PayByConfig. */
export function loadPayByKeyFiles(files: { privateKeyFile: string; publicKeyFile: string }): {
  privateKeyPem: string;
  platformPublicKeyPem: string;
} {
  const privateKeyPem = readKeyFile(files.privateKeyFile, 'PAYBY_PRIVATE_KEY_FILE');
  const platformPublicKeyPem = readKeyFile(files.publicKeyFile, 'PAYBY_PUBLIC_KEY_FILE');
  loadPrivateKey(privateKeyPem, 'PAYBY_PRIVATE_KEY_FILE');
  loadPublicKey(platformPublicKeyPem, 'PAYBY_PUBLIC_KEY_FILE');
  return { privateKeyPem, platformPublicKeyPem };
}

function bytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The `sign` header for these exact bytes. Send the same bytes: re-serialising after signing breaks it. */
export function signBody(body: string | Uint8Array, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? loadPrivateKey(privateKey) : privateKey;
  return sign('sha256', bytes(body), key).toString('base64');
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True only for a well-formed base64 signature that verifies over exactly these bytes. */
export function verifyBody(body: string | Uint8Array, signature: string | undefined, publicKey: KeyObject | string): boolean {
  if (typeof signature !== 'string' || signature === '' || !STRICT_BASE64.test(signature)) return false;
  try {
    const key = typeof publicKey === 'string' ? loadPublicKey(publicKey) : publicKey;
    return verify('sha256', bytes(body), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export type ResponseSignature = { ok: true; signed: boolean } | { ok: false; reason: 'bad_signature' | 'missing_signature' };

/** Verifies a PayBy response body as received (before trusting any of it). A present signature must
 *  verify, whatever the code: a bad one means the bytes were altered. A missing one is allowed only for
 *  the documented unsigned codes, which carry no `body`. */
export function checkResponseSignature(raw: Uint8Array, signature: string | undefined, publicKey: KeyObject): ResponseSignature {
  if (signature !== undefined && signature !== '') {
    return verifyBody(raw, signature, publicKey) ? { ok: true, signed: true } : { ok: false, reason: 'bad_signature' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    return { ok: false, reason: 'missing_signature' };
  }
  const head = (parsed as { head?: { code?: unknown } } | null)?.head;
  const code = head && typeof head.code === 'string' ? head.code : typeof head?.code === 'number' ? String(head.code) : undefined;
  const hasBody = (parsed as { body?: unknown }).body !== undefined;
  if (code !== undefined && !signatureRequired(code) && !hasBody) return { ok: true, signed: false };
  return { ok: false, reason: 'missing_signature' };
}
