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
}

/** Registers the hook for every route of the calling (encapsulated) plugin. */
export function requireTerminal(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => authenticate(app, request));
}
