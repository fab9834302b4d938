// Typed client for the kiosk ↔ proxy API (DESIGN §5): the only place the kiosk speaks HTTP to the proxy
// (the event stream aside, see events.ts), so every call has the same token, timeout and error mapping.
import type {
  AttentionList,
  CreatePaymentRequest,
  DayCloseRequest,
  DayCloseResponse,
  DayReport,
  DayReportQuery,
  ListPaymentsQuery,
  PairResponse,
  PaymentDetail,
  PaymentList,
  PaymentView,
  SwitchStoreRequest,
  TerminalInfo,
} from '../../shared/api';
import { ApiError, NetworkError, toApiError } from './errors';
import { announceThrottle, throttleStep } from './throttle';
import { getToken } from './token';

export interface ApiClientOptions {
  baseUrl?: string;
  getToken?: () => string | null;
  fetch?: typeof fetch;
  /** Per-request timeout; a timed-out request is a NetworkError (it may have arrived). */
  timeoutMs?: number;
  /** How a Retry-After is waited out (tests pass a fake clock). */
  sleep?: (ms: number) => Promise<void>;
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
  attention(): Promise<AttentionList>;
  /** The day report (X, or the Z once closed); a supervisor signed in, or a grant (`say`). Reconciling asks
   *  every provider: allow time. */
  dayReport(query: DayReportQuery, say?: StaffSay): Promise<DayReport>;
  /** The same report as CSV (Accept: text/csv), as the text the proxy sent. */
  dayReportCsv(query: DayReportQuery, say?: StaffSay): Promise<string>;
  /** Closes the business day (Z); closing again returns the Z already recorded. */
  closeDay(req: DayCloseRequest, say?: StaffSay): Promise<DayCloseResponse>;
  /** A staff action at the path the proxy named for it (routes/staff.ts). */
  staffAction<T>(path: string, body: unknown, opts?: StaffCallOptions): Promise<T>;
  /** Any other /api call (staff sign-in and management: src/lib/staff/api.ts), with the tablet's token. */
  send<T>(method: string, path: string, body?: unknown, opts?: StaffCallOptions): Promise<T>;
  /** The sales history (routes/history.ts); store scope needs a supervisor: signed in, or a store-view grant. */
  searchPayments(query: Omit<ListPaymentsQuery, 'orderId'>, say?: StaffSay): Promise<PaymentList>;
  paymentDetail(id: string, scope: 'terminal' | 'store', say?: StaffSay): Promise<PaymentDetail>;
}

const unauthorizedListeners = new Set<() => void>();

/** Called when the proxy refuses this tablet's token (401) on any call: it was unpaired (revoked). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface StaffCallOptions {
  /** Supervisor PIN: sent in X-Staff-Pin, never stored. */
  pin?: string;
  /** Refunds: made once per refund request and reused on a retry, so a lost answer cannot refund twice. */
  idempotencyKey?: string;
}

/** A staff say-so: a PIN (X-Staff-Pin, checked each time) or a grant it bought (X-Staff-Grant,
 *  server/staff/grants.ts). Neither: the signed-in staff member's session, if any. */
export interface StaffSay {
  pin?: string;
  grant?: string;
}

function sayHeaders(say: StaffSay | undefined): Record<string, string> {
  if (say?.pin) return { 'X-Staff-Pin': say.pin };
  if (say?.grant) return { 'X-Staff-Grant': say.grant };
  return {};
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
  timeoutMs?: number;
  /** Answer is text (CSV), not JSON. */
  text?: boolean;
  /** The payment flow reads 429/Retry-After itself (checkout/attempt-core.ts, payment-watch.ts): hand it
   *  over as is. Every other call is resent or refused here (throttle.ts). */
  callerThrottles?: boolean;
}

// Charging a code waits on the provider (two calls at some providers, up to ~30 s); give it room so a slow
// but successful charge is not turned into a retry.
const CREATE_TIMEOUT_MS = 45_000;
// A staff action may wait on the provider (void, refund) like a charge does.
const STAFF_TIMEOUT_MS = 30_000;
// A day report reconciles with every provider the store uses (PayBy: one query per payment).
const REPORT_TIMEOUT_MS = 60_000;

