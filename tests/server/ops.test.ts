// GET /readyz (database reachable, migrations current) and GET /metrics (Prometheus text: payments by
// provider and status, open payments, provider latency and errors, notification lag; token or loopback
// only). Runs on SQLite and, with TEST_DATABASE_URL, on Postgres.
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { parsePrometheus, type Exposition } from './helpers/prometheus.ts';

const usd = (value: number) => ({ value, currency: 'USD' });
/** On Postgres /readyz also checks the LISTEN connection that brings other instances' changes (none on SQLite). */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const listenerCheck = (ok: boolean) => (onPostgres ? { listener: ok ? { ok } : { ok, error: 'not connected' } } : {});
const TOKEN = 'metrics-token-for-tests-0123456789';

let server: TestServer;
let kiosk: Kiosk;
beforeAll(async () => {
  server = await startServer({
    // No poll within a test's lifetime: a notification is what settles a payment here.
    POLL_INITIAL_MS: '60000',
    POLL_MAX_MS: '60000',
    SIM_POCKYT_IPN_SCHEDULE_MS: '0,300,600',
  });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text: await res.text() };
}

async function scrape(s: TestServer = server): Promise<Exposition> {
  const r = await get(s.baseUrl, '/metrics');
  expect(r.status).toBe(200);
  expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(r.text);
}

async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /readyz', () => {
  it('is ready when the database answers and every migration has run', async () => {
    const r = await get(server.baseUrl, '/readyz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true, pending: [] }, ...listenerCheck(true) },
    });
  });

  it('is not ready while the database lacks a migration of this code; a newer one it does not know keeps it ready', async () => {
    const db = server.app.kiosk.db;
    const last = (
      await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(db)
    ).rows[0];
    await sql`delete from kysely_migration where name = ${last.name}`.execute(db);
    try {
      const r = await get(server.baseUrl, '/readyz');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toEqual({
        ready: false,
        checks: { database: { ok: true, ms: expect.any(Number) }, migrations: { ok: false, pending: [last.name] }, ...listenerCheck(true) },
      });
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(db);
    }
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_version', ${new Date().toISOString()})`.execute(db);
    try {
      const r = await get(server.baseUrl, '/readyz');
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).checks.migrations).toEqual({ ok: true, pending: [], unknown: ['9999_from_a_newer_version'] });
    } finally {
      await sql`delete from kysely_migration where name = '9999_from_a_newer_version'`.execute(db);
    }
  });

  it('is not ready (503, database check failed) while the database is unreachable, and ready again once it is back', async () => {
    const own = await startServer();
    const pgAdmin = process.env.TEST_DATABASE_URL;
    const name = new URL(own.app.kiosk.config.databaseUrl).pathname.slice(1);
    const admin = pgAdmin ? new pg.Client({ connectionString: pgAdmin }) : null;
    try {
      if (admin) {
        // Postgres refuses this database's connections, and ends the ones the app's pool holds.
        await admin.connect();
        await admin.query(`alter database ${name} allow_connections false`);
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      } else {
        // SQLite lives in the process: the closest thing to "unreachable" is the app's handle going away.
        await own.app.kiosk.db.destroy();
      }
      const r = await get(own.baseUrl, '/readyz');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toEqual({
        ready: false,
        checks: {
          database: { ok: false, error: 'unreachable' },
          migrations: { ok: false, error: 'not checked: database unavailable' },
          ...listenerCheck(false),
        },
      });
      if (admin) {
        await admin.query(`alter database ${name} allow_connections true`);
        const again = await eventually(
          () => get(own.baseUrl, '/readyz'),
          (x) => x.status === 200,
        );
        expect(JSON.parse(again.text)).toMatchObject({ ready: true });
      }
    } finally {
      await admin?.end();
      await own.close();
    }
  });
});

