// GET /healthz — for load balancers and the README's "is it up" check. No secrets, no terminal data.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    const { db, config } = app.kiosk;
    let dbOk = false;
    try {
      await sql`select 1`.execute(db);
      dbOk = true;
    } catch {
      dbOk = false;
    }
    return reply.status(dbOk ? 200 : 503).send({ ok: dbOk, db: dbOk, demo: config.demo, version: config.version });
  });
}
