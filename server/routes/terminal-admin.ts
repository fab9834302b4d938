// Terminal management by a manager (signed in, or a manager's PIN in X-Staff-Pin), within the asking
// tablet's store:
//   GET  /api/terminals              → {terminals: TerminalView[]} with last seen time
//   PATCH /api/terminals/:id         {name} → TerminalView
//   POST /api/terminals/:id/revoke   → TerminalView; the tablet's next call gets 401, its event streams end
//                                      now (so the kiosk learns at once) and whoever was signed in there is out.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoBody, StaffPinHeaders } from '../../src/shared/api-schemas.ts';
import type { TerminalView } from '../../src/shared/staff-api.ts';
import * as S from '../../src/shared/staff-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { minimumRole } from '../staff/roles.ts';
import { appendAudit } from '../store/audit.ts';
import { deleteStaffSession } from '../store/staff-sessions.ts';
import { getStoreTerminal, listStoreTerminals, renameTerminal, type TerminalListRow } from '../store/terminal-admin.ts';
import { revokeTerminal } from '../store/terminals.ts';

export const terminalAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, staffGate, streams } = app.kiosk;

  const manager = (request: FastifyRequest, reply: FastifyReply) =>
    staffGate.require(request, reply, minimumRole('manage_terminals'), 'manage_terminals', null);

  const toView = (r: TerminalListRow, request: FastifyRequest): TerminalView => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    current: r.id === request.terminal!.id,
  });

  async function find(request: FastifyRequest, id: string): Promise<TerminalListRow> {
    const row = await getStoreTerminal(db, request.terminal!.store_id, id);
    if (!row) throw new ApiError(404, 'terminal_not_found', 'No such tablet in this store.');
    return row;
  }

  const audit = (request: FastifyRequest, staff: { id: string; name: string; role: string }, detail: unknown) =>
    appendAudit(db, { terminalId: request.terminal!.id, staff, action: 'manage_terminals', outcome: 'succeeded', detail });

  app.get('/terminals', { schema: { headers: StaffPinHeaders, response: { 200: S.TerminalList } } }, async (request, reply) => {
    await manager(request, reply);
    const rows = await listStoreTerminals(db, request.terminal!.store_id);
    return { terminals: rows.map((r) => toView(r, request)) };
  });

  app.patch(
    '/terminals/:id',
    { schema: { headers: StaffPinHeaders, params: S.StaffIdParams, body: S.RenameTerminalRequest, response: { 200: S.TerminalView } } },
    async (request, reply) => {
      const by = await manager(request, reply);
      const before = await find(request, request.params.id);
      const name = request.body.name.trim();
      if (!(await renameTerminal(db, before.id, name))) throw new ApiError(409, 'terminal_revoked', 'This tablet was unpaired.');
      await audit(request, by, { op: 'rename', id: before.id, from: before.name, to: name });
      return toView(await find(request, before.id), request);
    },
  );

  app.post(
    '/terminals/:id/revoke',
    { schema: { headers: StaffPinHeaders, params: S.StaffIdParams, body: NoBody, response: { 200: S.TerminalView } } },
    async (request, reply) => {
      const by = await manager(request, reply);
      const target = await find(request, request.params.id);
      await revokeTerminal(db, target.id);
      await deleteStaffSession(db, target.id);
      for (const s of [...streams]) if (s.terminalId === target.id) s.end();
      await audit(request, by, { op: 'revoke', id: target.id, name: target.name });
      request.log.info({ terminalId: target.id, by: by.id }, 'terminal revoked');
      return toView(await find(request, target.id), request);
    },
  );
};
