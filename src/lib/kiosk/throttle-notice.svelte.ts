// The countdown the cashier sees while the proxy asks the kiosk to wait (api/throttle.ts): "sending again in
// N s" when the kiosk resends by itself, "too many attempts, try again in N s" when it is theirs to do.
import { onThrottled, type ThrottleNotice as Notice } from '../api/throttle';

class ThrottleNotice {
  /** Whole seconds left (0: nothing to show). */
  secondsLeft = $state(0);
  resending = $state(false);
  private until = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  show(n: Notice): void {
    this.until = n.until;
    this.resending = n.resending;
    this.tick();
    if (this.timer === null && this.secondsLeft > 0) this.timer = setInterval(() => this.tick(), 250);
  }

  private tick(): void {
    this.secondsLeft = Math.max(0, Math.ceil((this.until - Date.now()) / 1000));
    if (this.secondsLeft === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

export const throttleNotice = new ThrottleNotice();
onThrottled((n) => throttleNotice.show(n));
