// Seams around a payment's provider call. They exist for the crash tests (server/crash-hooks.ts kills the
// process at each step, like a power cut); a production process gets NO_HOOKS. The steps are the
// money-safety argument of service.ts: `created` committed → call out → answer in hand → answer committed.
export interface PaymentHooks {
  /** The `created` row is committed; nothing has been sent to the provider yet. */
  beforeSend(): void;
  /** A charge call has started; returns what to call once it has settled (answer or error). */
  whileCalling(): () => void;
  /** The provider's answer is in hand; our write of it is not committed yet. */
  beforeWrite(): void;
}

export const NO_HOOKS: PaymentHooks = {
  beforeSend() {},
  whileCalling: () => () => {},
  beforeWrite() {},
};
