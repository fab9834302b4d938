// Typed client for the kiosk ↔ proxy API (DESIGN §5): the only place the kiosk speaks HTTP to the proxy
// (the event stream aside, see events.ts), so every call has the same token, timeout and error mapping.
import type { AttentionItem, CreatePaymentRequest, PairResponse, PaymentView, SwitchStoreRequest, TerminalInfo } from '../../shared/api';
import { ApiError, NetworkError, toApiError } from './errors';
import { getToken } from './token';

export interface ApiClientOptions {
  baseUrl?: string;
  getToken?: () => string | null;
  fetch?: typeof fetch;
  /** Per-request timeout; a timed-out request is a NetworkError (it may have arrived). */
  timeoutMs?: number;
}

export interface ApiClient {
  pair(code: string): Promise<PairResponse>;
  terminal(): Promise<TerminalInfo>;
  createPayment(req: CreatePaymentRequest, idempotencyKey: string): Promise<PaymentView>;
  /** `fresh`: the kiosk polls for want of pushes; the proxy asks the provider before answering. */
  getPayment(id: string, opts?: { fresh?: boolean }): Promise<PaymentView>;
  cancelPayment(id: string): Promise<PaymentView>;
  /** Every payment this terminal made for an order (to find an attempt whose answer was lost). */
  listOrderPayments(orderId: string): Promise<PaymentView[]>;
  /** Demo mode: move this terminal to another demo store (409 while one of its payments is open). */
  switchStore(storeId: string): Promise<TerminalInfo>;
  /** Payments the reconciler could not settle ("Needs attention"). */
  attention(): Promise<{ items: AttentionItem[] }>;
  /** A staff action at the path the proxy named for it (routes/staff.ts). */
  staffAction<T>(path: string, body: unknown, opts?: StaffCallOptions): Promise<T>;
}

export interface StaffCallOptions {
  /** Supervisor PIN: sent in X-Staff-Pin, never stored. */
  pin?: string;
  /** Refunds: made once per refund request and reused on a retry, so a lost answer cannot refund twice. */
  idempotencyKey?: string;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
  timeoutMs?: number;
}

// Charging a code waits on the provider (two calls at some providers, up to ~30 s); give it room so a slow
// but successful charge is not turned into a retry.
const CREATE_TIMEOUT_MS = 45_000;
// A staff action may wait on the provider (void, refund) like a charge does.
const STAFF_TIMEOUT_MS = 30_000;

export function createApiClient(opts: ApiClientOptions = {}): ApiClient {
  const baseUrl = opts.baseUrl ?? '';
  const tokenOf = opts.getToken ?? getToken;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const defaultTimeout = opts.timeoutMs ?? 15_000;

  async function request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...ro.headers };
    if (ro.body !== undefined) headers['Content-Type'] = 'application/json';
    if (ro.auth !== false) {
      const token = tokenOf();
      if (!token) throw new ApiError('not_paired', 'This tablet is not paired with the proxy yet.', 401);
      headers.Authorization = `Bearer ${token}`;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), ro.timeoutMs ?? defaultTimeout);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(baseUrl + path, {
        method,
        headers,
        body: ro.body === undefined ? undefined : JSON.stringify(ro.body),
        signal: ctrl.signal,
        cache: 'no-store',
      });
      text = await res.text();
    } catch (err) {
      const timedOut = ctrl.signal.aborted;
      throw new NetworkError(timedOut ? 'The payment server did not answer in time.' : 'Network error', err);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) throw toApiError(res.status, res.statusText, text, res.headers.get('retry-after'));
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError('bad_response', `Unexpected response from the server (HTTP ${res.status})`, res.status);
    }
  }

  return {
    pair: (code) => request<PairResponse>('POST', '/api/terminals/pair', { body: { code }, auth: false }),
    terminal: () => request<TerminalInfo>('GET', '/api/terminal'),
    createPayment: (req, idempotencyKey) =>
      request<PaymentView>('POST', '/api/payments', {
        body: req,
        headers: { 'Idempotency-Key': idempotencyKey },
        timeoutMs: CREATE_TIMEOUT_MS,
      }),
    getPayment: (id, o) => request<PaymentView>('GET', `/api/payments/${encodeURIComponent(id)}${o?.fresh ? '?fresh=1' : ''}`),
    cancelPayment: (id) => request<PaymentView>('POST', `/api/payments/${encodeURIComponent(id)}/cancel`, { body: {} }),
    listOrderPayments: async (orderId) =>
      (await request<{ payments: PaymentView[] }>('GET', `/api/payments?orderId=${encodeURIComponent(orderId)}`)).payments,
    switchStore: (storeId) => request<TerminalInfo>('PUT', '/api/terminal/store', { body: { storeId } satisfies SwitchStoreRequest }),
    attention: () => request<{ items: AttentionItem[] }>('GET', '/api/attention', { timeoutMs: STAFF_TIMEOUT_MS }),
    staffAction: <T>(path: string, body: unknown, o: StaffCallOptions = {}) => {
      const headers: Record<string, string> = {};
      if (o.pin) headers['X-Staff-Pin'] = o.pin;
      if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
      return request<T>('POST', path, { body, headers, timeoutMs: STAFF_TIMEOUT_MS });
    },
  };
}

/** The app-wide client (same origin as the proxy). */
export const api: ApiClient = createApiClient();
