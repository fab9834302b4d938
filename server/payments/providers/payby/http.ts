// One signed POST to PayBy (spec providers/payby.md §2–§3). No retries here, ever: a money-moving POST that
// was sent may have moved money. A response is believed only after its signature checks out.
import type { KeyObject } from 'node:crypto';
import { ProviderError } from '../types.ts';
import { checkResponseSignature, signBody } from './signing.ts';

export interface PayByHead {
  applyStatus: string;
  code: string;
  msg: string;
  success?: boolean;
  traceCode?: string;
}

export interface PayByResponse {
  head: PayByHead;
  body?: Record<string, unknown>;
  /** false for the documented unsigned error codes. */
  signed: boolean;
}

export interface PayByCallOptions {
  baseUrl: string;
  partnerId: string;
  privateKey: KeyObject;
  platformPublicKey: KeyObject;
  timeoutMs: number;
  /** Clock for `requestTime` (epoch ms). Fresh on every call: a retry must re-sign with a new time (§10). */
  now?: () => number;
}

// Errors that happen before a single byte reached the server: the request certainly did nothing.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4) return;
    const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    if (Array.isArray(o.errors)) o.errors.forEach((x) => visit(x, depth + 1));
    visit(o.cause, depth + 1);
  };
  visit(err, 0);
  return codes;
}

/** The exact bytes we send: `{"requestTime":…,"bizContent":{…}}` with empty values left out (§2). */
export function envelopeBody(bizContent: Record<string, unknown>, requestTime: number): string {
  return JSON.stringify({ requestTime, bizContent: dropEmpty(bizContent) });
}

function dropEmpty(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? dropEmpty(v as Record<string, unknown>) : v;
  }
  return out;
}

function readHead(h: unknown): PayByHead | undefined {
  if (!h || typeof h !== 'object') return undefined;
  const o = h as Record<string, unknown>;
  const code = typeof o.code === 'number' ? String(o.code) : o.code;
  if (typeof o.applyStatus !== 'string' || typeof code !== 'string') return undefined;
  return {
    applyStatus: o.applyStatus, code, msg: typeof o.msg === 'string' ? o.msg : '',
    success: typeof o.success === 'boolean' ? o.success : undefined, traceCode: typeof o.traceCode === 'string' ? o.traceCode : undefined,
  };
}

export async function paybyPost(path: string, bizContent: Record<string, unknown>, opts: PayByCallOptions): Promise<PayByResponse> {
  const url = opts.baseUrl.replace(/\/+$/, '') + path;
  const body = envelopeBody(bizContent, (opts.now ?? Date.now)());
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs);
  let status: number;
  let raw: Buffer;
  let sign: string | undefined;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
        'Partner-Id': opts.partnerId,
        sign: signBody(body, opts.privateKey),
        'Content-Language': 'en',
      },
      body,
      signal: ctrl.signal,
    });
    status = res.status;
    sign = res.headers.get('sign') ?? undefined;
    raw = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (ctrl.signal.aborted) {
      throw new ProviderError('payby_timeout', `PayBy did not answer ${path} within ${opts.timeoutMs} ms`, { outcomeUnknown: true, cause: err });
    }
    const codes = errorCodes(err);
    const notSent = codes.some((c) => NOT_SENT.has(c)) || (err as { cause?: Error }).cause?.message === 'bad port';
    throw new ProviderError(notSent ? 'payby_unreachable' : 'payby_network', `PayBy ${path} failed: ${codes[0] ?? (err as Error).message}`, {
      outcomeUnknown: !notSent, cause: err,
    });
  } finally {
    clearTimeout(timer);
  }

  const excerpt = raw.subarray(0, 500).toString('utf8');
  if (status >= 500) {
    throw new ProviderError('payby_http_5xx', `PayBy ${path} answered HTTP ${status}`, { outcomeUnknown: true, raw: excerpt });
  }
  if (status >= 400) {
    // The gateway refused the request itself (wrong path, too large): nothing was processed. Trusted as much
    // as PayBy's unsigned 400/403 codes, and never read as a verdict.
    throw new ProviderError('payby_http_4xx', `PayBy ${path} answered HTTP ${status}`, { outcomeUnknown: false, raw: excerpt });
  }
  // Verify before reading anything: an altered or forged answer is no answer at all (§12.4).
  const sig = checkResponseSignature(raw, sign, opts.platformPublicKey);
  if (!sig.ok) {
    throw new ProviderError('bad_signature', `PayBy ${path}: response ${sig.reason === 'bad_signature' ? 'signature does not verify' : 'is not signed'}; not trusted`, {
      outcomeUnknown: true, raw: excerpt,
    });
  }
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const head = readHead(parsed?.head);
  if (!parsed || !head) {
    throw new ProviderError('payby_bad_response', `PayBy ${path} answered something that is not a PayBy envelope`, { outcomeUnknown: true, raw: excerpt });
  }
  const b = parsed.body;
  return { head, body: b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined, signed: sig.signed };
}
