// Control routes for the faults on calls to a simulator, identical in every simulator:
// GET/POST/DELETE <prefix>/control/faults, and POST <prefix>/control/faults/release.
import type { FastifyInstance } from 'fastify';
import type { SimTimers } from './timers.ts';

/** A simulator's fault book (each validates its own fault shape). */
export interface CallFaultBook {
  list(): unknown[];
  add(body: unknown): object | string;
  clear(): void;
}

/** readBody turns the simulator's parsed control body into a plain value (a simulator that checks signatures
 *  keeps raw bytes, another marks unparsable JSON). */
export function registerCallFaultRoutes(
  app: FastifyInstance,
  faults: CallFaultBook,
  timers: SimTimers,
  readBody: (body: unknown) => unknown = (b) => b,
): void {
  app.get('/control/faults', async () => faults.list());
  app.post('/control/faults', async (req, reply) => {
    const r = faults.add(readBody(req.body));
    if (typeof r === 'string') return reply.code(400).send({ error: { code: 'invalid_fault', message: r } });
    return r;
  });
  app.delete('/control/faults', async () => {
    faults.clear();
    timers.releaseHeld();
    return { cleared: true };
  });
  // Lets the calls a `delay` is holding go on at once, and keeps the armed faults: a test that held a call
  // while it ran a race can let it go the moment the race is run, and the call still meets, say, the lost
  // answer armed for its 'after' step.
  app.post('/control/faults/release', async () => {
    const released = timers.releaseHeld();
    return { released };
  });
}
