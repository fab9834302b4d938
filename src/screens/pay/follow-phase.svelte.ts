// What every payment screen (till and self-checkout, wallet code and merchant QR) does as its attempt's phase
// changes: the paid chime and on to the receipt, the error buzz when it did not go through, and back to the
// sale after a cancel — at once when nothing was charged, after a moment to read "Cancelled" when a payment was.
import { untrack } from 'svelte';
import { checkout } from '../../lib/checkout/manager.svelte';
import { buzzError, chimePaid } from '../../lib/kiosk/sound';

interface Attempt {
  readonly phase: string;
  readonly payment?: unknown;
}

/** Call while a payment screen initialises. `errorPhase`: the phase that buzzes (a wallet code is 'declined',
 *  a merchant QR 'failed'). */
export function followPaymentPhase(attempt: Attempt | undefined, errorPhase: 'declined' | 'failed'): void {
  $effect(() => {
    const phase = attempt?.phase;
    untrack(() => {
      if (phase === 'paid') {
        chimePaid();
        checkout.finishPaid();
      } else if (phase === errorPhase) {
        buzzError();
      }
    });
    if (phase === 'cancelled') {
      const t = setTimeout(() => checkout.leavePayment(), attempt?.payment ? 1200 : 0);
      return () => clearTimeout(t);
    }
  });
}
