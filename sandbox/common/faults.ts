// One-shot fault injection for simulators (DESIGN §7), generic over providers: make the next call(s) to a
// route answer 5xx, stall, or drop the connection — before the request is processed, or after it was
// committed ("timeout after commit", the case that makes an outcome unknown).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimTimers } from './timers.ts';

export interface Fault {
  /** The route as the simulator names it (its README lists them). */
  path: string;
  kind: 'http500' | 'delay' | 'drop';
  phase: 'before' | 'after';
  ms?: number;
  times: number;
}

const KINDS = ['http500', 'delay', 'drop'] as const;

/** The kinds applyFault knows; a simulator may add its own (e.g. damaged signatures, protocol error codes). */
export function isCommonKind(kind: unknown): kind is Fault['kind'] {
  return KINDS.includes(kind as Fault['kind']);
}

/** What every stored fault has, whatever a simulator adds to it. */
export type QueuedFault = Pick<Fault, 'path' | 'phase' | 'times'>;

/** `times` and `ms` of a control-route body, validated the same way for every simulator. */
export function readRepeat(b: Record<string, unknown>): { times: number; ms: number } | string {
  const times = b.times ?? 1;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return 'times must be a positive integer';
  const ms = b.ms ?? 0;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) return 'ms must be 0..600000';
  return { times, ms };
}

/**
 * Stored faults, each consumed by `times` matching requests. A fault is for "the next call(s)": only a request
 * that arrived after it was armed may take it. Otherwise a call still in progress from before (one its client
 * gave up on while this simulator held or slowed it) takes, when it reaches its 'after' step, the fault a test
 * has just armed for its own next call, which then goes through unharmed.
 */
export class FaultQueue<F extends QueuedFault> {
  private faults: { fault: F; armed: number }[] = [];
  private armedCount = 0;

  protected push(fault: F): F {
    this.faults.push({ fault, armed: ++this.armedCount });
    return fault;
  }

  /** Taken as a request arrives, and passed to take(): the faults armed by then are the ones it may meet. */
  arrival(): number {
    return this.armedCount;
  }

  take(path: string, phase: Fault['phase'], arrival: number): F | undefined {
    const i = this.faults.findIndex(({ fault: f, armed }) => f.path === path && f.phase === phase && armed <= arrival);
    if (i < 0) return undefined;
    const f = this.faults[i].fault;
    if (--f.times <= 0) this.faults.splice(i, 1);
    return { ...f };
  }

  list(): F[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}

export class FaultBook extends FaultQueue<Fault> {
  /** checkPath returns an error message for a path this simulator does not have. */
  constructor(private readonly checkPath: (path: string) => string | null) {
    super();
  }

  /** Validates a control-route body; returns an error message or the stored fault. */
  add(body: unknown): Fault | string {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
    const b = body as Record<string, unknown>;
    if (typeof b.path !== 'string') return 'path is required';
    const bad = this.checkPath(b.path);
    if (bad) return bad;
    if (!KINDS.includes(b.kind as Fault['kind'])) return `kind must be one of ${KINDS.join(', ')}`;
    const phase = b.phase ?? 'before';
    if (phase !== 'before' && phase !== 'after') return "phase must be 'before' or 'after'";
    const repeat = readRepeat(b);
    if (typeof repeat === 'string') return repeat;
    return this.push({ path: b.path, kind: b.kind as Fault['kind'], phase, ms: repeat.ms, times: repeat.times });
  }
}

/** Applies a taken fault. Returns true when it consumed the request (nothing more may be sent). */
export async function applyFault(
  fault: Pick<Fault, 'kind' | 'ms'> | undefined,
  timers: SimTimers,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.kind === 'delay') {
    await timers.hold(fault.ms ?? 0);
    return false;
  }
  if (fault.kind === 'http500') {
    // What a load balancer in front of the provider says: not the provider's JSON.
    await reply.code(500).type('text/html').send('<html><body>500 Internal Server Error</body></html>');
    return true;
  }
  reply.hijack();
  req.raw.socket.destroy();
  return true;
}
