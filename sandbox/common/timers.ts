// Timers for an in-memory simulator that all die with it: scheduled work (expiry, scenario delays,
// notification retries) and slow answers. Nothing keeps the process alive and close() never hangs.
export class SimTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private readonly held = new Set<() => void>();
  private closed = false;

  /** Runs fn after ms (clamped to setTimeout's range), unless the simulator shut down first. */
  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, Math.min(ms, 2 ** 31 - 1)),
    );
    t.unref();
    this.timers.add(t);
  }

  /** A delay that ends early when the simulator shuts down, so slow responses do not block close. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.sleepers.delete(done);
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** A fault's delay: a sleep that also ends when the test releases held calls (DELETE /control/faults), so
   *  a test can hold a call for as long as it needs and let it go the moment its race has been run. */
  hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        this.held.delete(release);
        resolve();
      };
      this.held.add(release);
      void this.sleep(ms).then(release);
    });
  }

  /** Ends every hold now; returns how many calls were held. */
  releaseHeld(): number {
    const held = [...this.held];
    for (const release of held) release();
    return held.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  shutdown(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
  }
}