describe('GET /metrics', () => {
  it('parses as Prometheus text, with the default process metrics', async () => {
    const m = await scrape();
    expect(m.types.get('kiosk_payments')).toBe('gauge');
    expect(m.types.get('kiosk_payments_open')).toBe('gauge');
    expect(m.types.get('kiosk_provider_request_duration_seconds')).toBe('histogram');
    expect(m.types.get('kiosk_provider_request_errors_total')).toBe('counter');
    expect(m.types.get('kiosk_notification_lag_seconds')).toBe('histogram');
    expect(m.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(m.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts a payment by provider and status, and the provider calls it took', async () => {
    const before = await scrape();
    const r = await kiosk.pay({ orderId: order(), amount: usd(1234), mode: 'cpm', code: alipayTestCode('0001') });
    expect(r.body.status).toBe('succeeded');
    const after = await scrape();
    const paid = { provider: 'pockyt', status: 'succeeded' };
    expect((after.value('kiosk_payments', paid) ?? 0) - (before.value('kiosk_payments', paid) ?? 0)).toBe(1);
    const prepay = { provider: 'pockyt', route: '/app-instore/v3/prepay' };
    const calls = (m: Exposition) => m.value('kiosk_provider_request_duration_seconds_count', prepay) ?? 0;
    expect(calls(after) - calls(before)).toBe(1);
    expect(after.value('kiosk_provider_request_duration_seconds_sum', prepay)).toBeGreaterThan(
      before.value('kiosk_provider_request_duration_seconds_sum', prepay) ?? 0,
    );
    expect(after.value('kiosk_provider_request_duration_seconds_bucket', { ...prepay, le: '+Inf' })).toBe(calls(after));
  });

  it('shows a payment waiting for the customer as open until it settles; its notification lag is observed', async () => {
    const open = (m: Exposition) => m.value('kiosk_payments_open', { provider: 'pockyt' }) ?? 0;
    const lagCount = (m: Exposition) => m.value('kiosk_notification_lag_seconds_count', { provider: 'pockyt' }) ?? 0;
    const before = await scrape();
    const p = (await kiosk.pay({ orderId: order(), amount: usd(2200), mode: 'cpm', code: await kiosk.walletCode() })).body;
    expect(p.status).toBe('pending');
    const waiting = await scrape();
    expect(open(waiting) - open(before)).toBe(1);
    expect(waiting.value('kiosk_payments_open_oldest_age_seconds', { provider: 'pockyt' })).toBeGreaterThanOrEqual(0);

    expect((await kiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`)).status).toBe(200);
    expect((await kiosk.waitFor(p.id, (x) => x.status !== 'pending', 3000)).status).toBe('succeeded');
    // The route records the lag right after the transition it caused is committed (and seen by the kiosk).
    const settled = await eventually(scrape, (m) => lagCount(m) > lagCount(before));
    expect(lagCount(settled) - lagCount(before)).toBe(1);
    const lag =
      (settled.value('kiosk_notification_lag_seconds_sum', { provider: 'pockyt' }) ?? 0) -
      (before.value('kiosk_notification_lag_seconds_sum', { provider: 'pockyt' }) ?? 0);
    expect(lag).toBeGreaterThan(0);
    expect(lag).toBeLessThan(3);
    expect(open(settled)).toBe(open(before));
  });

  it('counts provider calls that got no usable answer by route and kind', async () => {
    const add = { provider: 'pockyt', route: '/app-instore/v3/add' };
    const errors = (m: Exposition, kind: string) => m.value('kiosk_provider_request_errors_total', { ...add, kind }) ?? 0;
    const before = await scrape();
    await kiosk.sim('POST', '/control/faults', { path: '/app-instore/v3/add', kind: 'drop', phase: 'before', times: 1 });
    expect((await kiosk.pay({ orderId: order(), amount: usd(1500), mode: 'cpm', code: alipayTestCode('0001') })).body.status).toBe(
      'unknown',
    );
    await kiosk.sim('POST', '/control/faults', { path: '/app-instore/v3/add', kind: 'http500', phase: 'before', times: 1 });
    expect((await kiosk.pay({ orderId: order(), amount: usd(1600), mode: 'cpm', code: alipayTestCode('0001') })).body.status).toBe(
      'unknown',
    );
    const after = await scrape();
    expect(errors(after, 'network') - errors(before, 'network')).toBe(1);
    expect(errors(after, 'http_5xx') - errors(before, 'http_5xx')).toBe(1);
    expect(errors(after, 'timeout')).toBe(errors(before, 'timeout'));
  });

  it('without METRICS_TOKEN answers this machine only, never a forwarded or remote request', async () => {
    expect((await get(server.baseUrl, '/metrics')).status).toBe(200);
    const forwarded = await get(server.baseUrl, '/metrics', { 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded.status).toBe(403);
    expect(JSON.parse(forwarded.text).error.code).toBe('forbidden');
    expect((await get(server.baseUrl, '/metrics', { forwarded: 'for=203.0.113.9' })).status).toBe(403);
    const remote = await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    // Readiness stays open to load balancers wherever they probe from.
    expect((await server.app.inject({ method: 'GET', url: '/readyz', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
  });

  it('with METRICS_TOKEN needs it as a bearer token, from anywhere', async () => {
    const own = await startServer({ METRICS_TOKEN: TOKEN });
    try {
      const none = await get(own.baseUrl, '/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get(own.baseUrl, '/metrics', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      expect((await get(own.baseUrl, '/metrics', { authorization: `Basic ${TOKEN}` })).status).toBe(401);
      const ok = await get(own.baseUrl, '/metrics', { authorization: `Bearer ${TOKEN}` });
      expect(ok.status).toBe(200);
      expect(parsePrometheus(ok.text).types.get('kiosk_payments')).toBe('gauge');
      const remote = await own.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '10.1.2.3',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(remote.statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('refuses a METRICS_TOKEN too short to be secret', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'changeme' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadConfig({}).metricsToken).toBeNull();
  });
});
