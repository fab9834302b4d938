// The reconciler's polling budget against the real simulators (issue 9, item 5), provider notifications off
// so every status the proxy learns is its own query. Queries are counted where they arrive: the simulator
// routes (server.simLog). (a) a pending payment nobody watches is asked about at the slow cadence, a watched
// one (SSE stream of its terminal open, or the kiosk reading it) at the fast one, and the schedule row is not
// rewritten on every check; (b) however many payments are open, one provider account never gets more than
// its budget, and a watched payment goes before the backlog; (c) a 429 with Retry-After pauses the whole
// account, then polling resumes.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { NO_IPN, pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST } from './helpers/providers.ts';
import { SseReader } from './helpers/sse.ts';
import { getPayment } from '../../server/store/payments.ts';
import { RequestBudget } from '../../server/payments/poll-budget.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const usd = (value: number) => ({ value, currency: 'USD' });
const QUERY = '/app-data-search/v3/tran-query';

/** Pockyt payments that stay pending (scenario 0002 with a customer who takes ten minutes) for ten minutes. */
const PENDING_POCKYT = { ...NO_IPN, SIM_POCKYT_PENDING_MS: '600000', POCKYT_CONFIRM_WINDOW_MS: '600000' };

const servers: TestServer[] = [];
const streams: SseReader[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(env: Record<string, string>, store?: string): Promise<TestServer> {
  const s = await startServer(env, store ? { store } : {});
  servers.push(s);
  return s;
}

async function openStream(s: TestServer, token: string): Promise<SseReader> {
  const sse = new SseReader();
  streams.push(sse);
  await sse.open(`${s.baseUrl}/api/events`, token);
  expect(sse.status).toBe(200);
  return sse;
}

const queriesBetween = (s: TestServer, from: number, to: number) =>
  s.simLog.filter((c) => c.provider === 'pockyt' && c.path === QUERY && c.at >= from && c.at < to).length;

describe('cadence: fast only while a kiosk watches', () => {
  it('asks slowly about an unwatched payment, quickly while its terminal streams or the kiosk reads it, and keeps the schedule row', async () => {
    // Fast: 100 → 200 ms. Slow: from Pockyt's 2 s guidance, doubling up to 3 s.
    const s = await start({ ...PENDING_POCKYT, POLL_INITIAL_MS: '100', POLL_MAX_MS: '200', POLL_IDLE_MS: '3000' });
    const kiosk = new Kiosk(s.baseUrl, s.token);
    const r = await kiosk.pay({ orderId: order(), amount: usd(1500), mode: 'cpm', code: alipayTestCode('0002') });
    expect(r.body.status).toBe('pending');
    const t0 = Date.now();
    await sleep(3000);
    const unwatched = queriesBetween(s, t0, Date.now());

    const sse = await openStream(s, s.token);
    const t1 = Date.now();
    const leases = new Set<string | null>();
    while (Date.now() - t1 < 3000) {
      leases.add((await getPayment(s.app.kiosk.db, r.body.id))!.nextCheckAt);
      await sleep(25);
    }
    const streaming = queriesBetween(s, t1, Date.now());

    await sse.close();
    await sleep(300); // the check the stream's last moment armed
    const t2 = Date.now();
    await sleep(3000);
    const closed = queriesBetween(s, t2, Date.now());

    const t3 = Date.now();
    while (Date.now() - t3 < 3000) {
      expect((await kiosk.get(r.body.id)).body.status).toBe('pending');
      await sleep(300);
    }
    const reading = queriesBetween(s, t3, Date.now());

    const counts = { unwatched, streaming, closed, reading };
    // Slow: the first check (soon, whoever asked) and then one every 1.5–3 s: at most 3 in 3 s. Fast: every
    // 75–200 ms after the last answer — 15 or more in 3 s on a quiet machine; on a loaded one each answer takes
    // a few hundred ms more (seen: one every 400 ms), which is still fast, so at least 6.
    expect(Math.max(unwatched, closed), JSON.stringify(counts)).toBeLessThanOrEqual(3);
    expect(Math.min(streaming, reading), JSON.stringify(counts)).toBeGreaterThanOrEqual(6);
    // Checked many times in those 3 s, but the row's lease moved at most once.
    expect(leases.size).toBeLessThanOrEqual(2);
    expect([...leases].every((l) => l !== null && Date.parse(l) > t1)).toBe(true);
  }, 30_000);
});

describe('budget: one provider account never gets more than its rate', () => {
  it('20 open payments share 120 queries/min (burst 4), and a watched payment goes before the backlog', async () => {
    const s = await start({ ...PENDING_POCKYT, POLL_INITIAL_MS: '100', POLL_MAX_MS: '200', POLL_IDLE_MS: '400', POLL_RATE_POCKYT: '120' });
    const backlog = new Kiosk(s.baseUrl, s.token);
    for (let i = 0; i < 20; i++) {
      const r = await backlog.pay({ orderId: order(), amount: usd(1000 + i), mode: 'cpm', code: alipayTestCode('0002') });
      expect(r.body.status).toBe('pending');
    }
    // Unbudgeted, 20 payments asked about every ≤ 400 ms would be ~50 queries/s.
    const t0 = Date.now();
    await sleep(6000);
    const t1 = Date.now();
    const at = s.simLog.filter((c) => c.provider === 'pockyt' && c.path === QUERY && c.at >= t0 && c.at < t1).map((c) => c.at);
    // Rate 2/s, burst 4: in any T seconds at most 4 + 2·T granted. Counted at the simulator's answer, so
    // allow the answer's own latency (≤ 250 ms) on top of T.
    const most = (seconds: number) => Math.floor(4 + 2 * (seconds + 0.25));
    for (const seconds of [1, 3]) {
      const peak = Math.max(...at.map((a) => at.filter((b) => b >= a && b < a + seconds * 1000).length));
      expect(peak, `queries in ${seconds} s`).toBeLessThanOrEqual(most(seconds));
    }
    expect(at.length).toBeLessThanOrEqual(most(6));
    // …and it is used, not starved: at least ~3/4 of 2/s.
    expect(at.length).toBeGreaterThanOrEqual(9);

    // A second kiosk watches its own payment: its check does not queue behind the 20.
    const other = await pair(s.baseUrl, (await s.app.kiosk.createPairingCode()).code);
    const kiosk = new Kiosk(s.baseUrl, other.token);
    const sse = await openStream(s, other.token);
    const r = await kiosk.pay({ orderId: order(), amount: usd(2500), mode: 'cpm', code: alipayTestCode('0002') });
    expect(r.body.status).toBe('pending');
    await sleep(500);
    const approved = await kiosk.sim('POST', `/control/transactions/${r.body.providerRef}/approve`);
    expect(approved.status).toBe(200);
    const t2 = Date.now();
    await sse.waitFor(() => sse.updates().some((u) => u.payment.id === r.body.id && u.payment.status === 'succeeded'), 8000);
    // In line behind 20 payments at 2/s it would take ~10 s.
    expect(Date.now() - t2).toBeLessThan(3000);
  }, 40_000);
});

describe('429 with Retry-After pauses the provider account', () => {
  it('no request reaches Centrapay while it asked us to wait, then polling resumes', async () => {
    // Eight requests per 9 s window: four merchant QRs (created together) and their first polls (the fast
    // cadence at its default, ~1 s) use it up, and Retry-After is then ~7 s — longer than the adapter waits
    // out itself, so the reconciler gets the 429.
    const s = await start(
      {
        ...CENTRAPAY_FAST,
        SIM_CENTRAPAY_SECOND_MS: '1000',
        SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: 'none',
        SIM_CENTRAPAY_RATE_LIMIT: '8',
        SIM_CENTRAPAY_RATE_WINDOW_MS: '9000',
        POLL_INITIAL_MS: '1000',
        POLL_MAX_MS: '1000',
      },
      'demo-nz',
    );
    // When the proxy learnt of the pause, and when it sent each request to Centrapay (its fetch began): on a
    // loaded machine a request sent before the 429 was read can reach the simulator hundreds of ms later.
    let pausedAt: number | undefined;
    const pause = Object.getOwnPropertyDescriptor(RequestBudget.prototype, 'pause')!.value as RequestBudget['pause'];
    vi.spyOn(RequestBudget.prototype, 'pause').mockImplementation(function (this: RequestBudget, ms: number) {
      pausedAt ??= Date.now();
      return pause.call(this, ms);
    });
    const sent: { at: number; path: string }[] = [];
    const onRequest = (message: unknown) => {
      const { path } = (message as { request: { path: string } }).request;
      if (path.startsWith('/sim/centrapay/api/')) sent.push({ at: Date.now(), path });
    };
    subscribe('undici:request:create', onRequest);
    onTestFinished(() => {
      unsubscribe('undici:request:create', onRequest);
      vi.restoreAllMocks();
    });
    const kiosk = new Kiosk(s.baseUrl, s.token);
    await openStream(s, s.token);
    const created = await Promise.all(
      [960, 970, 980, 990].map((value) =>
        kiosk.pay({ orderId: order(), amount: { value, currency: 'NZD' }, mode: 'mpm', provider: 'centrapay' }),
      ),
    );
    expect(created.map((r) => r.body.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const until = Date.now() + 6000;
    while (!s.simLog.some((c) => c.provider === 'centrapay' && c.status === 429) && Date.now() < until) await sleep(20);
    const first429 = s.simLog.find((c) => c.provider === 'centrapay' && c.status === 429);
    expect(first429).toBeDefined();
    await sleep(10_000);
    const api = s.simLog.filter((c) => c.provider === 'centrapay' && c.path.startsWith('/api/'));
    // Once the proxy read the 429, nothing is sent for the ~7 s Centrapay asked for — by any of the four
    // payments, not only the one that was refused.
    expect(pausedAt).toBeGreaterThan(0);
    expect(sent.filter((c) => c.at > pausedAt! && c.at < pausedAt! + 5000)).toEqual([]);
    // Then the payments are asked about again.
    expect(api.filter((c) => c.receivedAt >= first429!.at + 5000 && c.status === 200).length).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
