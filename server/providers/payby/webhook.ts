// PayBy payment/refund notifications (spec providers/payby.md §9, DESIGN §10): the `sign` header must
// verify over the exact raw bytes with PayBy's platform public key before anything is read; the body is
// then a hint for the core (de-duplicated by notify_id, confirmed with getOrder before a payment changes).
import type { KeyObject } from 'node:crypto';
import { fromPayByAmount } from './mapping.ts';
import { loadPublicKey, verifyBody } from './signing.ts';
import type { ProviderStatus, WebhookAck, WebhookParse } from '../types.ts';

/** PayBy wants HTTP 200 whose body contains SUCCESS; the documented sample is this JSON. */
export const PAYBY_NOTIFY_ACK = { contentType: 'application/json; charset=UTF-8', body: '{"response":"SUCCESS"}' } as const;

export const PAYBY_WEBHOOK_ACK: WebhookAck = { status: 200, ...PAYBY_NOTIFY_ACK };

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

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What a payment notification claims, for the log only (the query decides). */
const CLAIMS: Record<string, ProviderStatus> = { PAID_SUCCESS: 'succeeded', SETTLED: 'succeeded' };

export function verifyPayByNotification(
  raw: Uint8Array | string,
  sign: string | undefined,
  platformPublicKey: KeyObject | string,
): NotificationCheck {
  const key = typeof platformPublicKey === 'string' ? loadPublicKey(platformPublicKey) : platformPublicKey;
  if (!verifyBody(raw, sign, key)) return { ok: false, reason: sign ? 'signature does not verify' : 'missing sign header' };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!body || typeof body !== 'object') return { ok: false, reason: 'body is not a JSON object' };
  const notifyId =
    typeof body.notify_id === 'string' ? body.notify_id : typeof body.notify_id === 'number' ? String(body.notify_id) : undefined;
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

/** A verified notification names the payment to re-query: its own order, or for a finished refund the
 *  payment the refund belongs to (a revoke shows there as reversed). null key: cannot check right now. */
export function parsePayByWebhook(raw: Buffer, sign: string | undefined, platformPublicKey: KeyObject | null): WebhookParse {
  if (!platformPublicKey) return { ok: false, status: 503, reason: 'key_unavailable' };
  const check = verifyPayByNotification(raw, sign, platformPublicKey);
  if (!check.ok) {
    const proven = check.reason !== 'signature does not verify' && check.reason !== 'missing sign header';
    return { ok: false, status: proven ? 400 : 401, reason: proven ? 'malformed' : 'bad_signature', detail: check.reason };
  }
  const n = check.notification;
  const rawBody = raw.toString('utf8');
  if (n.kind === 'payment') {
    const order = obj(n.raw.acquireOrder);
    return {
      ok: true,
      notification: {
        eventId: n.notifyId,
        rawBody,
        reference: n.merchantOrderNo,
        providerRef: n.orderNo,
        claimedStatus: n.status ? CLAIMS[n.status] : undefined,
        claimedAmount: fromPayByAmount(order?.totalAmount),
      },
    };
  }
  const refund = obj(n.raw.refundOrder);
  return {
    ok: true,
    notification: {
      eventId: n.notifyId,
      rawBody,
      reference: str(refund?.originMerchantOrderNo) ?? `refund:${n.merchantOrderNo}`,
      providerRef: str(refund?.originOrderNo),
    },
  };
}
