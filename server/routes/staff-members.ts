// Staff management by a manager (signed in, or MANAGER's PIN in X-Staff-Pin); the same rules as `npm run
// staff` (staff/staff-admin.ts). Every change is one audit row.
//   GET    /api/staff/members       → {staff: StaffMemberView[]} (disabled members too; env PINs read-only)
//   POST   /api/staff/members       {name, role, newPin} → 201 StaffMemberView
//   PATCH  /api/staff/members/:id   {role?, newPin?} → StaffMemberView (a role change signs them out)
//   DELETE /api/staff/members/:id   disable → StaffMemberView (signed out everywhere)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffPinHeaders } from '../../src/shared/api-schemas.ts';
import type { StaffMemberView } from '../../src/shared/staff-api.ts';
import * as S from '../../src/shared/staff-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { minimumRole } from '../staff/roles.ts';
import { StaffAdmin } from '../staff/staff-admin.ts';
import { appendAudit } from '../store/audit.ts';
import { listAllStaff, type StaffRole, type StaffRow } from '../store/staff.ts';

const ENV_NAMES: Record<StaffRole, string> = {
  cashier: 'Cashier (CASHIER_PIN)',
  supervisor: 'Supervisor (SUPERVISOR_PIN)',
  manager: 'Manager (MANAGER_PIN)',
};

const toView = (r: StaffRow): StaffMemberView => ({
  id: r.id,
  name: r.name,
  role: r.role as StaffRole,
  source: 'database',
  disabled: r.disabled_at !== null,
  createdAt: r.created_at,
});

export const staffMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, staffGate, config } = app.kiosk;
  const admin = new StaffAdmin(db, config.staff.pins);

  const manager = (request: FastifyRequest, reply: FastifyReply) =>
    staffGate.require(request, reply, minimumRole('manage_staff'), 'manage_staff', null);

  async function list(): Promise<StaffMemberView[]> {
    const env: StaffMemberView[] = config.staff.pins.map((p) => ({
      id: `env:${p.role}`,
      name: ENV_NAMES[p.role],
      role: p.role,
      source: 'env',
      disabled: false,
      createdAt: null,
    }));
    return [...env, ...(await listAllStaff(db)).map(toView)];
  }

  async function one(id: string): Promise<StaffMemberView> {
    const found = (await list()).find((s) => s.id === id);
    if (!found) throw new ApiError(404, 'staff_not_found', 'No such staff member.');
    return found;
  }

  const audit = (request: FastifyRequest, staff: { id: string; name: string; role: string }, detail: unknown) =>
    appendAudit(db, { terminalId: request.terminal!.id, staff, action: 'manage_staff', outcome: 'succeeded', detail });

  app.get('/staff/members', { schema: { headers: StaffPinHeaders, response: { 200: S.StaffList } } }, async (request, reply) => {
    await manager(request, reply);
    return { staff: await list() };
  });

  app.post(
    '/staff/members',
    { schema: { headers: StaffPinHeaders, body: S.AddStaffRequest, response: { 201: S.StaffMemberView } } },
    async (request, reply) => {
      const by = await manager(request, reply);
      const row = await admin.add({ name: request.body.name, role: request.body.role, pin: request.body.newPin });
      await audit(request, by, { op: 'add', staffId: row.id, role: row.role });
      return reply.status(201).send(toView(row));
    },
  );

  app.patch(
    '/staff/members/:id',
    { schema: { headers: StaffPinHeaders, params: S.StaffIdParams, body: S.UpdateStaffRequest, response: { 200: S.StaffMemberView } } },
    async (request, reply) => {
      const by = await manager(request, reply);
      const { id } = request.params;
      if (request.body.newPin !== undefined) await admin.setPin(id, request.body.newPin);
      if (request.body.role !== undefined) await admin.setRole(id, request.body.role);
      await audit(request, by, { op: 'update', staffId: id, role: request.body.role, pinReset: request.body.newPin !== undefined });
      return one(id);
    },
  );

  app.delete(
    '/staff/members/:id',
    { schema: { headers: StaffPinHeaders, params: S.StaffIdParams, response: { 200: S.StaffMemberView } } },
    async (request, reply) => {
      const by = await manager(request, reply);
      await admin.disable(request.params.id);
      await audit(request, by, { op: 'disable', staffId: request.params.id });
      return one(request.params.id);
    },
  );
};
