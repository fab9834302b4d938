// GET /healthz — for load balancers and the README's "is it up" check. No secrets, no terminal data.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';

const Health = Type.Object({ ok: Type.Boolean(), db: Type.Boolean(), demo: Type.Boolean(), version: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const { db, config } = app.kiosk;
    let dbOk: boolean;
    try {
      await sql`select 1`.execute(db);
      dbOk = true;
    } catch {
      dbOk = false;
    }
    return reply.status(dbOk ? 200 : 503).send({ ok: dbOk, db: dbOk, demo: config.demo, version: config.version });
  });
};
