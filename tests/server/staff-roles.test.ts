// The roles table (server/staff/roles.ts) enforced on every route it names: for each action, each role signed
// in at the tablet and each role's PIN in X-Staff-Pin must be let through exactly when the role is high
// enough. A new action in the table without a probe here fails the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAtLeast } from '../../server/staff/directory.ts';
import { acceptedGrants, GRANT_SCOPES, grantRole, ROLE_TABLE, type RoleAction } from '../../server/staff/roles.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, type Reply } from './helpers/kiosk.ts';
import { paidSale, ROLE_ENV, ROLE_PINS, signIn, signOut, type Role } from './helpers/staff-session.ts';
import { acknowledge, refund, voidPayment } from './helpers/staff.ts';

let server: TestServer;
let k: Kiosk;
beforeAll(async () => {
  server = await startServer({
    ...NO_IPN,
    ...ROLE_ENV,
    STAFF_SIGN_IN: 'required',
    // Dozens of deliberate role refusals from one tablet: keep the wrong-PIN limits out of the way.
    STAFF_PIN_MAX_ATTEMPTS: '100',
    STAFF_PIN_STORE_MAX_FAILURES: '1000',
    STAFF_PIN_MEMBER_MAX_FAILURES: '1000',
    RATE_LIMIT_PIN_PER_TERMINAL: '1000',
  });
  k = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

/** A fresh paid sale made by a manager (so the probe of `sell` is not what makes it). */
async function sale(): Promise<string> {
  await signIn(k, ROLE_PINS.manager);
  const r = await paidSale(k, 2000);
  expect(r.body.status).toBe('succeeded');
  await signOut(k);
  return r.body.id;
}

interface Probe {
  /** Made before whoever is tested signs in (a sale to refund, void or acknowledge). */
  prepare?: () => Promise<string>;
  /** The action's request; `pin` null: rely on whoever is signed in. */
  call: (pin: string | null, prepared: string) => Promise<Reply>;
}

const pinHeader = (pin: string | null): Record<string, string> => (pin ? { 'x-staff-pin': pin } : {});

const PROBES: Record<RoleAction, Probe> = {
  sell: { call: () => paidSale(k) },
  refund: { prepare: sale, call: (pin, id) => refund(k, id, 100, 'USD', { pin }) },
  void: { prepare: sale, call: (pin, id) => voidPayment(k, id, pin) },
  acknowledge: {
    prepare: sale,
    call: (pin, id) => (pin === null ? k.request('POST', `/api/payments/${id}/acknowledge`) : acknowledge(k, id, pin)),
  },
  store_history: { call: (pin) => k.request('GET', '/api/payments?scope=store', { headers: pinHeader(pin) }) },
  day_report: { call: (pin) => k.request('GET', '/api/reports/day?reconcile=false', { headers: pinHeader(pin) }) },
  day_close: { call: (pin) => k.request('POST', '/api/reports/day/close', { headers: pinHeader(pin), body: { scope: 'terminal' } }) },
  // Switching it off: on would sign the probe's session out and keep the next probes from signing in.
  self_checkout: {
    call: (pin) => k.request('PUT', '/api/terminal/self-checkout', { headers: pinHeader(pin), body: { on: false } }),
  },
  manage_staff: { call: (pin) => k.request('GET', '/api/staff/members', { headers: pinHeader(pin) }) },
  manage_terminals: { call: (pin) => k.request('GET', '/api/terminals', { headers: pinHeader(pin) }) },
};

async function probe(action: RoleAction, as: { session?: Role; pin?: Role }): Promise<string> {
  const p = PROBES[action];
  const prepared = p.prepare ? await p.prepare() : '';
  if (as.session) await signIn(k, ROLE_PINS[as.session]);
  try {
    return outcome(await p.call(as.pin ? ROLE_PINS[as.pin] : null, prepared));
  } finally {
    await signOut(k);
  }
}

const ROLES = Object.keys(ROLE_PINS) as Role[];
const refusedCodes = ['pin_required', 'staff_sign_in_required'];
const outcome = (r: Reply) =>
  r.status === 403
    ? `403 ${r.body.error.code}`
    : r.status === 401 || r.status === 429 || r.status >= 500
      ? `${r.status} ${JSON.stringify(r.body)}`
      : 'allowed';

describe('the roles table', () => {
  it('has a probe for every action', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(ROLE_TABLE).sort());
  });

  for (const [action, rule] of Object.entries(ROLE_TABLE) as [RoleAction, (typeof ROLE_TABLE)[RoleAction]][]) {
    it(`${action}: ${rule.role} or above, signed in`, async () => {
      await signOut(k);
      expect(refusedCodes.map((c) => `403 ${c}`)).toContain(await probe(action, {}));
      for (const role of ROLES) {
        const got = await probe(action, { session: role });
        expect(got, `${role} signed in`).toBe(roleAtLeast(role, rule.role) ? 'allowed' : '403 pin_required');
      }
    });

    if (rule.proof !== 'session') {
      it(`${action}: ${rule.role}'s PIN or above in X-Staff-Pin, nobody signed in`, async () => {
        for (const role of ROLES) {
          const got = await probe(action, { pin: role });
          expect(got, `${role} PIN`).toBe(roleAtLeast(role, rule.role) ? 'allowed' : `403 ${rule.role}_required`);
        }
      });
    }
  }

  // A grant (POST /api/staff/grants {pin, scope}) is bought with a PIN of the highest role its scope opens; the
  // rules that name its scope accept it, a rule naming other scopes refuses it (grant_scope), and the other PIN
  // rules ignore it (pin_required).
  const GRANT_PROBES: Partial<Record<RoleAction, (grant: string) => Promise<Reply>>> = {
    store_history: (grant) => k.request('GET', '/api/payments?scope=store', { headers: { 'x-staff-grant': grant } }),
    day_report: (grant) => k.request('GET', '/api/reports/day?reconcile=false', { headers: { 'x-staff-grant': grant } }),
    day_close: (grant) => k.request('POST', '/api/reports/day/close', { headers: { 'x-staff-grant': grant }, body: { scope: 'terminal' } }),
  };
  it('grants: every rule that names one has a probe; a grant is bought only with a high enough PIN and opens only its rules', async () => {
    const granted = Object.keys(ROLE_TABLE).filter((a) => acceptedGrants(a as RoleAction).length > 0);
    expect(granted.sort()).toEqual(Object.keys(GRANT_PROBES).sort());
    for (const scope of GRANT_SCOPES) {
      const needs = grantRole(scope);
      for (const role of ROLES) {
        await signOut(k);
        const bought = await k.request('POST', '/api/staff/grants', { body: { pin: ROLE_PINS[role], scope } });
        if (!roleAtLeast(role, needs)) {
          expect(outcome(bought), `${role} buys a ${scope} grant`).toBe(`403 ${needs}_required`);
          continue;
        }
        expect(bought.status, `${role} buys a ${scope} grant`).toBe(200);
        for (const action of granted as RoleAction[]) {
          const want = acceptedGrants(action).includes(scope) ? 'allowed' : '403 grant_scope';
          expect(outcome(await GRANT_PROBES[action]!(bought.body.grant)), `${action} with ${role}'s ${scope} grant`).toBe(want);
        }
        const withGrant = { 'x-staff-grant': bought.body.grant };
        expect(outcome(await k.request('GET', '/api/staff/members', { headers: withGrant }))).toBe('403 pin_required');
        expect(outcome(await k.request('GET', '/api/terminals', { headers: withGrant }))).toBe('403 pin_required');
      }
    }
    expect(acceptedGrants('day_close')).toEqual(['day_close']);
  });
});
