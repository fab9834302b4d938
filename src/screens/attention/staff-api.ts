// Calls for the "Needs attention" screen: the list and the staff actions the proxy offers for each item
// (routes/staff.ts). The proxy says which actions exist and which need a supervisor PIN; the PIN travels in
// X-Staff-Pin and is never stored. A refund carries an Idempotency-Key made once per refund request, so a
// retry after a lost answer cannot refund twice.
import type { AttentionItem, PaymentView, RefundResponse, StaffAction } from '../../shared/api';
import type { Money } from '../../shared/money';
import { NetworkError, toApiError } from '../../lib/api/errors';
import { getToken } from '../../lib/api/token';

async function call<T>(method: 'GET' | 'POST', path: string, opts: { pin?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${getToken() ?? ''}` };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.pin) headers['X-Staff-Pin'] = opts.pin;
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 30_000);
  let res: Response;
  let text: string;
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: ctrl.signal, cache: 'no-store' });
    text = await res.text();
  } catch (err) {
    throw new NetworkError(ctrl.signal.aborted ? 'The payment server did not answer in time.' : 'Cannot reach the payment server.', err);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw toApiError(res.status, res.statusText, text);
  return JSON.parse(text) as T;
}

export function fetchAttention(): Promise<{ items: AttentionItem[] }> {
  return call('GET', '/api/attention');
}

/** What is left to refund on a payment, as far as the kiosk can tell (the proxy checks again). */
export function refundable(item: AttentionItem): Money {
  const p = item.payment;
  const pending = item.refunds.filter((r) => r.status !== 'failed' && r.status !== 'succeeded').reduce((n, r) => n + r.amount.value, 0);
  return { value: Math.max(0, p.amount.value - p.refundedAmount.value - pending), currency: p.amount.currency };
}

export interface ActionRequest {
  pin?: string;
  /** Refunds only: the Idempotency-Key (reuse it when retrying the same refund). */
  key?: string;
  amount?: Money;
}

/** Runs one of the item's actions; resolves with the payment as the proxy now sees it. */
export async function runAction(item: AttentionItem, action: StaffAction, req: ActionRequest = {}): Promise<PaymentView> {
  const route = item.routes[action];
  const id = encodeURIComponent(item.payment.id);
  const path = route?.path ?? (action === 'refund' ? `/api/payments/${id}/refunds` : `/api/payments/${id}/${action}`);
  if (action === 'refund') {
    const r = await call<RefundResponse>('POST', path, { pin: req.pin, key: req.key, body: { amount: req.amount ?? refundable(item) } });
    return r.payment;
  }
  return call<PaymentView>('POST', path, { pin: req.pin, body: {} });
}

export function needsPin(item: AttentionItem, action: StaffAction): boolean {
  return item.routes[action]?.supervisorPin ?? (action === 'void' || action === 'refund' || action === 'acknowledge');
}
