// A kiosk watching a payment through another instance (issue 10): only the instance holding the payment's
// lease asks the provider about it, but the kiosk's reads and event stream can land on any instance. The
// watch is shared through the database (payments.watched_until, terminals.stream_until), so the lease holder
// polls at the watched cadence. On Postgres two real apps share one database and one set of simulators (A's,
// in process; B reaches them through a recording forwarder): A charges (and so holds) a pending payment and the
// kiosk reads it, or streams, only through B. On SQLite (one process) the same path: a read marks the row
// (throttled), and a mark in the row — as another instance would write it — speeds this instance up.
import { afterEach, describe, expect, it } from 'vitest';
import type { PollSchedule } from '../../server/payments/poll-schedule.ts';
import { getPayment } from '../../server/store/payments.ts';
import { NO_IPN, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';
import { twoAppsOnOneDatabase } from './helpers/two-apps.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const usd = (value: number) => ({ value, currency: 'USD' });
const QUERY = '/app-data-search/v3/tran-query';
/** Pockyt payments nobody approves for ten minutes. Watched: checked every 300–500 ms; unwatched: Pockyt's
 *  2 s recommended interval, doubling (2, 4, 8 s …, ±25 %). */
const PENDING_POCKYT = {
  ...NO_IPN,
  SIM_POCKYT_PENDING_MS: '600000',
  POCKYT_CONFIRM_WINDOW_MS: '600000',
  POLL_INITIAL_MS: '300',
  POLL_MAX_MS: '500',
  POLL_IDLE_MS: '30000',
};

const apps = twoAppsOnOneDatabase('kiosk-shared-watch-');
afterEach(() => apps.close());
const { start } = apps;

const queries = (s: TestServer, from = 0, to = Infinity) =>
  s.simLog.filter((c) => c.provider === 'pockyt' && c.path === QUERY && c.at >= from && c.at < to);

/** A pending payment charged through `s` (so `s` holds its lease), once its unwatched cadence has slowed
 *  down: its second check is done, the next one is 3–5 s away and the one after that 6–10 s further. */
async function pendingAndSlow(s: TestServer, charge: Kiosk): Promise<string> {
  const r = await charge.pay({ orderId: order(), amount: usd(1234), mode: 'cpm', code: alipayTestCode('0002') });
  expect(r.body.status, JSON.stringify(r.body)).toBe('pending');
  const end = Date.now() + 6000;
  while (queries(s).length < 2 && Date.now() < end) await sleep(20);
  expect(queries(s).length).toBe(2);
  return r.body.id;
}

/** What the lease holder knew, for a failure's message: the row, this instance's watch, the queries (ms from t0). */
async function whyNot(s: TestServer, id: string, t0: number, how: string): Promise<string> {
  const row = await s.app.kiosk.db
    .selectFrom('payments')
    .select(['status', 'lease_owner', 'lease_until', 'watched_until', 'next_check_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  const w = (s.app.kiosk.poller as unknown as { schedule: PollSchedule }).schedule.get(id);
  const watch = w && { ...w, timer: Boolean(w.timer), running: Boolean(w.running), next: Boolean(w.next), dueIn: w.dueAt - Date.now() };
  return JSON.stringify({ how, owner: s.app.kiosk.leases.owner, row, watch, queries: queries(s).map((c) => c.at - t0) });
}

describe.skipIf(!onPostgres)('two proxies, one Postgres: the lease holder knows a kiosk watches through the other', () => {
  const pair = () => apps.pair('pair', PENDING_POCKYT, 'POCKYT_BASE_URL', 'pockyt');

  it('reads through B: A asks the provider at the watched cadence', async () => {
    const { a, b, viaB } = await pair();
    const id = await pendingAndSlow(a, new Kiosk(a.baseUrl, a.token));
    const t0 = Date.now();
    const viaKioskOnB = new Kiosk(b.baseUrl, a.token);
    while (Date.now() < t0 + 5000) {
      expect((await viaKioskOnB.get(id)).body.status).toBe('pending');
      await sleep(1000);
    }
    // Unwatched, A would ask at most once in these 5 s; watched, every 300–500 ms once it notices (≤ ~1 s).
    const byA = queries(a, t0, t0 + 5000).length - viaB.sent.filter((c) => c.path === QUERY && c.at >= t0 && c.at < t0 + 5000).length;
    expect(byA).toBeGreaterThanOrEqual(3);
    // B left the payment to A.
    expect(viaB.sent.filter((c) => c.path === QUERY)).toEqual([]);
    expect((await getPayment(a.app.kiosk.db, id))?.lease?.owner).toBe(a.app.kiosk.leases.owner);
  }, 30_000);

  it('the kiosk streams from B: A asks the provider at the watched cadence', async () => {
    const { a, b, viaB } = await pair();
    await pendingAndSlow(a, new Kiosk(a.baseUrl, a.token));
    const t0 = Date.now();
    const sse = new SseReader();
    await sse.open(`${b.baseUrl}/api/events`, a.token);
    expect(sse.status).toBe(200);
    try {
      await sleep(5000);
    } finally {
      await sse.close();
    }
    const byA = queries(a, t0, t0 + 5000).length;
    expect(byA).toBeGreaterThanOrEqual(3);
    expect(viaB.sent.filter((c) => c.path === QUERY)).toEqual([]);
  }, 30_000);
});

describe('the watch is the database row (one process on SQLite, any instance on Postgres)', () => {
  it('a read marks the payment watched for SEEN_FOR_MS, rewritten only once less than half of it is left', async () => {
    const s = await start(PENDING_POCKYT);
    const k = new Kiosk(s.baseUrl, s.token);
    const id = await pendingAndSlow(s, k);
    const db = s.app.kiosk.db;
    const mark = async () =>
      (await db.selectFrom('payments').select('watched_until').where('id', '=', id).executeTakeFirstOrThrow()).watched_until;
    expect(await mark()).toBeNull();
    const before = Date.now();
    await k.get(id);
    let first: string | null | undefined = null;
    for (let i = 0; i < 100 && !first; i++, await sleep(10)) first = await mark();
    expect(Date.parse(first!)).toBeGreaterThanOrEqual(before + 10_000);
    expect(Date.parse(first!)).toBeLessThan(Date.now() + 10_000 + 50);
    // Throttled: reads while more than half a watch period is left write nothing.
    for (let i = 0; i < 5; i++) await k.get(id);
    await sleep(100);
    expect(await mark()).toBe(first);
    // Less than half left (as after 5 s of reads): the next read moves it on.
    const soon = new Date(Date.now() + 4000).toISOString();
    await db.updateTable('payments').set({ watched_until: soon }).where('id', '=', id).execute();
    const again = Date.now();
    await k.get(id);
    let moved: string | null | undefined = soon;
    for (let i = 0; i < 100 && moved === soon; i++, await sleep(10)) moved = await mark();
    expect(Date.parse(moved!)).toBeGreaterThanOrEqual(again + 10_000);
  }, 30_000);

  it('a mark written by another instance (a read, or an open stream) has this one poll at the watched cadence', async () => {
    for (const how of ['read', 'stream'] as const) {
      const s = await start(PENDING_POCKYT);
      const id = await pendingAndSlow(s, new Kiosk(s.baseUrl, s.token));
      const t0 = Date.now();
      const until = new Date(t0 + 10_000).toISOString();
      if (how === 'read') await s.app.kiosk.db.updateTable('payments').set({ watched_until: until }).where('id', '=', id).execute();
      else await s.app.kiosk.db.updateTable('terminals').set({ stream_until: until }).where('id', '=', s.terminalId).execute();
      await sleep(5000);
      expect(queries(s, t0, t0 + 5000).length, await whyNot(s, id, t0, how)).toBeGreaterThanOrEqual(3);
      await apps.stop(s);
    }
  }, 40_000);
});
