// A raw PayBy client for tests and manual poking at the simulator: sends exactly the envelope given (signed
// unless told otherwise) and returns the answer with its signature checked. No adapter logic.
import type { KeyObject } from 'node:crypto';
import { signBody, verifyBody } from '../../server/providers/payby/signing.ts';

export interface RawCallOptions {
  partnerId?: string;
  privateKey: KeyObject | string;
  /** Verifies the answer's `sign` with this key when given. */
  platformPublicKey?: KeyObject | string;
  requestTime?: number;
  /** Send this exact body instead of `{requestTime, bizContent}`. */
  rawBody?: string;
  /** false: no sign header; a string: this sign header; 'body' (default): sign the body sent. */
  sign?: false | string;
  /** Sign these bytes but send the body (a request altered after signing). */
  signOver?: string;
  timeoutMs?: number;
}

export interface RawAnswer {
  status: number;
  text: string;
  sign: string | null;
  /** Whether `sign` verifies with platformPublicKey (undefined when no key was given). */
  verified?: boolean;
  // Test client: callers assert on any field of the provider's JSON right away (as tests/** may).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: { head?: { applyStatus?: string; code?: string; msg?: string; success?: boolean }; body?: Record<string, any> };
}

export async function rawPayByCall(
  baseUrl: string,
  path: string,
  bizContent: Record<string, unknown>,
  opts: RawCallOptions,
): Promise<RawAnswer> {
  const body = opts.rawBody ?? JSON.stringify({ requestTime: opts.requestTime ?? Date.now(), bizContent });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (opts.partnerId !== undefined) headers['partner-id'] = opts.partnerId;
  if (opts.sign !== false) headers.sign = typeof opts.sign === 'string' ? opts.sign : signBody(opts.signOver ?? body, opts.privateKey);
  const res = await fetch(baseUrl + path, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  const text = await res.text();
  const sign = res.headers.get('sign');
  let json: RawAnswer['json'];
  try {
    json = JSON.parse(text) as RawAnswer['json'];
  } catch {
    json = {};
  }
  const verified = opts.platformPublicKey ? verifyBody(text, sign ?? undefined, opts.platformPublicKey) : undefined;
  return { status: res.status, text, sign, verified, json };
}
