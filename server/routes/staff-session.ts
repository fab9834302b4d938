// Staff sign-in at the till (server/staff/sessions.ts):
//   GET  /api/staff/session   who is signed in at this tablet → StaffSessionView
//   POST /api/staff/sign-in   {pin} → StaffSessionView (the PIN gate: throttled and audited like every PIN)
//   POST /api/staff/sign-out  → StaffSessionView (nobody)
//   POST /api/staff/activity  the kiosk's "someone is using the screen" ping: restarts the idle clock
//   POST /api/staff/grants    {pin, scope?} → StaffGrantView: a 2-minute grant for this tablet, sent in
//                             X-Staff-Grant instead of the PIN on the routes whose rule names its scope
//                             (store_view, the default: store-scope history; day_close: day report and Z)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { NoBody, StaffPinHeaders } from '../../src/shared/api-schemas.ts';
import type { StaffSessionView } from '../../src/shared/staff-api.ts';
import * as S from '../../src/shared/staff-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import type { SignedIn } from '../staff/sessions.ts';
import { appendAudit } from '../store/audit.ts';

export const staffSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sessions, staffGate, config, db } = app.kiosk;

  const view = (s: SignedIn | null): StaffSessionView => ({
    staff: s ? { id: s.staff.id, name: s.staff.name, role: s.staff.role } : null,
    expiresAt: s?.expiresAt ?? null,
    idleMs: sessions.idleMs,
    signInRequired: config.staff.signIn === 'required',
  });
  const current = (request: FastifyRequest) => sessions.current(request.terminal!.id);

  app.get('/staff/session', { schema: { response: { 200: S.StaffSessionView } } }, async (request) => view(await current(request)));

  app.post(
    '/staff/sign-in',
    // The header schema names X-Staff-Pin so the per-tablet PIN rate limit applies (routes/limits.ts).
    { schema: { headers: StaffPinHeaders, body: S.SignInRequest, response: { 200: S.StaffSessionView } } },
    async (request, reply) => {
      // A customer's tablet keeps nobody signed in: staff leave the mode with a PIN (routes/self-checkout.ts).
      if (request.terminal!.self_checkout) {
        throw new ApiError(403, 'self_checkout_terminal', 'This tablet is in self-checkout mode: nobody signs in here.');
      }
      const staff = await staffGate.require(request, reply, 'cashier', 'sign_in', null);
      const signedIn = await sessions.signIn(request.terminal!.id, staff);
      await appendAudit(db, { terminalId: request.terminal!.id, staff, action: 'sign_in', outcome: 'succeeded' });
      return view(signedIn);
    },
  );

  app.post('/staff/sign-out', { schema: { body: NoBody, response: { 200: S.StaffSessionView } } }, async (request) => {
    await sessions.signOut(request.terminal!.id);
    return view(null);
  });

  // The auth hook has already restarted the idle clock (any non-GET call does); this answers how long it runs.
  app.post('/staff/activity', { schema: { body: NoBody, response: { 200: S.StaffSessionView } } }, async (request) =>
    view(await current(request)),
  );

  app.post(
    '/staff/grants',
    { schema: { headers: StaffPinHeaders, body: S.GrantRequest, response: { 200: S.StaffGrantView } } },
    async (request, reply) => {
      const { staff, grant } = await staffGate.grant(request, reply, request.body.scope ?? 'store_view');
      return {
        grant: grant.token,
        staff: { id: staff.id, name: staff.name, role: staff.role },
        expiresAt: grant.expiresAt,
        expiresInMs: Math.max(0, Date.parse(grant.expiresAt) - Date.now()),
        scope: grant.scope,
      };
    },
  );
};
