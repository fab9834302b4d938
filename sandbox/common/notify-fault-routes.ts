// Control routes for the notification-fault book, identical in every simulator:
// GET/POST/DELETE <prefix>/control/notification-faults.
import type { FastifyInstance } from 'fastify';
import { notifyFaultsFor } from './notify-faults.ts';
import type { SimTimers } from './timers.ts';

/** readBody turns the simulator's parsed control body into a plain value (a simulator that checks signatures keeps raw bytes). */
export function registerNotificationFaultRoutes(
  app: FastifyInstance,
  timers: SimTimers,
  readBody: (body: unknown) => unknown = (b) => b,
): void {
  const book = notifyFaultsFor(timers);
  app.get('/control/notification-faults', async () => book.list());
  app.post('/control/notification-faults', async (req, reply) => {
    const r = book.add(readBody(req.body));
    if (typeof r === 'string') return reply.code(400).send({ error: { code: 'invalid_notification_fault', message: r } });
    return r;
  });
  app.delete('/control/notification-faults', async () => {
    book.clear();
    return { cleared: true };
  });
}
