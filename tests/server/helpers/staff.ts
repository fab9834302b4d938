// Staff actions as the kiosk sends them: the supervisor PIN in X-Staff-Pin, an Idempotency-Key per refund.
import { randomUUID } from 'node:crypto';
import type { Kiosk, Reply } from './kiosk.ts';

export const DEMO_PIN = '1234';

export function voidPayment(k: Kiosk, id: string, pin: string | null = DEMO_PIN): Promise<Reply> {
  return k.request('POST', `/api/payments/${id}/void`, { headers: pin === null ? {} : { 'x-staff-pin': pin } });
}

export function refund(
  k: Kiosk,
  id: string,
  value: number,
  currency: string,
  opts: { pin?: string | null; key?: string } = {},
): Promise<Reply> {
  const pin = opts.pin === undefined ? DEMO_PIN : opts.pin;
  return k.request('POST', `/api/payments/${id}/refunds`, {
    body: { amount: { value, currency } },
    headers: { 'idempotency-key': opts.key ?? randomUUID(), ...(pin === null ? {} : { 'x-staff-pin': pin }) },
  });
}

export function recheck(k: Kiosk, id: string): Promise<Reply> {
  return k.request('POST', `/api/payments/${id}/recheck`);
}

export function acknowledge(k: Kiosk, id: string, pin = DEMO_PIN): Promise<Reply> {
  return k.request('POST', `/api/payments/${id}/acknowledge`, { headers: { 'x-staff-pin': pin } });
}

/** Polls GET /api/payments/:id/refunds until the refund `id` is no longer open. */
export async function waitForRefund(k: Kiosk, paymentId: string, refundId: string, ms = 8000): Promise<any> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    const r = await k.request('GET', `/api/payments/${paymentId}/refunds`);
    last = r.body.refunds.find((x: { id: string }) => x.id === refundId);
    if (last && !['created', 'pending', 'unknown'].includes((last as { status: string }).status)) return last;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`refund ${refundId} never settled; last seen ${JSON.stringify(last)}`);
}
