// When may a new app version be offered? Never while something holds it back: a payment in progress must not
// be interrupted by a reload (issue 5 §6). Holds are named so that one screen releasing its hold cannot
// release another's, and the prompt reappears by itself once the last hold is released.

export interface GateState {
  /** A new version is installed and waiting. */
  available: boolean;
  /** Reasons currently holding the prompt back (e.g. 'payment'). */
  holds: string[];
  /** available and nothing holds it: show the prompt. */
  offer: boolean;
}

export class UpdateGate {
  #available = false;
  #holds = new Set<string>();
  #listeners = new Set<(s: GateState) => void>();

  get state(): GateState {
    const holds = [...this.#holds];
    return { available: this.#available, holds, offer: this.#available && holds.length === 0 };
  }

  subscribe(fn: (s: GateState) => void): () => void {
    this.#listeners.add(fn);
    fn(this.state);
    return () => this.#listeners.delete(fn);
  }

  setAvailable(v: boolean): void {
    if (this.#available === v) return;
    this.#available = v;
    this.#emit();
  }

  hold(reason: string): void {
    if (this.#holds.has(reason)) return;
    this.#holds.add(reason);
    this.#emit();
  }

  release(reason: string): void {
    if (this.#holds.delete(reason)) this.#emit();
  }

  /** True when an update may be applied right now. */
  get canApply(): boolean {
    return this.#available && this.#holds.size === 0;
  }

  #emit(): void {
    const s = this.state;
    for (const fn of this.#listeners) fn(s);
  }
}
