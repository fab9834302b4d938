// Centrapay webhook intake (spec §10, DESIGN §10): the ES256 token in Authorization must verify with a key
// from Centrapay's JWKS, be unexpired, name our base URL as `aud`, and carry the SHA-256 of the exact bytes
// received. Only then is the body read — as a hint for handleNotification, which re-queries Centrapay.
import type { Money } from '../../../src/shared/money.ts';
import { verifyNotificationJwt } from './jwt.ts';
import { fromCentrapayMonetary } from './mapping.ts';
import type { ProviderVerdict } from '../types.ts';
import type { Notification } from '../../payments/notifications.ts';
import { JwksUnavailableError, type JwksCache } from './jwks.ts';

export type IntakeResult =
  | { ok: true; notification: Notification }
  /** 401: not proven to come from the provider; 400: proven but unreadable; 503: cannot check right now. */
  | { ok: false; status: 400 | 401 | 503; reason: string; detail?: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function monetary(v: unknown): Money | null {
  try {
    return fromCentrapayMonetary(v);
  } catch {
    return null;
  }
}

/** The amount Centrapay's own answer reports: the request's `value` (raw is the request, or
 *  {request, activities} when refunds were read too). */
export function centrapayQueriedAmount(verdict: ProviderVerdict): Money | null {
  const raw = obj(verdict.raw);
  const request = obj(raw?.request) ?? raw;
  return request ? monetary(request.value) : null;
}

export async function readCentrapayNotification(input: {
  raw: Buffer; authorization: string | undefined; jwks: JwksCache; audience: string;
}): Promise<IntakeResult> {
  const { raw, authorization, jwks, audience } = input;
  let keys;
  try {
    keys = await jwks.keys();
  } catch (err) {
    if (err instanceof JwksUnavailableError) return { ok: false, status: 503, reason: 'jwks_unavailable', detail: err.message };
    throw err;
  }
  let check = verifyNotificationJwt({ authorization, body: raw, jwks: keys, audience });
  if (!check.ok && check.reason === 'unknown_kid') {
    // Keys rotate without notice (§10): look again, within the refresh rate limit.
    const fresh = await jwks.refreshForUnknownKid();
    if (fresh) check = verifyNotificationJwt({ authorization, body: raw, jwks: fresh, audience });
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
  if (typeof requestId !== 'string' || requestId === '') return { ok: false, status: 400, reason: 'malformed', detail: 'data.paymentRequestId missing' };
  const paid = body.type === 'payment-request:paid';
  return {
    ok: true,
    notification: {
      provider: 'centrapay',
      // Retries carry the same bytes and id (at-least-once, §10): the de-duplication key.
      eventId: id,
      rawBody: raw.toString('utf8'),
      providerRef: requestId,
      claimedStatus: paid ? 'succeeded' : undefined,
      claimedAmount: paid ? monetary(data.value) ?? undefined : undefined,
      queriedAmount: centrapayQueriedAmount,
    },
  };
}
