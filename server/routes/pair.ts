// POST /api/terminals/pair {code} → {terminalId, token}. The only /api route without a terminal token.
import type { FastifyInstance } from 'fastify';
import type { PairResponse } from '../../src/shared/api.ts';
import { ApiError } from '../payments/api-error.ts';
import { pairTerminal } from '../store/terminals.ts';

const REASONS = {
  unknown: 'That pairing code is not valid. Check it, or print a new one with `npm run pair`.',
  used: 'That pairing code was already used. Print a new one with `npm run pair`.',
  expired: 'That pairing code has expired. Print a new one with `npm run pair`.',
} as const;

export async function pairRoutes(app: FastifyInstance): Promise<void> {
  app.post('/terminals/pair', async (request, reply) => {
    const body = request.body as { code?: unknown; name?: unknown } | null;
    const code = body && typeof body === 'object' ? body.code : undefined;
    if (typeof code !== 'string' || code.length < 4 || code.length > 64) {
      throw new ApiError(400, 'invalid_pairing_code', 'Send {"code": "<pairing code>"}.');
    }
    const name = typeof body?.name === 'string' && body.name.trim() !== '' ? body.name.trim().slice(0, 64) : 'Kiosk';
    const r = await pairTerminal(app.kiosk.db, code, name);
    if (!r.ok) throw new ApiError(401, 'invalid_pairing_code', REASONS[r.reason]);
    request.log.info({ terminalId: r.terminalId, storeId: r.storeId }, 'terminal paired');
    const res: PairResponse = { terminalId: r.terminalId, token: r.token };
    return reply.status(201).send(res);
  });
}