function reportPath(q: DayReportQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, v);
  return `/api/reports/day?${params.toString()}`;
}

export function createApiClient(opts: ApiClientOptions = {}): ApiClient {
  const baseUrl = opts.baseUrl ?? '';
  const tokenOf = opts.getToken ?? getToken;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const defaultTimeout = opts.timeoutMs ?? 15_000;

  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function request<T>(method: string, path: string, ro: RequestOptions = {}): Promise<T> {
    for (let resends = 0; ; resends++) {
      try {
        return await send<T>(method, path, ro);
      } catch (err) {
        if (ro.callerThrottles || !(err instanceof ApiError)) throw err;
        const step = throttleStep({ method, headers: ro.headers ?? {} }, err, resends);
        if ('rethrow' in step) throw err;
        const wait = 'refuse' in step ? (step.refuse.throttleMs ?? 0) : step.resendAfterMs;
        announceThrottle({ until: Date.now() + wait, resending: 'resendAfterMs' in step });
        if ('refuse' in step) throw step.refuse;
        await sleep(step.resendAfterMs);
      }
    }
  }

  async function send<T>(method: string, path: string, ro: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { Accept: ro.text ? 'text/csv' : 'application/json', ...ro.headers };
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
    if (!res.ok) {
      const err = toApiError(res.status, res.statusText, text, res.headers.get('retry-after'));
      if (res.status === 401 && ro.auth !== false) for (const l of unauthorizedListeners) l();
      throw err;
    }
    if (ro.text) return text as T;
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
        callerThrottles: true,
      }),
    getPayment: (id, o) =>
      request<PaymentView>('GET', `/api/payments/${encodeURIComponent(id)}${o?.fresh ? '?fresh=1' : ''}`, { callerThrottles: true }),
    cancelPayment: (id) =>
      request<PaymentView>('POST', `/api/payments/${encodeURIComponent(id)}/cancel`, { body: {}, callerThrottles: true }),
    listOrderPayments: async (orderId) =>
      (
        await request<{ payments: PaymentView[] }>('GET', `/api/payments?orderId=${encodeURIComponent(orderId)}`, {
          callerThrottles: true,
        })
      ).payments,
    switchStore: (storeId) => request<TerminalInfo>('PUT', '/api/terminal/store', { body: { storeId } satisfies SwitchStoreRequest }),
    attention: () => request<AttentionList>('GET', '/api/attention', { timeoutMs: STAFF_TIMEOUT_MS }),
    dayReport: (query, say) => request<DayReport>('GET', reportPath(query), { headers: sayHeaders(say), timeoutMs: REPORT_TIMEOUT_MS }),
    dayReportCsv: (query, say) =>
      request<string>('GET', reportPath(query), { headers: sayHeaders(say), timeoutMs: REPORT_TIMEOUT_MS, text: true }),
    closeDay: (req, say) =>
      request<DayCloseResponse>('POST', '/api/reports/day/close', { body: req, headers: sayHeaders(say), timeoutMs: REPORT_TIMEOUT_MS }),
    staffAction: <T>(path: string, body: unknown, o: StaffCallOptions = {}) => {
      const headers: Record<string, string> = {};
      if (o.pin) headers['X-Staff-Pin'] = o.pin;
      if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
      return request<T>('POST', path, { body, headers, timeoutMs: STAFF_TIMEOUT_MS });
    },
    send: <T>(method: string, path: string, body?: unknown, o: StaffCallOptions = {}) =>
      request<T>(method, path, { body, headers: o.pin ? { 'X-Staff-Pin': o.pin } : {}, timeoutMs: STAFF_TIMEOUT_MS }),
    searchPayments: (query, say) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
      return request<PaymentList>('GET', `/api/payments?${params.toString()}`, { headers: sayHeaders(say) });
    },
    paymentDetail: (id, scope, say) =>
      request<PaymentDetail>('GET', `/api/payments/${encodeURIComponent(id)}/detail?scope=${scope}`, {
        headers: sayHeaders(say),
      }),
  };
}

/** The app-wide client (same origin as the proxy). */
export const api: ApiClient = createApiClient();
