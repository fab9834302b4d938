// Push across instances (issue 10): two proxies on one Postgres database. A kiosk streams from A while its
// payments change on B; every change reaches A's stream, in order, once, within the push budget; when A's
// LISTEN connection is killed, /readyz says so, and what was committed meanwhile arrives once it is back
// (catch-up from the event log). Postgres only: SQLite is one process, and its in-process bus is what
// api-events.test.ts covers (on Postgres that suite also covers a change pushed once on its own instance).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresEventBus } from '../../server/events/pg-bus.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';

const pgAdmin = process.env.TEST_DATABASE_URL;
const usd = (value: number) => ({ value, currency: 'USD' });
const ORDER = ['created', 'pending', 'succeeded'];

// No reconciler poll within the tests: B settles its payments from the simulator's notifications, so every
// change is committed on B (A's poller would otherwise race it for some).
const QUIET = { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000', POLL_IDLE_MS: '60000' };

function p95(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

async function readyz(base: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: await res.json() };
}

describe.skipIf(!pgAdmin)('push across instances (two proxies, one Postgres)', () => {
  const databases = durableDatabases('kiosk-push-');
  let a: TestServer;
  let b: TestServer;
  let viaB: Kiosk;

  beforeAll(async () => {
    const url = await databases.url('chain');
    // A reconnects its listener no sooner than 1.5 s after losing it: long enough to commit during the outage.
    a = await startServer({ ...QUIET, DATABASE_URL: url, LISTEN_RECONNECT_MS: '3000' });
    // One simulator for both (A's), as one provider serves every instance of a chain.
    b = await startServer({ ...QUIET, DATABASE_URL: url, POCKYT_BASE_URL: `${a.baseUrl}/sim/pockyt` });
    // The kiosk is A's terminal; its requests land on B (any instance behind the load balancer).
    viaB = new Kiosk(b.baseUrl, a.token);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await databases.drop();
  });

  /** Pays `n` payments through B, `parallel` at a time (0002: pending, then paid by notification). */
  async function payThroughB(n: number, parallel: number, suffix = '0002'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += parallel) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(parallel, n - i) }, (_, j) =>
          viaB.pay({ orderId: order(), amount: usd(100 + i + j), mode: 'cpm', code: alipayTestCode(suffix) }),
        ),
      );
      for (const r of batch) {
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
        ids.push(r.body.id);
      }
    }
    return ids;
  }

  const settledOn = (s: SseReader, ids: string[]) => () =>
    ids.every((id) => s.updates().some((u) => u.payment.id === id && u.payment.status === 'succeeded'));

  it('a change committed on B reaches the stream on A, in order, each event once, under the id of the state it carries', async () => {
    const onA = new SseReader();
    await onA.open(`${a.baseUrl}/api/events`, a.token);
    try {
      const ids = await payThroughB(8, 2);
      await onA.waitFor(settledOn(onA, ids));
      const updates = onA.updates();
      expect(new Set(updates.map((u) => u.id)).size).toBe(updates.length);
      for (const id of ids) {
        const mine = updates.filter((u) => u.payment.id === id);
        const statuses = mine.map((u) => u.payment.status);
        // Each state at most once, never backwards (a quick created → pending may arrive as pending alone).
        expect(statuses.map((s) => ORDER.indexOf(s))).toEqual([...new Set(statuses.map((s) => ORDER.indexOf(s)))].sort());
        expect(statuses.at(-1)).toBe('succeeded');
        // The frame's id is the applied event that produced the state it carries (Last-Event-ID stays exact).
        const events = await listPaymentEvents(b.app.kiosk.db, id);
        for (const u of mine) {
          const e = events.find((x) => x.id === u.id);
          expect(e).toMatchObject({ applied: true, to: u.payment.status });
        }
      }
    } finally {
      await onA.close();
    }
  });

  it('p95 from the commit on B to the frame on A stays within budget over ~200 events (baseline: a stream on B)', async () => {
    const committedAt = new Map<number, number>();
    // B's bus publishes right after each commit: that moment is the clock's start.
    const unsubscribe = b.app.kiosk.bus.subscribe(a.terminalId, (u) => committedAt.set(u.eventId, Date.now()));
    const onA = new SseReader();
    const onB = new SseReader();
    await onA.open(`${a.baseUrl}/api/events`, a.token);
    await onB.open(`${b.baseUrl}/api/events`, a.token);
    try {
      const ids = await payThroughB(70, 5);
      await onA.waitFor(settledOn(onA, ids), 30_000);
      await onB.waitFor(settledOn(onB, ids), 30_000);
      const lags = (s: SseReader) =>
        s.frames
          .filter((f) => f.event === 'payment.updated' && committedAt.has(Number(f.id)))
          .map((f) => f.receivedAt! - committedAt.get(Number(f.id))!);
      const across = lags(onA);
      const local = lags(onB);
      const result = {
        events: committedAt.size,
        acrossFrames: across.length,
        acrossP50: [...across].sort((x, y) => x - y)[Math.floor(across.length / 2)],
        acrossP95: p95(across),
        acrossMax: Math.max(...across),
        localP95: p95(local),
        localMax: Math.max(...local),
      };
      console.log(`push across instances: ${JSON.stringify(result)}`);
      expect(committedAt.size).toBeGreaterThanOrEqual(200);
      // Most events arrive one by one; only a change overtaken before A read it is folded into the next.
      expect(across.length).toBeGreaterThanOrEqual(committedAt.size * 0.6);
      expect(result.acrossP95).toBeLessThan(1000);
    } finally {
      unsubscribe();
      await onA.close();
      await onB.close();
    }
  }, 60_000);

  it('a killed listener makes A unready, reconnects, and catches up on what was committed while it was down', async () => {
    const bus = a.app.kiosk.bus as PostgresEventBus;
    const before = await readyz(a.baseUrl);
    expect(before.status).toBe(200);
    expect(before.body.checks.listener).toEqual({ ok: true });
    const pid = bus.listenerPid;
    expect(pid).toEqual(expect.any(Number));
    const onA = new SseReader();
    await onA.open(`${a.baseUrl}/api/events`, a.token);
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    try {
      const killed = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
      expect(killed.rows[0].ok).toBe(true);
      const down = await readyz(a.baseUrl);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        ready: false,
        checks: { database: { ok: true }, listener: { ok: false, error: 'not connected' } },
      });

      const ids = await payThroughB(3, 3, '0001');
      // Still down after the commits: these can only reach A by catching up from the event log.
      expect((await readyz(a.baseUrl)).status).toBe(503);

      await onA.waitFor(settledOn(onA, ids), 15_000);
      const updates = onA.updates();
      expect(new Set(updates.map((u) => u.id)).size).toBe(updates.length);
      const until = Date.now() + 10_000;
      let again = await readyz(a.baseUrl);
      while (again.status !== 200 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        again = await readyz(a.baseUrl);
      }
      expect(again.status).toBe(200);
      expect(bus.listenerPid).not.toBe(pid);

      // And live again: a change committed on B now arrives by notification.
      const [live] = await payThroughB(1, 1, '0001');
      await onA.waitFor(settledOn(onA, [live]));
    } finally {
      await admin.end();
      await onA.close();
    }
  }, 60_000);
});
