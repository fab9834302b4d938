// Terminal authentication: every /api route except pairing needs `Authorization: Bearer <token>` of a paired,
// not revoked terminal. Tokens are looked up by their SHA-256, so comparison time does not depend on the secret.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../payments/api-error.ts';
import { findTerminalByToken } from '../store/terminals.ts';

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{16,256})\s*$/i;

export async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!m) throw new ApiError(401, 'unauthorized', 'This tablet is not paired (missing or malformed terminal token).');
  const terminal = await findTerminalByToken(app.kiosk.db, m[1]);
  if (!terminal) throw new ApiError(401, 'unauthorized', "This tablet's pairing is not valid any more. Pair it again.");
  request.terminal = terminal;
  // Bookkeeping for the manager's terminal list and the staff idle clock; never a reason to refuse the call.
  try {
    await app.kiosk.lastSeen.seen(terminal.id);
    if (request.method !== 'GET' && request.method !== 'HEAD') await app.kiosk.sessions.touch(terminal.id);
  } catch (err) {
    request.log.warn({ err, terminalId: terminal.id }, 'could not record terminal activity');
  }
}

/** Registers the hook for every route of the calling (encapsulated) plugin. */
export function requireTerminal(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => authenticate(app, request));
}
