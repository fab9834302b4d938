// Staff PINs cannot be guessed (issue 9, item 2): the role is checked before any counter is touched, the
// attempt slot is taken in the database before the slow hash (so parallel guesses cannot pass the limit),
// the lockout is stored in the database (survives a restart, shared by every proxy on the file) and limits a
// whole store and every supervisor's PIN, and every attempt is audited. Real app, real Pockyt simulator.
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listAudit } from '../../server/store/audit.ts';
import { freshPostgres, NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order, type Reply } from './helpers/kiosk.ts';
import { DEMO_PIN, refund, voidPayment } from './helpers/staff.ts';

// Counts scrypt verifications, i.e. how many guesses were actually checked against a stored PIN.
const pinChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../server/staff/pin.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/staff/pin.ts')>();
  return {
    ...real,
    verifyPin: async (pin: string, stored: string) => {
      pinChecks.count++;
      return real.verifyPin(pin, stored);
    },
  };
});

const servers: TestServer[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (cleanups.length) await cleanups.pop()!();
});

// These tests fire dozens of PIN attempts from one tablet within seconds to reach the lockout; the coarse
// per-tablet rate limit in front of it (tests/server/limits-rates.test.ts) is raised out of their way.
const LOCKOUT_ONLY = { RATE_LIMIT_PIN_PER_TERMINAL: '1000' };

async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startServer({ ...NO_IPN, ...LOCKOUT_ONLY, ...env });
  servers.push(s);
  return s;
}

async function pairInto(server: TestServer, store?: string): Promise<Kiosk> {
  const { token } = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code);
  return new Kiosk(server.baseUrl, token);
}

async function paid(k: Kiosk, value = 1000) {
  const r = await k.pay({ orderId: order(), amount: { value, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
  expect(r.body.status).toBe('succeeded');
  return r.body;
}

let nextGuess = 20_000_000;
/** Wrong 8-digit PINs, all different (never the demo 1234 or a configured PIN). */
const guess = () => String(nextGuess++);
const code = (r: Reply) => `${r.status} ${r.body?.error?.code ?? r.body?.status}`;

/** The demo stores plus `demo-us-2`, a second USD store served by Pockyt. */
function storesWithSecondUsStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stores-'));
  for (const f of readdirSync('config/stores')) copyFileSync(join('config/stores', f), join(dir, f));
  const us = JSON.parse(readFileSync(join('config/stores', 'demo-us.json'), 'utf8'));
  writeFileSync(join(dir, 'demo-us-2.json'), JSON.stringify({ ...us, id: 'demo-us-2', name: 'Second US store' }));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the role is checked before any counter is touched', () => {
  it('a cashier PIN at a supervisor action is a failed attempt: it neither resets the counter nor escapes the lockout', async () => {
    const server = await start({ CASHIER_PIN: '86420864', STAFF_PIN_MAX_ATTEMPTS: '5', STAFF_PIN_LOCKOUT_MS: '600000' });
    const k = new Kiosk(server.baseUrl, server.token);
    const p = await paid(k);
    const answers: Reply[] = [];
    // The attack from the issue: four wrong supervisor guesses, then the cashier's own PIN, six times over.
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 4; i++) answers.push(await voidPayment(k, p.id, guess()));
      answers.push(await voidPayment(k, p.id, '86420864'));
    }
    expect(answers.slice(0, 5).map(code)).toEqual([
      '403 invalid_pin',
      '403 invalid_pin',
      '403 invalid_pin',
      '403 invalid_pin',
      '403 supervisor_required',
    ]);
    expect(answers[4].body.error.details).toMatchObject({ attemptsLeft: 0 });
    expect(answers[4].body.error.details.retryAfterSeconds).toBeGreaterThan(500);
    expect(answers.slice(5).map(code)).toEqual(Array(25).fill('429 pin_locked'));
    expect((await voidPayment(k, p.id, DEMO_PIN)).status).toBe(429);
    expect((await k.get(p.id)).body.status).toBe('succeeded');
  });
});

