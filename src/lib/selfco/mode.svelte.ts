// Self-checkout mode on this tablet (issue 12): whether it is on (the proxy keeps it: GET /api/terminal), the
// attract screen or a customer's visit, the customer's "Call staff", and starting over — after a sale, or when
// the customer walked away. Starting over never leaves a payment open: an attempt still in progress is
// cancelled through its normal path (the provider's cancel), and the basket is cleared only once nothing
// can be paid any more. If the payment succeeded meanwhile, the customer's receipt is shown instead.
import { describeError } from '../api/errors';
import { onStaffCall } from '../api/events';
import { checkout } from '../checkout/manager.svelte';
import { app } from '../kiosk/app.svelte';
import { unlockAudio } from '../kiosk/sound';
import { renewScreenLock } from '../kiosk/wakelock';
import { selfCheckoutApi } from './api';
import { enterFullscreen, leaveFullscreen } from './fullscreen';
import { IdleClock, type IdleMode } from './idle';
import { chooseLanguage, currentLanguage, forgetCustomerLanguage, type KioskLocale } from './language';

const DEFAULT_IDLE_MS = 60_000;

export type CallState = 'none' | 'calling' | 'called' | 'answered' | 'failed';

class SelfCheckoutMode {
  /** The attract screen is up (no customer yet). */
  attract = $state(true);
  /** Cancelling an open payment and clearing the basket. */
  resetting = $state(false);
  call = $state<CallState>('none');
  #callId: string | null = null;

  #idleState = $state({ asking: false, secondsLeft: 0 });
  readonly idle = new IdleClock(this.#idleState, {
    idleMs: () => this.idleMs,
    mode: () => this.#idleMode(),
    onTimeout: () => void this.startOver(),
  });

  get on(): boolean {
    return app.terminal?.selfCheckout?.on ?? false;
  }

  get idleMs(): number {
    return app.terminal?.selfCheckout?.idleMs ?? DEFAULT_IDLE_MS;
  }

  #idleMode(): IdleMode {
    if (!this.on || this.attract || this.resetting) return 'off';
    return checkout.route === 'paid' ? 'quiet' : 'ask';
  }

  /** Settings → "Self-checkout mode" with a supervisor's PIN. Throws the proxy's refusal (wrong PIN …). */
  async enter(pin: string): Promise<void> {
    const info = await selfCheckoutApi.setMode(true, pin);
    this.#apply(info);
    checkout.startNewSale();
    this.attract = true;
    enterFullscreen();
  }

  /** The staff gesture's PIN dialog. The basket (if any) stays for the cashier. */
  async exit(pin: string): Promise<void> {
    const info = await selfCheckoutApi.setMode(false, pin);
    this.#apply(info);
    this.attract = true;
    this.call = 'none';
    forgetCustomerLanguage();
    leaveFullscreen();
    if (!checkout.locked) checkout.go('sale');
  }

  #apply(info: { on: boolean; idleMs: number }): void {
    const t = app.terminal;
    if (t) app.useTerminal({ ...t, selfCheckout: info });
  }

  /** "Tap to start". */
  begin(): void {
    enterFullscreen();
    renewScreenLock();
    unlockAudio();
    this.attract = false;
    this.idle.touch();
    if (checkout.route !== 'sale' && !checkout.locked) checkout.go('sale');
  }

  /** The customer's language, else the tablet's (Settings → Language, the store's, the browser's). */
  get language(): KioskLocale {
    return currentLanguage();
  }

  setLanguage(choice: KioskLocale): void {
    chooseLanguage(choice);
  }

  async callStaff(): Promise<void> {
    this.call = 'calling';
    try {
      this.#callId = (await selfCheckoutApi.callStaff()).id;
      if (this.call === 'calling') this.call = 'called';
    } catch (err) {
      console.warn('call staff failed', describeError(err));
      this.call = 'failed';
    }
  }

  /** A staff member answered this tablet's call at another till. */
  heard(callId: string, kind: 'called' | 'answered'): void {
    if (kind === 'answered' && (callId === this.#callId || this.call === 'calling')) this.call = 'answered';
  }

  /** After a sale, or when the customer walked away: back to the attract screen with nothing left open. */
  async startOver(): Promise<void> {
    if (this.resetting) return;
    this.resetting = true;
    try {
      const flow = checkout.cpm ?? checkout.mpm;
      if (flow && checkout.locked) {
        flow.cancel();
        await until(() => !checkout.locked);
      }
      if (flow?.state.phase === 'paid') {
        checkout.finishPaid();
        return;
      }
      checkout.discardPayment();
      checkout.startNewSale();
      this.attract = true;
      this.call = 'none';
      this.#callId = null;
      forgetCustomerLanguage();
    } finally {
      this.resetting = false;
    }
  }
}

function until(done: () => boolean, everyMs = 200): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (done() ? resolve() : setTimeout(check, everyMs));
    check();
  });
}

export const selfCheckout = new SelfCheckoutMode();

onStaffCall((frame) => selfCheckout.heard(frame.call.id, frame.kind));
