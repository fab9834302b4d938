// `GET <sim>/control/ledger`: every transaction a simulator holds, in one provider-neutral shape, so tests and
// the chaos bench can compare "what the provider did" with what the proxy recorded (lost payments, double
// charges). Control surface only — not part of any provider's protocol.
export interface SimLedgerEntry {
  /** The provider's own id for the transaction, in its protocol's field. */
  providerRef: string;
  /** The merchant's reference as sent, in its protocol's field. */
  reference: string | null;
  mode: 'cpm' | 'mpm';
  /** The provider's own status word. */
  status: string;
  amountMinor: number;
  currency: string;
  /** Money was taken from the customer at some point (refunds do not undo this; see refundedMinor). */
  captured: boolean;
  /** Sum of refunds, including a void/cancel/revoke of a captured payment. */
  refundedMinor: number;
  createdAt: string;
}

/** What the customer is out of pocket on this transaction. */
export function netCharged(e: SimLedgerEntry): number {
  return e.captured ? e.amountMinor - e.refundedMinor : 0;
}
