// PayBy notification intake (spec §9, DESIGN §10): the `sign` header must verify over the exact raw bytes
// with PayBy's platform public key before anything is read; the body is then a hint for handleNotification
// (de-duplicated by notify_id, confirmed with getOrder).
import type { KeyObject } from 'node:crypto';
import type { Money } from '../../../src/shared/money.ts';
import { fromPayByAmount } from './mapping.ts';
import { verifyPayByNotification } from './webhook.ts';
import type { ProviderStatus, ProviderVerdict } from '../types.ts';
import type { IntakeResult } from '../centrapay/intake.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What a payment notification claims, for the log only (the query decides). */
const CLAIMS: Record<string, ProviderStatus> = { PAID_SUCCESS: 'succeeded', SETTLED: 'succeeded' };

/** The amount in PayBy's getOrder answer (verdict.raw is the verified response). */
export function paybyQueriedAmount(verdict: ProviderVerdict): Money | null {
  const order = obj(obj(obj(verdict.raw)?.body)?.acquireOrder);
  return fromPayByAmount(order?.totalAmount) ?? null;
}

export function readPayByNotification(raw: Buffer, sign: string | undefined, platformPublicKey: KeyObject): IntakeResult {
  const check = verifyPayByNotification(raw, sign, platformPublicKey);
  if (!check.ok) {
    const proven = check.reason !== 'signature does not verify' && check.reason !== 'missing sign header';
    return { ok: false, status: proven ? 400 : 401, reason: proven ? 'malformed' : 'bad_signature', detail: check.reason };
  }
  const n = check.notification;
  if (n.kind === 'payment') {
    const order = obj(n.raw.acquireOrder);
    return {
      ok: true,
      notification: {
        provider: 'payby', eventId: n.notifyId, rawBody: raw.toString('utf8'),
        reference: n.merchantOrderNo, providerRef: n.orderNo,
        claimedStatus: n.status ? CLAIMS[n.status] : undefined,
        claimedAmount: fromPayByAmount(order?.totalAmount),
        queriedAmount: paybyQueriedAmount,
      },
    };
  }
  // A refund finished: re-read the payment it belongs to (a revoke shows there as reversed).
  const refund = obj(n.raw.refundOrder);
  return {
    ok: true,
    notification: {
      provider: 'payby', eventId: n.notifyId, rawBody: raw.toString('utf8'),
      reference: str(refund?.originMerchantOrderNo) ?? `refund:${n.merchantOrderNo}`,
      providerRef: str(refund?.originOrderNo),
      queriedAmount: paybyQueriedAmount,
    },
  };
}
