// One-shot fault injection for tests (DESIGN §7): make the next call(s) to a PayBy path answer 5xx, stall,
// drop the connection, answer a given head.code, or answer with a response whose signature is wrong.
// `before`: nothing is processed; `after`: the request was committed and only its answer is damaged.
import { FaultQueue, readRepeat } from '../common/faults.ts';

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

// Storage and consumption are the common queue; only what a fault may be is PayBy's.
export class FaultBook extends FaultQueue<Fault> {
  /** Validates a control-route body; returns an error message or the stored fault. */
  add(body: unknown): Fault | string {
    if (!body || typeof body !== 'object') return 'body must be a JSON object';
    const b = body as Record<string, unknown>;
    if (typeof b.path !== 'string' || !/^\/acquire2(Query)?\//.test(b.path))
      return 'path must be a PayBy API path such as /acquire2/placeOrder';
    if (!KINDS.includes(b.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
    const kind = b.kind as FaultKind;
    const phase = b.phase ?? (AFTER_ONLY.includes(kind) ? 'after' : 'before');
    if (phase !== 'before' && phase !== 'after') return "phase must be 'before' or 'after'";
    if (AFTER_ONLY.includes(kind) && phase !== 'after') return `${kind} damages an answer, so its phase must be 'after'`;
    const repeat = readRepeat(b);
    if (typeof repeat === 'string') return repeat;
    const { times, ms } = repeat;
    if (kind === 'code' && (typeof b.code !== 'string' || !/^\d{1,6}$/.test(b.code)))
      return 'code must be a head.code string such as "504"';
    const fault: Fault = { path: b.path, kind, phase, ms, times, ...(kind === 'code' ? { code: b.code as string } : {}) };
    return this.push(fault);
  }
}
