// Our payment vs the provider's transaction: the rules that make a difference (pure, no I/O).
import type { ProviderStatus, ProviderTransaction } from '../providers/types.ts';
import type { OurPayment } from '../store/day-totals.ts';
import type { Difference } from '../store/recon-differences.ts';

/** Money was taken (whatever was given back since). */
const CAPTURED_HERE = new Set(['succeeded', 'partially_refunded', 'refunded', 'reversed']);
const CAPTURED_THERE = new Set<ProviderStatus>(['succeeded', 'reversed']);
/** No verdict yet: the reconciler is still asking; the day report lists these as open instead. */
export const OPEN_HERE = new Set(['created', 'pending', 'unknown']);

export const capturedHere = (status: string) => CAPTURED_HERE.has(status);
export const capturedThere = (status: ProviderStatus) => CAPTURED_THERE.has(status);

function base(provider: string, p: OurPayment | null, t: ProviderTransaction | null): Omit<Difference, 'kind' | 'message'> {
  return {
    provider,
    providerRef: t?.providerRef ?? p?.providerRef ?? null,
    reference: p?.reference ?? t?.reference ?? null,
    paymentId: p?.id ?? null,
    terminalId: p?.terminalId ?? null,
    currency: p?.currency ?? t?.amount.currency ?? null,
    oursValue: p ? p.amount : null,
    theirsValue: t ? t.amount.value : null,
    oursStatus: p?.status ?? null,
    theirsStatus: t?.status ?? null,
  };
}

/** Differences between a matched pair (empty when they agree or ours is still open). */
export function comparePair(provider: string, p: OurPayment, t: ProviderTransaction): Difference[] {
  if (OPEN_HERE.has(p.status)) return [];
  const here = capturedHere(p.status);
  const there = capturedThere(t.status);
  if (here !== there) {
    return [
      {
        ...base(provider, p, t),
        kind: 'status',
        message: here
          ? `We recorded ${p.status}; the provider shows ${t.status} (no money taken there).`
          : `We recorded ${p.status}; the provider shows the payment ${t.status} (money taken).`,
      },
    ];
  }
  if (!here) return [];
  const out: Difference[] = [];
  if (p.currency !== t.amount.currency || p.amount !== t.amount.value) {
    out.push({ ...base(provider, p, t), kind: 'amount', message: 'The provider shows a different amount for this payment.' });
  }
  const oursRefunded = p.status === 'reversed' ? p.amount : p.refunded;
  if (oursRefunded !== t.refunded.value) {
    out.push({
      ...base(provider, p, t),
      kind: 'refunded',
      oursValue: oursRefunded,
      theirsValue: t.refunded.value,
      message: 'The provider shows a different amount given back (refunds, reversals) than ours.',
    });
  }
  return out;
}

export function missingHere(provider: string, t: ProviderTransaction): Difference {
  return {
    ...base(provider, null, t),
    kind: 'missing_here',
    message: 'The provider took this payment, but it is not in our records (taken outside this system or lost).',
  };
}

export function missingAtProvider(provider: string, p: OurPayment): Difference {
  return {
    ...base(provider, p, null),
    kind: 'missing_at_provider',
    message: 'We recorded this payment as taken, but the provider has no record of it.',
  };
}
