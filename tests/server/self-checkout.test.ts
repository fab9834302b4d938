// Self-checkout (issue 12): the mode is switched only with a supervisor's PIN (and survives in the proxy, so a
// reload keeps it), a self-checkout tablet sells with nobody signed in and lets nobody sign in, and a customer's
// "Call staff" reaches the store's other tablets (pushed on their event streams, listed on Attention) — never
// another store's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';
import { paidSale, ROLE_ENV, ROLE_PINS, session, signIn } from './helpers/staff-session.ts';

let server: TestServer;
let self: Kiosk;
let till: Kiosk;
let otherStore: Kiosk;
const readers: SseReader[] = [];

beforeAll(async () => {
  server = await startServer({ ...NO_IPN, ...ROLE_ENV, STAFF_SIGN_IN: 'required', SELF_CHECKOUT_IDLE_MS: '7000' });
  self = new Kiosk(server.baseUrl, server.token);
  const second = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code);
  till = new Kiosk(server.baseUrl, second.token);
  const nz = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-nz')).code);
  otherStore = new Kiosk(server.baseUrl, nz.token);
});
afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  await server?.close();
});

const setMode = (k: Kiosk, on: boolean, pin?: string) =>
  k.request('PUT', '/api/terminal/self-checkout', { body: { on }, headers: pin ? { 'x-staff-pin': pin } : {} });

async function stream(k: Kiosk): Promise<SseReader> {
  const r = new SseReader();
  readers.push(r);
  await r.open(`${server.baseUrl}/api/events`, k.token);
  expect(r.status).toBe(200);
  return r;
}

const callFrames = (r: SseReader) => r.frames.filter((f) => f.event === 'staff.call').map((f) => JSON.parse(f.data ?? 'null'));

describe('self-checkout mode', () => {
  it('is switched on only with a supervisor PIN, and the terminal says so after a reload', async () => {
    expect((await self.request('GET', '/api/terminal')).body.selfCheckout).toEqual({ on: false, idleMs: 7000 });
    expect((await setMode(self, true)).body.error.code).toBe('pin_required');
    const cashier = await setMode(self, true, ROLE_PINS.cashier);
    expect([cashier.status, cashier.body.error.code]).toEqual([403, 'supervisor_required']);
    expect((await self.request('GET', '/api/terminal')).body.selfCheckout.on).toBe(false);

    expect((await signIn(self, ROLE_PINS.supervisor)).status).toBe(200);
    const on = await setMode(self, true, ROLE_PINS.supervisor);
    expect([on.status, on.body]).toEqual([200, { on: true, idleMs: 7000 }]);
    expect((await self.request('GET', '/api/terminal')).body.selfCheckout).toEqual({ on: true, idleMs: 7000 });
    // Whoever was signed in is out: a customer must not inherit a supervisor's session.
    expect((await session(self)).body.staff).toBeNull();

    const audit = (await listAudit(server.app.kiosk.db, { terminalId: server.terminalId })).filter((a) => a.action === 'self_checkout');
    expect(audit.map((a) => [a.outcome, a.staff?.role, a.detail])).toEqual([['succeeded', 'supervisor', { on: true }]]);
  });

  it('sells with nobody signed in (STAFF_SIGN_IN=required) and lets nobody sign in', async () => {
    expect((await paidSale(self, 1500)).body.status).toBe('succeeded');
    expect((await paidSale(till, 1500)).body.error.code).toBe('staff_sign_in_required');
    const refused = await signIn(self, ROLE_PINS.manager);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'self_checkout_terminal']);
  });

  it('is left only with a supervisor PIN', async () => {
    expect((await setMode(self, false)).body.error.code).toBe('pin_required');
    expect((await setMode(self, false, '0000')).body.error.code).toBe('invalid_pin');
    expect((await setMode(self, false, ROLE_PINS.cashier)).body.error.code).toBe('supervisor_required');
    expect((await self.request('GET', '/api/terminal')).body.selfCheckout.on).toBe(true);
    const off = await setMode(self, false, ROLE_PINS.manager);
    expect([off.status, off.body.on]).toEqual([200, false]);
    expect((await self.request('GET', '/api/terminal')).body.selfCheckout.on).toBe(false);
    expect((await setMode(self, true, ROLE_PINS.supervisor)).status).toBe(200);
  });

  it('refuses a body that is not {on}', async () => {
    const r = await self.request('PUT', '/api/terminal/self-checkout', {
      body: { on: 'yes' },
      headers: { 'x-staff-pin': ROLE_PINS.supervisor },
    });
    expect(r.status).toBe(400);
  });
});

