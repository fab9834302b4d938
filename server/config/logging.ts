// What the proxy's console shows. A person at a terminal gets one readable line per event (pino-pretty);
// anything else (a file, journald, a log shipper) gets JSON. Requests that repeat all day — health and
// readiness probes, metrics scrapes, the kiosk's payment polls, the service-worker update check, the demo's
// simulator traffic and the wallet page's code polls — go to debug while they succeed: at info, 20 minutes of
// demo printed ~6,300 lines and hid the few that mattered. A failing one is news and stays at info or above.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { ConfigError, str, type Env } from './env.ts';

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT=pretty|json, else pretty exactly when stdout is a terminal. */
export function logFormat(env: Env, stdoutIsTTY: boolean): LogFormat {
  const raw = str(env, 'LOG_FORMAT');
  if (raw === undefined) return stdoutIsTTY ? 'pretty' : 'json';
  if (raw === 'pretty' || raw === 'json') return raw;
  throw new ConfigError(`LOG_FORMAT must be pretty or json, got ${JSON.stringify(raw)}`);
}

/** pino's transport for the format: pino-pretty in a worker thread for people, none (JSON on stdout) otherwise. */
export function logTransport(format: LogFormat): { target: string; options: Record<string, unknown> } | undefined {
  if (format === 'json') return undefined;
  return { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true } };
}

const ROUTINE: RegExp[] = [
  /^\/(healthz|readyz|metrics)(\?|$)/,
  // The kiosk watching one payment (GET /api/payments/:id), and reading its terminal.
  /^\/api\/payments\/[^/?]+(\?|$)/,
  /^\/api\/terminal(\?|$)/,
  /^\/sw\.js(\?|$)/,
  // Demo only: our adapters' calls to the simulators (the /api line already tells the story) and the wallet
  // page's code polls.
  /^\/sim\//,
];

/** A request that repeats in normal operation: GET/HEAD (or a simulator call) on one of the paths above. */
export function isRoutineRequest(method: string, url: string): boolean {
  if (url.startsWith('/sim/')) return true;
  return (method === 'GET' || method === 'HEAD') && ROUTINE.some((r) => r.test(url));
}

/** The level of a finished request's "request completed" line. */
export function completedLevel(method: string, url: string, statusCode: number): 'debug' | 'info' {
  return isRoutineRequest(method, url) && statusCode < 400 ? 'debug' : 'info';
}

/** Fastify's request lines: one per request when it completes, naming the request (the "incoming" line is at
 *  debug), with routine requests at debug while they succeed (errors keep their level). */
export class QuietRoutineRequests extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const level = completedLevel(request.method, request.url, reply.statusCode);
    reply.log[level]({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
