// Server-Sent Events over fetch, so the terminal token travels in the Authorization header and never in a
// URL (EventSource cannot set headers). Reconnects with backoff and resumes with Last-Event-ID so no
// payment update is lost while the connection was down. Frames are parsed by eventsource-parser.
import { backoff } from '../../shared/backoff';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { PaymentView } from '../../shared/api';
import type { StaffCallFrame } from '../../shared/self-checkout-api';
import { PAYMENT_STATUSES } from '../../shared/payment';
import { getToken } from './token';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'retrying' | 'unauthorized' | 'stopped';

export type PaymentListener = (payment: PaymentView, eventId: string) => void;

export interface PaymentEvents {
  start(): void;
  stop(): void;
  /** Skip the backoff wait (e.g. the browser reports it is back online). */
  reconnectNow(): void;
  subscribe(cb: PaymentListener): () => void;
  /** The last pushed view of a payment (the most recent payments only). */
  latest(paymentId: string): PaymentView | undefined;
  onState(cb: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  isConnected(): boolean;
}

export interface PaymentEventsOptions {
  url?: string;
  getToken?: () => string | null;
  fetch?: typeof fetch;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The server sends `: ping` every 15 s; silence for longer than this means a dead connection. */
  idleTimeoutMs?: number;
}

function isPaymentView(v: unknown): v is PaymentView {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.id === 'string' && typeof p.status === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(p.status);
}

/** The data of a `payment.updated` frame: a PaymentView, or {eventId, payment} (src/shared/api.ts PaymentEvent). */
export function parsePaymentEventData(data: string): PaymentView | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (isPaymentView(parsed)) return parsed;
  const inner = (parsed as { payment?: unknown } | null)?.payment;
  return isPaymentView(inner) ? inner : null;
}

/** Recent payments whose last pushed view is kept: far more than one kiosk has open at once. */
const REMEMBERED_PAYMENTS = 50;

export function backoffDelay(failures: number, initialMs: number, maxMs: number, random = Math.random): number {
  // Jitter so a fleet of tablets does not reconnect in lock-step after a proxy restart: ±25 % around each
  // doubling step, i.e. the top 40 % of a step 1.25× as long (the shared formula draws below its step).
  const base = Math.min(initialMs, maxMs);
  return backoff(Math.max(0, failures - 1), { baseMs: base * 1.25, maxMs: maxMs * 1.25, jitter: 0.4, random });
}

export function createPaymentEvents(opts: PaymentEventsOptions = {}): PaymentEvents {
  const url = opts.url ?? '/api/events';
  const tokenOf = opts.getToken ?? getToken;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const initialBackoff = opts.initialBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 15_000;
  const idleTimeout = opts.idleTimeoutMs ?? 40_000;

  const listeners = new Set<PaymentListener>();
  const latestViews = new Map<string, PaymentView>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'idle';
  let running = false;
  let generation = 0;
  let lastEventId = '';
  let serverRetryMs: number | null = null;
  let abort: AbortController | null = null;
  let wake: (() => void) | null = null;

  function setState(s: ConnectionState): void {
    if (s === state) return;
    state = s;
    for (const cb of stateListeners) cb(s);
  }

  function handle(msg: EventSourceMessage): void {
    // The id stays in effect for later frames that carry none (it is what Last-Event-ID resumes from).
    if (msg.id !== undefined) lastEventId = msg.id;
    if (msg.event === 'staff.call') return dispatchStaffCall(msg.data);
    if (msg.event !== 'payment.updated') return;
    const payment = parsePaymentEventData(msg.data);
    if (!payment) return;
    latestViews.delete(payment.id);
    latestViews.set(payment.id, payment);
    if (latestViews.size > REMEMBERED_PAYMENTS) latestViews.delete(latestViews.keys().next().value!);
    for (const cb of [...listeners]) cb(payment, lastEventId);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function connectOnce(gen: number): Promise<'ended' | 'unauthorized'> {
    const token = tokenOf();
    if (!token) return 'unauthorized';
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const ctrl = new AbortController();
    abort = ctrl;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => ctrl.abort(), idleTimeout);
    };
    try {
      arm();
      const res = await doFetch(url, { headers, signal: ctrl.signal, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) return 'unauthorized';
      if (!res.ok || !res.body) return 'ended';
      if (gen === generation) setState('open');
      const parser = createParser({
        onEvent: (m) => {
          if (gen === generation) handle(m);
        },
        onRetry: (ms) => (serverRetryMs = ms),
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done || gen !== generation) break;
        arm();
        parser.feed(decoder.decode(value, { stream: true }));
      }
      return 'ended';
    } catch {
      return 'ended';
    } finally {
      clearTimeout(idle);
      ctrl.abort();
      if (abort === ctrl) abort = null;
    }
  }

  async function loop(gen: number): Promise<void> {
    let failures = 0;
    while (running && gen === generation) {
      setState(failures === 0 ? 'connecting' : 'retrying');
      const openedAt = Date.now();
      const result = await connectOnce(gen);
      if (!running || gen !== generation) return;
      if (result === 'unauthorized') {
        running = false;
        setState('unauthorized');
        return;
      }
      // A connection that stayed up for a while was healthy; start the backoff over.
      failures = Date.now() - openedAt > 10_000 ? 1 : failures + 1;
      setState('retrying');
      await sleep(backoffDelay(failures, serverRetryMs ?? initialBackoff, maxBackoff));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      generation++;
      void loop(generation);
    },
    stop() {
      running = false;
      generation++;
      abort?.abort();
      wake?.();
      setState('stopped');
    },
    reconnectNow() {
      wake?.();
    },
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    latest: (paymentId) => latestViews.get(paymentId),
    onState(cb) {
      stateListeners.add(cb);
      return () => stateListeners.delete(cb);
    },
    get state() {
      return state;
    },
    isConnected: () => state === 'open',
  };
}

const staffCallListeners = new Set<(frame: StaffCallFrame) => void>();

/** A customer's "Call staff" raised or answered at a tablet of this store (routes/self-checkout.ts). */
export function onStaffCall(cb: (frame: StaffCallFrame) => void): () => void {
  staffCallListeners.add(cb);
  return () => staffCallListeners.delete(cb);
}

function dispatchStaffCall(data: string): void {
  let frame: StaffCallFrame;
  try {
    frame = JSON.parse(data) as StaffCallFrame;
  } catch {
    return;
  }
  if (!frame || typeof frame.call?.id !== 'string') return;
  for (const cb of [...staffCallListeners]) cb(frame);
}

/** The app-wide event stream. */
export const paymentEvents: PaymentEvents = createPaymentEvents();