describe('Call staff', () => {
  it("reaches the store's other tablets and its Attention list, not another store's", async () => {
    const tillStream = await stream(till);
    const otherStream = await stream(otherStore);

    const raised = await self.request('POST', '/api/staff-calls');
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ terminalId: server.terminalId, answeredAt: null });
    // A second tap while it is open is the same call, not a second alert.
    const again = await self.request('POST', '/api/staff-calls');
    expect([again.status, again.body.id]).toEqual([200, raised.body.id]);

    await tillStream.waitFor((f) => f.some((x) => x.event === 'staff.call'));
    expect(callFrames(tillStream)).toEqual([{ kind: 'called', call: raised.body }]);
    expect((await till.request('GET', '/api/attention')).body.staffCalls).toEqual([raised.body]);
    expect((await otherStore.request('GET', '/api/attention')).body.staffCalls).toEqual([]);

    // The self-checkout tablet cannot dismiss its own call; a staffed till of the store answers it.
    const own = await self.request('POST', `/api/staff-calls/${raised.body.id}/answer`);
    expect([own.status, own.body.error.code]).toEqual([403, 'self_checkout_terminal']);
    expect((await otherStore.request('POST', `/api/staff-calls/${raised.body.id}/answer`)).status).toBe(404);
    const answered = await till.request('POST', `/api/staff-calls/${raised.body.id}/answer`);
    expect(answered.status).toBe(200);
    expect(answered.body.answeredAt).not.toBeNull();
    await tillStream.waitFor((f) => f.filter((x) => x.event === 'staff.call').length === 2);
    expect(callFrames(tillStream)[1]).toEqual({ kind: 'answered', call: answered.body });
    expect((await till.request('GET', '/api/attention')).body.staffCalls).toEqual([]);
    expect((await till.request('POST', `/api/staff-calls/${raised.body.id}/answer`)).status).toBe(404);

    // The other store's stream was open all along and heard nothing.
    expect(callFrames(otherStream)).toEqual([]);
    // Answered, a new tap raises a new call.
    const next = await self.request('POST', '/api/staff-calls');
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(raised.body.id);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('Call staff across instances (two proxies, one Postgres)', () => {
  const databases = durableDatabases('kiosk-call-');
  let a: TestServer;
  let b: TestServer;
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await databases.drop();
  });

  it('reaches a till whose stream is open on another instance, raised and answered', async () => {
    const url = await databases.url('chain');
    a = await startServer({ ...NO_IPN, DATABASE_URL: url });
    b = await startServer({ ...NO_IPN, DATABASE_URL: url, POCKYT_BASE_URL: `${a.baseUrl}/sim/pockyt` });
    const tillToken = (await pair(a.baseUrl, (await a.app.kiosk.createPairingCode()).code)).token;
    const onA = new SseReader();
    readers.push(onA);
    await onA.open(`${a.baseUrl}/api/events`, tillToken);
    // The customer's tablet (A's terminal) is served by B; the till answers through B as well.
    const raised = await new Kiosk(b.baseUrl, a.token).request('POST', '/api/staff-calls');
    expect(raised.status).toBe(201);
    await onA.waitFor((f) => f.some((x) => x.event === 'staff.call'));
    const answered = await new Kiosk(b.baseUrl, tillToken).request('POST', `/api/staff-calls/${raised.body.id}/answer`);
    expect(answered.status).toBe(200);
    await onA.waitFor((f) => f.filter((x) => x.event === 'staff.call').length === 2);
    expect(callFrames(onA)).toEqual([
      { kind: 'called', call: raised.body },
      { kind: 'answered', call: answered.body },
    ]);
  });
});