describe('attempts are serialised: the slot is taken before the hash', () => {
  it('60 concurrent wrong guesses with a limit of 5: 5 checked and counted, 55 locked out unchecked', async () => {
    const server = await start({ STAFF_PIN_MAX_ATTEMPTS: '5', STAFF_PIN_LOCKOUT_MS: '600000' });
    const k = new Kiosk(server.baseUrl, server.token);
    const p = await paid(k);
    pinChecks.count = 0;
    const answers = await Promise.all(Array.from({ length: 60 }, () => voidPayment(k, p.id, guess())));
    const tally = answers.map(code).reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});
    expect(tally).toEqual({ '403 invalid_pin': 5, '429 pin_locked': 55 });
    // One configured PIN (the demo supervisor's): one scrypt verification per checked guess.
    expect(pinChecks.count).toBe(5);
    for (const r of answers.filter((a) => a.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(500);
    const audit = await listAudit(server.app.kiosk.db, { paymentId: p.id });
    expect(audit.filter((a) => a.action === 'pin_rejected')).toHaveLength(5);
    expect(audit.filter((a) => a.action === 'pin_locked')).toHaveLength(55);
  });
});

describe('the lockout is stored in the database', () => {
  // Always on a SQLite file; also on Postgres when TEST_DATABASE_URL is set (two proxies, one database).
  const databases: { name: string; open(): Promise<string> }[] = [
    {
      name: 'a SQLite file',
      async open() {
        const file = join('.test-tmp', `pin-lockout-${randomUUID()}.db`);
        cleanups.push(() => ['', '-wal', '-shm'].forEach((x) => rmSync(file + x, { force: true })));
        return `sqlite:${file}`;
      },
    },
  ];
  const pgAdmin = process.env.TEST_DATABASE_URL;
  if (pgAdmin) {
    databases.push({
      name: 'Postgres',
      async open() {
        const fresh = await freshPostgres(pgAdmin);
        cleanups.push(() => fresh.drop());
        return fresh.url;
      },
    });
  }

  for (const database of databases) {
    it(`is shared by two proxies on ${database.name} and survives a restart`, async () => {
      const env = { DATABASE_URL: await database.open(), STAFF_PIN_MAX_ATTEMPTS: '3', STAFF_PIN_LOCKOUT_MS: '600000' };
      const a = await start(env);
      const b = await start(env);
      const viaA = new Kiosk(a.baseUrl, a.token);
      const viaB = new Kiosk(b.baseUrl, a.token);
      const p = await paid(viaA);
      expect(code(await voidPayment(viaA, p.id, guess()))).toBe('403 invalid_pin');
      expect(code(await voidPayment(viaB, p.id, guess()))).toBe('403 invalid_pin');
      const third = await voidPayment(viaA, p.id, guess());
      expect(third.body.error.details.retryAfterSeconds).toBeGreaterThan(500);
      expect(code(await voidPayment(viaB, p.id, DEMO_PIN))).toBe('429 pin_locked');

      // Both proxies go away; a new one on the same database still refuses the right PIN.
      await servers.pop()!.close();
      await servers.pop()!.close();
      const c = await start(env);
      const viaC = new Kiosk(c.baseUrl, a.token);
      const locked = await voidPayment(viaC, p.id, DEMO_PIN);
      expect(code(locked)).toBe('429 pin_locked');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(500);
      expect((await viaC.get(p.id)).body.status).toBe('succeeded');
    });
  }

  // Two proxies in one process cannot share a SQLite file under concurrent writes (better-sqlite3 waits for
  // the file lock synchronously, blocking the other proxy's event loop); separate processes can.
  it.runIf(pgAdmin)('two proxies on Postgres: 60 concurrent wrong guesses split between them still count only 5', async () => {
    const fresh = await freshPostgres(pgAdmin!);
    cleanups.push(() => fresh.drop());
    const env = { DATABASE_URL: fresh.url, STAFF_PIN_MAX_ATTEMPTS: '5', STAFF_PIN_LOCKOUT_MS: '600000' };
    const a = await start(env);
    const b = await start(env);
    const viaA = new Kiosk(a.baseUrl, a.token);
    const viaB = new Kiosk(b.baseUrl, a.token);
    const p = await paid(viaA);
    pinChecks.count = 0;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => voidPayment(i % 2 ? viaA : viaB, p.id, guess())));
    expect(answers.filter((r) => r.status === 403)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(55);
    // Each proxy hashed the demo PIN once for itself; every checked guess is one verification.
    expect(pinChecks.count).toBe(5);
  });
});

