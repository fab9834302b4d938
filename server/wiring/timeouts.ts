// The Node server's timeouts as Fastify options (values and reasons: server/config/limits.ts). Fastify turns
// them all off or long by default, so a client that trickles its headers or body, or never sends a byte,
// held its connection forever (issue 9: 150 slow-body connections stayed open).
//
// Node's requestTimeout covers *receiving* a request only: once the body is in, a slow answer (a payment
// waiting on its provider) or an answer that streams for hours (GET /api/events) is not cut by it
// (tests/server/limits-timeouts.test.ts proves both). An idle stream is kept alive by its SSE heartbeat,
// which counts as traffic for connectionTimeout.
import type { ServerOptions } from 'node:http';
import type { ServerTimeouts } from '../config/limits.ts';

export interface TimeoutOptions {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
}

export function serverTimeoutOptions(t: ServerTimeouts): TimeoutOptions {
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.connectionMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      requestTimeout: t.requestMs,
      headersTimeout: t.headersMs,
      // Node checks the header and request timeouts on this interval (default 30 s, so a 15 s limit could
      // hold for 45 s); a quarter of the shorter one, at most 5 s, keeps the overshoot small and the check cheap.
      connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(Math.min(t.headersMs, t.requestMs) / 4))),
    },
  };
}
