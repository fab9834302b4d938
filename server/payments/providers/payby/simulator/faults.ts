// One-shot fault injection for tests (DESIGN §7): make the next call(s) to a PayBy path answer 5xx, stall,
// drop the connection, answer a given head.code, or answer with a response whose signature is wrong.
// `before`: nothing is processed; `after`: the request was committed and only its answer is damaged.
export type FaultKind = 'http500' | 'delay' | 'drop' | 'code' | 'tamper' | 'strip_sign' | 'wrong_key';

export interface Fault {
  /** PayBy API path below the base URL, e.g. '/acquire2/placeOrder'. */
  path: string;
  kind: FaultKind;
  phase: 'before' | 'after';
  ms?: number;
  /** For kind 'code': the head.code to answer with (signed unless it is one of PayBy's unsigned codes). */
  code?: string;
  times: number;
}

const KINDS: readonly FaultKind[] = ['http500', 'delay', 'drop', 'code', 'tamper', 'strip_sign', 'wrong_key'];
// These damage an answer, so there must be one: only after processing.
const AFTER_ONLY: readonly FaultKind[] = ['tamper', 'strip_sign', 'wrong_key'];

export class FaultBook {
  private faults: Fault[] = [];

  /** Validates a control-route body; returns an error message or the stored fault. */
  add(body: unknown): Fault | string {
    if (!body || typeof body !== 'object') return 'body must be a JSON object';
    const b = body as Record<string, unknown>;
    if (typeof b.path !== 'string' || !/^\/acquire2(Query)?\//.test(b.path)) return 'path must be a PayBy API path such as /acquire2/placeOrder';
    if (!KINDS.includes(b.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
    const kind = b.kind as FaultKind;
    const phase = b.phase ?? (AFTER_ONLY.includes(kind) ? 'after' : 'before');
    if (phase !== 'before' && phase !== 'after') return "phase must be 'before' or 'after'";
    if (AFTER_ONLY.includes(kind) && phase !== 'after') return `${kind} damages an answer, so its phase must be 'after'`;
    const times = b.times ?? 1;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return 'times must be a positive integer';
    const ms = b.ms ?? 0;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) return 'ms must be 0..600000';
    if (kind === 'code' && (typeof b.code !== 'string' || !/^\d{1,6}$/.test(b.code))) return 'code must be a head.code string such as "504"';
    const fault: Fault = { path: b.path, kind, phase, ms, times, ...(kind === 'code' ? { code: b.code as string } : {}) };
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