describe('the lockout limits a whole store, and every supervisor PIN across stores', () => {
  it('failures on two tablets add up to a store-wide lock; another store is untouched until the PIN-wide limit', async () => {
    const server = await start({
      STORES_DIR: storesWithSecondUsStore(),
      STAFF_PIN_MAX_ATTEMPTS: '5',
      STAFF_PIN_LOCKOUT_MS: '600000',
      STAFF_PIN_STORE_MAX_FAILURES: '6',
      STAFF_PIN_STORE_WINDOW_MS: '600000',
      STAFF_PIN_STORE_LOCKOUT_MS: '600000',
      STAFF_PIN_MEMBER_MAX_FAILURES: '8',
      STAFF_PIN_MEMBER_WINDOW_MS: '600000',
      STAFF_PIN_MEMBER_LOCKOUT_MS: '600000',
    });
    const t1 = new Kiosk(server.baseUrl, server.token);
    const t2 = await pairInto(server);
    const other = await pairInto(server, 'demo-us-2');
    const [p1, p2, p3] = [await paid(t1), await paid(t2), await paid(other)];

    // Four wrong on tablet 1 (under its own limit of 5), two on tablet 2: six in the store.
    for (let i = 0; i < 4; i++) expect(code(await voidPayment(t1, p1.id, guess()))).toBe('403 invalid_pin');
    expect((await voidPayment(t2, p2.id, guess())).body.error.details.attemptsLeft).toBe(1);
    const sixth = await voidPayment(t2, p2.id, guess());
    expect(code(sixth)).toBe('403 invalid_pin');
    expect(sixth.body.error.details.retryAfterSeconds).toBeGreaterThan(500);
    expect(sixth.body.error.message).toMatch(/store/);

    for (const [k, id] of [
      [t2, p2.id],
      [t1, p1.id],
    ] as const) {
      const r = await voidPayment(k, id, DEMO_PIN);
      expect(code(r)).toBe('429 pin_locked');
      expect(r.body.error.details.scope).toBe('store');
      expect(r.body.error.message).toMatch(/store/);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(500);
    }
    // A tablet paired into the store afterwards is locked as well.
    const late = await pairInto(server);
    expect(code(await voidPayment(late, (await paid(late)).id, DEMO_PIN))).toBe('429 pin_locked');

    // Another store still works: the right PIN there costs no failure.
    expect(code(await voidPayment(other, p3.id, DEMO_PIN))).toBe('200 reversed');
    // But every wrong guess anywhere is a wrong guess at the supervisor's PIN: two more reach its limit of 8.
    const p4 = await paid(other);
    expect(code(await voidPayment(other, p4.id, guess()))).toBe('403 invalid_pin');
    expect((await voidPayment(other, p4.id, guess())).body.error.details.retryAfterSeconds).toBeGreaterThan(500);
    const pinWide = await voidPayment(other, p4.id, DEMO_PIN);
    expect(code(pinWide)).toBe('429 pin_locked');
    expect(pinWide.body.error.details.scope).toBe('staff');
    expect((await other.get(p4.id)).body.status).toBe('succeeded');
  });
});

describe('audit', () => {
  it('records every attempt — accepted, wrong role, wrong PIN, locked out — with terminal, staff, action and outcome, never the PIN', async () => {
    const server = await start({ CASHIER_PIN: '86420864', STAFF_PIN_MAX_ATTEMPTS: '2', STAFF_PIN_LOCKOUT_MS: '600000' });
    const k = new Kiosk(server.baseUrl, server.token);
    const p = await paid(k, 2000);
    const wrong = guess();
    expect((await refund(k, p.id, 100, 'USD', { pin: DEMO_PIN })).status).toBe(201);
    expect(code(await refund(k, p.id, 100, 'USD', { pin: '86420864' }))).toBe('403 supervisor_required');
    expect(code(await refund(k, p.id, 100, 'USD', { pin: wrong }))).toBe('403 invalid_pin');
    expect(code(await refund(k, p.id, 100, 'USD', { pin: DEMO_PIN }))).toBe('429 pin_locked');

    const audit = await listAudit(server.app.kiosk.db, { paymentId: p.id });
    const attempts = audit.filter((a) => a.action.startsWith('pin_'));
    expect(attempts.map((a) => [a.action, a.outcome, a.staff?.name ?? null, a.terminalId, (a.detail as { for?: string }).for])).toEqual([
      ['pin_accepted', 'accepted', 'Supervisor (SUPERVISOR_PIN)', server.terminalId, 'refund'],
      ['pin_rejected', 'refused', 'Cashier (CASHIER_PIN)', server.terminalId, 'refund'],
      ['pin_rejected', 'refused', null, server.terminalId, 'refund'],
      ['pin_locked', 'refused', null, server.terminalId, 'refund'],
    ]);
    expect(attempts[1].detail).toMatchObject({ reason: 'supervisor_required' });
    const all = JSON.stringify(await listAudit(server.app.kiosk.db));
    for (const pin of ['86420864', wrong]) expect(all).not.toContain(pin);
  });
});
