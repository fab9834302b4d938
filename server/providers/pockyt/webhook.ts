// Pockyt IPN (spec providers/pockyt.md §10): reading and verifying one notification. What to do with it
// (de-duplication, re-query, applying the provider's truth) is provider-neutral: payments/notifications.ts.
import { type Money } from '../../../src/shared/money.ts';
import type { WebhookAck, WebhookParse } from '../types.ts';
import { fromPockytAmount, isPockytStatus, STATUS_MAP } from './mapping.ts';
import { verifyPockytSign } from './signing.ts';

/** The only acknowledgement Pockyt accepts: this exact plain text; anything else is a failed delivery. */
export const POCKYT_ACK = 'success';

export const POCKYT_WEBHOOK_ACK: WebhookAck = { status: 200, contentType: 'text/plain; charset=utf-8', body: POCKYT_ACK };

const MAX_FIELDS = 40;

export type IpnCheck =
  | {
      ok: true;
      fields: Record<string, string>;
      /** De-duplication key (spec §10: idempotent on transactionNo + status). */
      eventId: string;
      transactionNo: string;
      status: string;
      reference?: string;
      amount?: Money;
    }
  | { ok: false; httpStatus: 400 | 401; reason: string; transactionNo?: string };

/** Parses a form body and checks `verifySign` with the merchant token (constant-time, both empty-value
 *  forms — see signing.ts). Only a verified notification comes back ok. */
export function readPockytIpn(rawBody: string, token: string): IpnCheck {
  const params = new URLSearchParams(rawBody);
  const fields: Record<string, string> = {};
  let count = 0;
  for (const [k, v] of params) {
    // A repeated field would make "which value was signed" ambiguous: refuse rather than guess.
    if (Object.hasOwn(fields, k)) return { ok: false, httpStatus: 400, reason: `field ${k} repeated` };
    if (++count > MAX_FIELDS) return { ok: false, httpStatus: 400, reason: 'too many fields' };
    fields[k] = v;
  }
  const transactionNo = fields.transactionNo || undefined;
  if (!fields.verifySign) return { ok: false, httpStatus: 401, reason: 'unsigned', transactionNo };
  if (!verifyPockytSign(fields, token)) return { ok: false, httpStatus: 401, reason: 'bad signature', transactionNo };
  const status = fields.status ?? '';
  if (!transactionNo || !/^[A-Za-z0-9_-]{1,64}$/.test(transactionNo) || !/^[a-z_]{1,32}$/.test(status)) {
    return { ok: false, httpStatus: 400, reason: 'transactionNo or status missing or malformed', transactionNo };
  }
  let amount: Money | undefined;
  if (fields.amount) {
    try {
      amount = fromPockytAmount(fields.amount, fields.currency || 'USD');
    } catch {
      return { ok: false, httpStatus: 400, reason: 'amount malformed', transactionNo };
    }
  }
  return {
    ok: true,
    fields,
    eventId: `${transactionNo}:${status}`,
    transactionNo,
    status,
    reference: fields.reference || undefined,
    amount,
  };
}

/** The IPN as a verified notification (form body, `verifySign` with the merchant token), or why not. */
export function parsePockytWebhook(rawBody: Buffer, token: string): WebhookParse {
  const raw = rawBody.toString('utf8');
  const ipn = readPockytIpn(raw, token);
  if (!ipn.ok)
    return { ok: false, status: ipn.httpStatus, reason: ipn.reason, detail: ipn.transactionNo && `transactionNo ${ipn.transactionNo}` };
  return {
    ok: true,
    notification: {
      eventId: ipn.eventId,
      rawBody: raw,
      providerRef: ipn.transactionNo,
      reference: ipn.reference,
      claimedStatus: isPockytStatus(ipn.status) ? STATUS_MAP[ipn.status].status : undefined,
      claimedAmount: ipn.amount,
    },
  };
}
