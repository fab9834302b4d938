// The simulator's clock: real time plus an offset that tests (and the control route) can move forward to
// expire orders and wallet codes without waiting. PayBy's ±15 min requestTime window is checked against this
// clock too, so moving it far enough reproduces a merchant whose clock is off (spec §2).
import { randomInt } from 'node:crypto';

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

/** n random decimal digits (crypto-random: ids, tokens and wallet codes must not be guessable in a demo either). */
export function randomDigits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return s.slice(0, n);
}
