// POST /api/terminals/pair {code} → {terminalId, token}. The only /api route without a terminal token.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { pairTerminal } from '../store/terminals.ts';

const REASONS = {
  unknown: 'That pairing code is not valid. Check it, or print a new one with `npm run pair`.',
  used: 'That pairing code was already used. Print a new one with `npm run pair`.',
  expired: 'That pairing code has expired. Print a new one with `npm run pair`.',
} as const;

export const pairRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/terminals/pair',
    {
      schema: { body: Api.PairRequest, response: { 201: Api.PairResponse } },
    },
    async (request, reply) => {
      const { code, name: given } = request.body;
      const name = given !== undefined && given.trim() !== '' ? given.trim().slice(0, 64) : 'Kiosk';
      const r = await pairTerminal(app.kiosk.db, code, name);
      if (!r.ok) throw new ApiError(401, 'invalid_pairing_code', REASONS[r.reason]);
      request.log.info({ terminalId: r.terminalId, storeId: r.storeId }, 'terminal paired');
      return reply.status(201).send({ terminalId: r.terminalId, token: r.token });
    },
  );
};
