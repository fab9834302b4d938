// Who is signed in at this tablet (the proxy keeps the session; this mirrors it), the sign-in prompt, and the
// idle sign-out: touches and key presses ping the proxy (at most every 30 s, or a third of the idle time) so
// an active cashier stays signed in, and when the idle time runs out the kiosk asks the proxy again — which
// answers "nobody" — so the screen never shows someone as signed in whom the proxy has signed out.
import type { StaffSessionView } from '../../shared/staff-api';
import { describeError } from '../api/errors';
import { staffApi } from './api';

class StaffSession {
  view = $state<StaffSessionView | null>(null);
  /** The sign-in dialog is open (asked for, or sign-in is required and nobody is signed in). */
  prompting = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  #lastPing = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  get staff() {
    return this.view?.staff ?? null;
  }

  get required(): boolean {
    return this.view?.signInRequired ?? false;
  }

  /** The dialog shows when asked for, or when this tablet cannot sell without someone signed in. */
  get showSignIn(): boolean {
    return this.view !== null && (this.prompting || (this.required && this.staff === null));
  }

  isAtLeast(role: 'cashier' | 'supervisor' | 'manager'): boolean {
    const order = ['cashier', 'supervisor', 'manager'];
    return this.staff !== null && order.indexOf(this.staff.role) >= order.indexOf(role);
  }

  async refresh(): Promise<void> {
    try {
      this.view = await staffApi.session();
    } catch {
      // Offline or unpaired: keep what we knew; the next action or boot asks again.
    }
  }

  async signIn(pin: string): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.view = await staffApi.signIn(pin);
      this.prompting = false;
      this.#lastPing = Date.now();
      return true;
    } catch (err) {
      this.error = describeError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async signOut(): Promise<void> {
    try {
      this.view = await staffApi.signOut();
    } catch (err) {
      this.error = describeError(err);
    }
  }

  /** Someone touched the screen. */
  activity(): void {
    const v = this.view;
    if (!v?.staff) return;
    const every = Math.min(30_000, v.idleMs / 3);
    if (Date.now() - this.#lastPing < every) return;
    this.#lastPing = Date.now();
    staffApi.activity().then(
      (next) => (this.view = next),
      () => {},
    );
  }

  /** Starts watching (App.svelte): user activity and the idle deadline. Returns the stop function. */
  start(): () => void {
    const onActivity = () => this.activity();
    window.addEventListener('pointerdown', onActivity);
    window.addEventListener('keydown', onActivity);
    this.#timer = setInterval(() => {
      const exp = this.view?.expiresAt;
      if (exp && Date.parse(exp) <= Date.now()) void this.refresh();
    }, 1_000);
    void this.refresh();
    return () => {
      window.removeEventListener('pointerdown', onActivity);
      window.removeEventListener('keydown', onActivity);
      if (this.#timer) clearInterval(this.#timer);
    };
  }
}

export const staffSession = new StaffSession();
