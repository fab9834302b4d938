// One signed POST to PayBy (spec providers/payby.md §2–§3). No retries here, ever: a money-moving POST that
// was sent may have moved money. A response is believed only after its signature checks out.
import type { KeyObject } from 'node:crypto';
import { sendHttp, type HttpObserver } from '../http.ts';
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
  observer?: HttpObserver;
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
    applyStatus: o.applyStatus,
    code,
    msg: typeof o.msg === 'string' ? o.msg : '',
    success: typeof o.success === 'boolean' ? o.success : undefined,
    traceCode: typeof o.traceCode === 'string' ? o.traceCode : undefined,
  };
}

export async function paybyPost(path: string, bizContent: Record<string, unknown>, opts: PayByCallOptions): Promise<PayByResponse> {
  const url = opts.baseUrl.replace(/\/+$/, '') + path;
  const body = envelopeBody(bizContent, (opts.now ?? Date.now)());
  // Transport and its money classification are common (common/http.ts); every PayBy call is a POST that
  // may have moved money, so a lost answer leaves the outcome unknown.
  const res = await sendHttp({
    provider: 'payby',
    label: 'PayBy',
    operation: path,
    url,
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
      'Partner-Id': opts.partnerId,
      sign: signBody(body, opts.privateKey),
      'Content-Language': 'en',
    },
    body,
    timeoutMs: opts.timeoutMs,
    mayMoveMoney: true,
    observer: opts.observer,
  });
  const { status, bytes: raw } = res;
  const sign = res.headers.get('sign') ?? undefined;

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
    throw new ProviderError(
      'bad_signature',
      `PayBy ${path}: response ${sig.reason === 'bad_signature' ? 'signature does not verify' : 'is not signed'}; not trusted`,
      {
        outcomeUnknown: true,
        raw: excerpt,
      },
    );
  }
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown> | undefined;
  } catch {
    parsed = undefined;
  }
  const head = readHead(parsed?.head);
  if (!parsed || !head) {
    throw new ProviderError('payby_bad_response', `PayBy ${path} answered something that is not a PayBy envelope`, {
      outcomeUnknown: true,
      raw: excerpt,
    });
  }
  const b = parsed.body;
  return { head, body: b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined, signed: sig.signed };
}
