// A manager's say-so for Settings → Staff and → Tablets: the signed-in manager, or a manager's PIN typed once
// for this panel (kept in memory while it is open, sent in X-Staff-Pin, never stored).
import { describeError } from '../api/errors';
import { staffSession } from './session.svelte';

export class ManagerAccess {
  pin = $state<string | null>(null);
  open = $state(false);
  error = $state<string | null>(null);
  busy = $state(false);

  get asPin(): string | undefined {
    return staffSession.isAtLeast('manager') ? undefined : (this.pin ?? undefined);
  }

  /** Whether a PIN must be typed before anything can be loaded. */
  get needsPin(): boolean {
    return !staffSession.isAtLeast('manager') && this.pin === null;
  }

  /** Runs `fn` with the manager's say-so; a refused PIN is forgotten so it can be typed again. */
  async run<T>(fn: (pin: string | undefined) => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = null;
    try {
      return await fn(this.asPin);
    } catch (err) {
      this.error = describeError(err);
      const code = (err as { code?: string }).code ?? '';
      if (['invalid_pin', 'manager_required', 'pin_required', 'pin_locked'].includes(code)) this.pin = null;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.open = false;
    this.pin = null;
    this.error = null;
  }
}
