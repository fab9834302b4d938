// One-shot fault injection for tests (DESIGN §7): make the next call(s) to a Pockyt path answer 5xx,
// stall, or drop the connection — before the request is processed, or after it was committed
// ("timeout after commit", the case that makes an outcome unknown).
export interface Fault {
  /** Canonical Pockyt path, e.g. '/app-instore/v3/prepay' (aliases count as their canonical path). */
  path: string;
  kind: 'http500' | 'delay' | 'drop';
  phase: 'before' | 'after';
  ms?: number;
  times: number;
}

const KINDS = ['http500', 'delay', 'drop'] as const;

export class FaultBook {
  private faults: Fault[] = [];

  /** Validates a control-route body; returns an error message or the stored fault. */
  add(body: unknown): Fault | string {
    if (!body || typeof body !== 'object') return 'body must be a JSON object';
    const b = body as Record<string, unknown>;
    if (typeof b.path !== 'string' || !b.path.startsWith('/app-')) return 'path must be a Pockyt path such as /app-instore/v3/prepay';
    if (!KINDS.includes(b.kind as Fault['kind'])) return `kind must be one of ${KINDS.join(', ')}`;
    const phase = b.phase ?? 'before';
    if (phase !== 'before' && phase !== 'after') return "phase must be 'before' or 'after'";
    const times = b.times ?? 1;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return 'times must be a positive integer';
    const ms = b.ms ?? 0;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) return 'ms must be 0..600000';
    const fault: Fault = { path: b.path, kind: b.kind as Fault['kind'], phase, ms, times };
    this.faults.push(fault);
    return fault;
  }

  take(path: string, phase: Fault['phase']): Fault | undefined {
    const i = this.faults.findIndex((f) => f.path === path && f.phase === phase);
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.times <= 0) this.faults.splice(i, 1);
    return { ...f };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
