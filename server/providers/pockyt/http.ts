// One signed POST to Pockyt. No retries here, ever: a money-moving POST that was sent may have moved
// money, and re-sending it could charge twice. Callers decide what to do with "outcome unknown".
import { createHash, randomUUID } from 'node:crypto';
import { sendHttp, type HttpObserver } from '../http.ts';
import { ProviderError } from '../types.ts';
import { signFields, type PockytFields } from './signing.ts';

export interface PockytEnvelope {
  ret_code: string;
  ret_msg: string;
  result?: Record<string, unknown>;
}

export interface PockytCallOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** Same id for every retry of one logical operation: Pockyt then replays the first answer. */
  requestId?: string;
  observer?: HttpObserver;
}

/** A UUID derived from the operation's identity, so a retry after a crash reuses it. */
export function stableRequestId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function pockytPost(path: string, fields: PockytFields, opts: PockytCallOptions): Promise<PockytEnvelope> {
  const url = opts.baseUrl.replace(/\/+$/, '') + path;
  const body = JSON.stringify(signFields(fields, opts.token));
  // Transport and its money classification are common (common/http.ts); every Pockyt call is a POST
  // that may have moved money, so a lost answer leaves the outcome unknown.
  const { status, text } = await sendHttp({
    provider: 'pockyt',
    label: 'Pockyt',
    operation: path,
    url,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'pockyt-request-id': opts.requestId ?? randomUUID(),
    },
    body,
    timeoutMs: opts.timeoutMs,
    mayMoveMoney: true,
    observer: opts.observer,
  });

  if (status >= 500) {
    throw new ProviderError('pockyt_http_5xx', `Pockyt ${path} answered HTTP ${status}`, { outcomeUnknown: true, raw: text.slice(0, 500) });
  }
  if (status >= 400) {
    // The gateway refused the request itself (wrong path, too large, throttled): nothing was processed.
    throw new ProviderError('pockyt_http_4xx', `Pockyt ${path} answered HTTP ${status}`, {
      outcomeUnknown: false,
      raw: text.slice(0, 500),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const env = parsed as Partial<PockytEnvelope> | undefined;
  if (!env || typeof env !== 'object' || typeof env.ret_code !== 'string') {
    throw new ProviderError('pockyt_bad_response', `Pockyt ${path} answered something that is not a Pockyt envelope`, {
      outcomeUnknown: true,
      raw: text.slice(0, 500),
    });
  }
  return {
    ret_code: env.ret_code,
    ret_msg: typeof env.ret_msg === 'string' ? env.ret_msg : '',
    result: env.result && typeof env.result === 'object' ? env.result : undefined,
  };
}
