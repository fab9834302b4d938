// PayBy payment/refund notifications (spec providers/payby.md §9), for the core's POST /webhooks/payby:
// verify the `sign` header over the raw body before parsing, then hand back the ids to re-query by.
// A notification is a hint, never a verdict: the core confirms with getOrder before changing a payment.
import type { KeyObject } from 'node:crypto';
import { loadPublicKey, verifyBody } from './signing.ts';

/** PayBy wants HTTP 200 whose body contains SUCCESS; the documented sample is this JSON. */
export const PAYBY_NOTIFY_ACK = { contentType: 'application/json; charset=UTF-8', body: '{"response":"SUCCESS"}' } as const;

export interface PayByNotification {
  /** Unique per notification and repeated on its retries: de-duplicate on it. */
  notifyId: string;
  notifyTimestamp?: number;
  kind: 'payment' | 'refund';
  /** Our reference (payment merchantOrderNo, or the refund's refundMerchantOrderNo). */
  merchantOrderNo: string;
  /** PayBy's orderNo of the payment or refund. */
  orderNo?: string;
  status?: string;
  raw: Record<string, unknown>;
}

export type NotificationCheck = { ok: true; notification: PayByNotification } | { ok: false; reason: string };

export function verifyPayByNotification(raw: Uint8Array | string, sign: string | undefined, platformPublicKey: KeyObject | string): NotificationCheck {
  const key = typeof platformPublicKey === 'string' ? loadPublicKey(platformPublicKey) : platformPublicKey;
  if (!verifyBody(raw, sign, key)) return { ok: false, reason: sign ? 'signature does not verify' : 'missing sign header' };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!body || typeof body !== 'object') return { ok: false, reason: 'body is not a JSON object' };
  const notifyId = typeof body.notify_id === 'string' ? body.notify_id : typeof body.notify_id === 'number' ? String(body.notify_id) : undefined;
  if (!notifyId) return { ok: false, reason: 'notify_id missing' };
  const order = body.acquireOrder as Record<string, unknown> | undefined;
  const refund = body.refundOrder as Record<string, unknown> | undefined;
  const target = order ?? refund;
  const merchantOrderNo = order ? order.merchantOrderNo : refund?.refundMerchantOrderNo;
  if (!target || typeof merchantOrderNo !== 'string') return { ok: false, reason: 'neither acquireOrder nor refundOrder present' };
  return {
    ok: true,
    notification: {
      notifyId,
      notifyTimestamp: typeof body.notify_timestamp === 'number' ? body.notify_timestamp : undefined,
      kind: order ? 'payment' : 'refund',
      merchantOrderNo,
      orderNo: typeof target.orderNo === 'string' ? target.orderNo : undefined,
      status: typeof target.status === 'string' ? target.status : undefined,
      raw: body,
    },
  };
}
