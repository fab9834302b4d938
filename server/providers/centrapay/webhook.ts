// Centrapay webhook intake (spec §10, DESIGN §10): the ES256 token in Authorization must verify with a key
// from Centrapay's JWKS, be unexpired, name our base URL as `aud`, and carry the SHA-256 of the exact bytes
// received. Only then is the body read — as a hint for the core, which re-queries Centrapay.
import type { Money } from '../../../src/shared/money.ts';
import type { WebhookAck, WebhookParse } from '../types.ts';
import { JwksUnavailableError } from './jwks.ts';
import { fromCentrapayMonetary } from './mapping.ts';
import { verifyNotificationJwt, type KeyResolver } from './token.ts';

/** Any 2xx acknowledges (§10). */
export const CENTRAPAY_WEBHOOK_ACK: WebhookAck = { status: 200, contentType: 'application/json; charset=utf-8', body: '{"received":true}' };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function monetary(v: unknown): Money | undefined {
  try {
    return fromCentrapayMonetary(v);
  } catch {
    return undefined;
  }
}

export async function parseCentrapayWebhook(
  raw: Buffer,
  authorization: string | undefined,
  keys: KeyResolver,
  audience: string,
): Promise<WebhookParse> {
  let check;
  try {
    check = await verifyNotificationJwt({ authorization, body: raw, jwks: keys, audience });
  } catch (err) {
    if (err instanceof JwksUnavailableError) return { ok: false, status: 503, reason: 'jwks_unavailable', detail: err.message };
    throw err;
  }
  if (!check.ok) return { ok: false, status: 401, reason: check.reason, detail: check.message };

  let body: Obj | undefined;
  try {
    body = obj(JSON.parse(raw.toString('utf8')));
  } catch {
    body = undefined;
  }
  const data = obj(body?.data);
  const id = body?.id;
  if (!body || typeof id !== 'string' || id === '' || id.length > 200 || typeof body.type !== 'string' || !data) {
    return { ok: false, status: 400, reason: 'malformed', detail: 'expected {id, type, data}' };
  }
  const requestId = data.paymentRequestId;
  if (typeof requestId !== 'string' || requestId === '')
    return { ok: false, status: 400, reason: 'malformed', detail: 'data.paymentRequestId missing' };
  const paid = body.type === 'payment-request:paid';
  return {
    ok: true,
    notification: {
      // Retries carry the same bytes and id (at-least-once, §10): the de-duplication key.
      eventId: id,
      rawBody: raw.toString('utf8'),
      providerRef: requestId,
      claimedStatus: paid ? 'succeeded' : undefined,
      claimedAmount: paid ? monetary(data.value) : undefined,
    },
  };
}
