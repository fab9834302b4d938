// Backoff waits of a payment attempt that the network coming back can end early (wake), so a resend with the
// same key or a check goes out at once instead of after the rest of its delay.
export class Waits {
  readonly #pending = new Map<ReturnType<typeof setTimeout>, () => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#pending.delete(t);
        resolve();
      }, ms);
      this.#pending.set(t, resolve);
    });
  }

  /** Ends every pending wait now. */
  wake(): void {
    const waiting = [...this.#pending];
    this.#pending.clear();
    for (const [t, resolve] of waiting) {
      clearTimeout(t);
      resolve();
    }
  }

  /** Drops every pending wait without ending it (the attempt is gone). */
  clear(): void {
    for (const t of this.#pending.keys()) clearTimeout(t);
    this.#pending.clear();
  }
}
