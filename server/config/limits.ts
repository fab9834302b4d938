// Abuse limits (issue 9): request rates, SSE stream caps and the Node server's timeouts. Enforced by
// server/routes/limits.ts (rates), server/routes/sse-streams.ts (streams) and server/wiring/timeouts.ts.
import { ConfigError, int, type Env } from './env.ts';

/** A fixed-window request limit: at most `max` requests per key in each `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface LimitSettings {
  /** POST /api/terminals/pair, per client address and for the whole server. */
  pairing: { perIp: RateLimit; global: RateLimit };
  /** Every authenticated /api request, per terminal. */
  api: RateLimit;
  /** PIN-protected staff actions, per terminal: a coarse outer layer over the PIN lockout. */
  pin: RateLimit;
  /** POST /webhooks/:provider, per provider. */
  webhooks: RateLimit;
  sse: { perTerminal: number; total: number };
  timeouts: ServerTimeouts;
}

export interface ServerTimeouts {
  /** Receiving a whole request, headers and body (Node's requestTimeout); the response is not covered. */
  requestMs: number;
  /** Receiving the headers (Node's headersTimeout); also a connection that sends nothing at all. */
  headersMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveMs: number;
  /** A socket with no traffic either way (Fastify's connectionTimeout): a client that stops reading. */
  connectionMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function rate(env: Env, name: string, def: number, windowMs: number): RateLimit {
  return { max: int(env, name, def, 1, 1_000_000), windowMs };
}

function windowOf(env: Env, name: string): number {
  return int(env, name, MINUTE, 1_000, HOUR);
}

// Why these defaults.
// - Pairing: a code is 8 characters of a 31-symbol alphabet (server/store/secrets.ts), 31^8 ≈ 8.5e11 codes,
//   alive for PAIRING_TTL_MS (10 min). Unlimited, the issue measured 1,327 guesses/s: 796,200 guesses in a
//   code's life, a 1-in-1.07-million chance of hitting it. At the global limit (60/min) a guesser with any
//   number of addresses makes 600 guesses in those 10 minutes: 600 / 8.5e11 ≈ 7e-10 per live code (with
//   100 codes printed at once, 7e-8); one address alone gets 100. A whole year at the limit is 31.5 million
//   guesses, 4e-5 per code kept alive all year. People pair a handful of tablets, and mistype a code a few
//   times at most: 10 a minute per address is room enough, and a store setting up many tablets at once fits
//   in 60 a minute. The price of the global limit: an attacker can hold pairing shut (never sales) while
//   they keep guessing; the 429 says when to try again.
// - API: a kiosk with an open payment polls GET /api/payments/:id about every 1.5 s and keeps an SSE stream
//   (40 a minute plus reconnects), and a cashier's basket edits, payments and cancels come in bursts, and
//   after an outage the kiosk uploads its queued orders back to back. 600 a minute (10/s sustained) is ~15×
//   a busy kiosk's steady rate and stops a runaway or stolen-token loop from starving the others.
// - PIN actions: wrong PINs are already limited by the lockout in the database (server/staff/throttle.ts);
//   this layer only bounds the work and audit rows a tablet can cause per minute, locked out or not. A
//   supervisor types each PIN by hand; 20 a minute is never reached by people.
// - Webhooks: providers retry what we refuse, so a 429 delays a notification, never loses it (and the
//   reconciler polls open payments anyway). 1,200 a minute per provider is far above what a store's
//   payments produce and bounds the signature checks a forger can make us do.
// - SSE: a kiosk needs one stream; a reload can leave its old one open until a write fails, and a second tab
//   is possible, so 4 per terminal. 1,000 in total is far above the tablets one proxy serves.
export function limitSettings(env: Env, sseHeartbeatMs: number): LimitSettings {
  const pairWindow = windowOf(env, 'RATE_LIMIT_PAIR_WINDOW_MS');
  return {
    pairing: {
      perIp: rate(env, 'RATE_LIMIT_PAIR_PER_IP', 10, pairWindow),
      global: rate(env, 'RATE_LIMIT_PAIR_GLOBAL', 60, pairWindow),
    },
    api: rate(env, 'RATE_LIMIT_API_PER_TERMINAL', 600, windowOf(env, 'RATE_LIMIT_API_WINDOW_MS')),
    pin: rate(env, 'RATE_LIMIT_PIN_PER_TERMINAL', 20, windowOf(env, 'RATE_LIMIT_PIN_WINDOW_MS')),
    webhooks: rate(env, 'RATE_LIMIT_WEBHOOK_PER_PROVIDER', 1_200, windowOf(env, 'RATE_LIMIT_WEBHOOK_WINDOW_MS')),
    sse: {
      perTerminal: int(env, 'SSE_MAX_PER_TERMINAL', 4, 1, 100),
      total: int(env, 'SSE_MAX_TOTAL', 1_000, 1, 100_000),
    },
    timeouts: serverTimeouts(env, sseHeartbeatMs),
  };
}

// - Request 30 s, headers 15 s: a request is at most 64 KB (BODY_LIMIT) and its headers a few hundred bytes,
//   seconds even on poor shop Wi-Fi; a client that trickles them is holding a connection on purpose.
// - Keep-alive 72 s (Fastify's default): above the 60 s idle timeout of common load balancers and reverse
//   proxies, which would otherwise reuse a connection we just closed and answer 502.
// - Connection 120 s without any traffic: above the longest answer we wait for (a payment waits on the
//   provider, ~30 s at most; the kiosk gives up at 45 s) and far above the SSE heartbeat, which counts as
//   traffic, so only a client that stopped reading (or a dead peer) is cut off.
function serverTimeouts(env: Env, sseHeartbeatMs: number): ServerTimeouts {
  const requestMs = int(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 10 * MINUTE);
  const headersMs = int(env, 'HEADERS_TIMEOUT_MS', 15_000, 100, 10 * MINUTE);
  if (headersMs > requestMs) throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersMs}) must not exceed REQUEST_TIMEOUT_MS (${requestMs})`);
  const connectionMs = int(env, 'CONNECTION_TIMEOUT_MS', 120_000, 100, HOUR);
  // An idle SSE stream stays alive only by its heartbeat: two must fit in the idle timeout.
  if (connectionMs < 2 * sseHeartbeatMs) {
    throw new ConfigError(
      `CONNECTION_TIMEOUT_MS (${connectionMs}) must be at least twice SSE_HEARTBEAT_MS (${sseHeartbeatMs}), or idle event streams are cut`,
    );
  }
  return { requestMs, headersMs, keepAliveMs: int(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, HOUR), connectionMs };
}
