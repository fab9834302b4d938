// The simulator's clock: real time plus an offset that tests (and the control route) can move forward to
// expire orders and wallet codes without waiting. PayBy's ±15 min requestTime window is checked against this
// clock too, so moving it far enough reproduces a merchant whose clock is off (spec §2).
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
