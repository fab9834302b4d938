// One order upload: POST /api/orders. The result says whether to retry: a lost answer or a 5xx is retried
// later (the upsert is idempotent, so a repeat is harmless); a 4xx refusal is final for that revision.
import type { OrderUpsertRequest, OrderView } from '../../shared/orders';
import { getToken } from '../api/token';

export type UploadResult =
  | { kind: 'ok'; order: OrderView }
  /** The proxy refused this content (400/409/422): retrying the same body cannot help. */
  | { kind: 'refused'; status: number; code: string; message: string }
  /** Not paired (any more): nothing can upload until staff pair the tablet. */
  | { kind: 'unauthorized'; status: number; code: string; message: string }
  /** No answer, timeout, 5xx, 429: try again later. */
  | { kind: 'transient'; status: number | null; code: string; message: string };

export type Uploader = (order: OrderUpsertRequest) => Promise<UploadResult>;

export interface UploaderOptions {
  baseUrl?: string;
  getToken?: () => string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function errorOf(text: string, status: number): { code: string; message: string } {
  try {
    const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message };
  } catch {
    // not our error body (a proxy in between, an HTML page): keep the status
  }
  return { code: `http_${status}`, message: `The payment server answered HTTP ${status}.` };
}

export function createUploader(opts: UploaderOptions = {}): Uploader {
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tokenOf = opts.getToken ?? getToken;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return async (order) => {
    const token = tokenOf();
    if (!token) return { kind: 'unauthorized', status: 401, code: 'not_paired', message: 'This tablet is not paired.' };
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${opts.baseUrl ?? ''}/api/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(order),
        signal: ctrl.signal,
        cache: 'no-store',
      });
      text = await res.text();
    } catch {
      return { kind: 'transient', status: null, code: 'network', message: 'The payment server could not be reached.' };
    } finally {
      clearTimeout(timer);
    }
    if (res.ok) {
      try {
        return { kind: 'ok', order: JSON.parse(text) as OrderView };
      } catch {
        return { kind: 'transient', status: res.status, code: 'bad_response', message: 'Unexpected answer from the payment server.' };
      }
    }
    const e = errorOf(text, res.status);
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', status: res.status, ...e };
    if (res.status >= 500 || res.status === 408 || res.status === 429) return { kind: 'transient', status: res.status, ...e };
    return { kind: 'refused', status: res.status, ...e };
  };
}
