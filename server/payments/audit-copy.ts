// What we keep of a provider's word, with every customer payment code masked (code-mask.ts): the payload
// of a payment's event row, the failure text stored on it, and a notification's body. The rules are the
// provider module's declared code fields plus the payment's code_masked, which recognises the code itself
// wherever a provider echoes it.
import { paymentCodeFields } from '../providers/registry.ts';
import type { Payment } from '../store/payments.ts';
import { maskPaymentCodes, maskPaymentCodesInText, type CodeMaskRules } from './code-mask.ts';

type PaymentCodeOwner = Pick<Payment, 'provider' | 'codeMasked'>;

function rulesFor(provider: string, codeMasked: string | null | undefined): CodeMaskRules {
  return { fields: paymentCodeFields(provider), maskedCodes: codeMasked ? [codeMasked] : [] };
}

/** A payload for `p`'s event row (a provider answer, an error, a detail). */
export function auditPayload(p: PaymentCodeOwner, raw: unknown): unknown {
  return maskPaymentCodes(raw, rulesFor(p.provider, p.codeMasked));
}

/** A failure as stored on the payment (its message may quote the provider). */
export function auditFailure<F extends { code: string; message: string } | undefined>(p: PaymentCodeOwner, failure: F): F {
  if (!failure) return failure;
  return { ...failure, message: maskPaymentCodesInText(failure.message, rulesFor(p.provider, p.codeMasked)) };
}

/** A notification's body as webhook_events keeps it. The signature was verified over the exact bytes
 *  received before we get here, so storing a masked copy loses nothing we rely on: the copy is for people
 *  reading the audit trail, never verified again. `payment`: when we already know whose it is. */
export function auditNotificationBody(provider: string, rawBody: string, payment?: Pick<Payment, 'codeMasked'>): string {
  return maskPaymentCodesInText(rawBody, rulesFor(provider, payment?.codeMasked));
}
