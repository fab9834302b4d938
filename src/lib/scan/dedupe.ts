// A code held in front of the camera is seen on every frame; it must reach the Pay screen once, or the
// kiosk would try to charge the same wallet code again and again.

export class Deduper {
  private lastSeen = new Map<string, number>();

  constructor(private readonly windowMs = 1500) {}

  /** True the first time `text` is seen, and again only after it has been out of sight for windowMs. */
  accept(text: string, now: number): boolean {
    const prev = this.lastSeen.get(text);
    this.lastSeen.set(text, now);
    if (this.lastSeen.size > 64) this.prune(now);
    return prev === undefined || now - prev > this.windowMs;
  }

  private prune(now: number) {
    for (const [k, t] of this.lastSeen) if (now - t > this.windowMs) this.lastSeen.delete(k);
  }

  clear() {
    this.lastSeen.clear();
  }
}
