// Shutdown must not wait on keep-alive clients. Node's server.close() drops only the connections that are idle
// at the moment it is called; a request still being answered then (a provider notification, a kiosk call, a
// payment's provider call to the demo simulators) left its connection open once answered, and close() waited
// for it until keepAliveTimeout (72 s) — a restart held that long. Every answer sent once shutdown has begun
// closes its connection instead (requests arriving then already get 503 with `Connection: close`).
import type { FastifyInstance } from 'fastify';

export function closeConnectionsOnShutdown(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}
