// Graceful shutdown releases leases (issue 10): an instance closed the way SIGTERM closes it (server/main.ts
// calls app.close()) lets go of the payments it works, so another instance takes them at its next sweep —
// well within one lease period — instead of waiting for the lease to run out. Both apps are the real app on
// one database and one Pockyt simulator (each behind a recording forwarder, to tell who asked the provider).
// On Postgres B runs beside A and first shows it leaves A's live lease alone; on SQLite (one process at a
// time) B starts after A has closed, and the row itself shows the release (B's boot would free a dead
// process's leases anyway).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, providerEnv, startSims, type RunningSims } from '../../bench/lib/sims.ts';
import { startForwarder, type Forwarder } from '../../bench/lib/forwarder.ts';
import { openStore, type Store } from '../../server/store/db.ts';
import { getPayment, type Payment } from '../../server/store/payments.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { durableDatabases } from './helpers/databases.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
// Long enough that "at the next sweep" (every LEASE_MS/3) and "once the lease ran out" (at least 2/3 of
// LEASE_MS after the close) are far apart.
const LEASE_MS = 6000;
const QUERY = '/app-data-search/v3/tran-query';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => Promise<T | undefined | null | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('graceful shutdown releases leases', () => {
  const databases = durableDatabases('kiosk-shutdown-leases-');
  let sims: RunningSims;
  let url: string;
  let store: Store;
  const forwarders: Forwarder[] = [];
  const servers: TestServer[] = [];

  beforeAll(async () => {
    url = await databases.url('chain');
    // Its notifications go nowhere: the payment moves only when an instance asks the provider.
    sims = await startSims(['pockyt'], 'http://127.0.0.1:9', {
      pendingMs: 300,
      notifyScheduleMs: [0],
      centrapaySecondMs: 1000,
      centrapayRateLimit: 10_000,
      paybyRefundCompleteMs: 200,
    });
  });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
    await store?.close();
    for (const f of forwarders) await f.close();
    await sims?.close();
    await databases.drop();
  });

  async function instance(): Promise<{ server: TestServer; sent: Forwarder['sent'] }> {
    const f = await startForwarder(sims.endpoints.pockyt!.baseUrl);
    forwarders.push(f);
    // The standalone simulator's merchant credentials (providerEnv), reached through the forwarder.
    const { DEMO: _demo, ...pockyt } = providerEnv(sims.endpoints);
    const server = await startServer({
      ...NO_IPN,
      ...pockyt,
      DATABASE_URL: url,
      POCKYT_BASE_URL: f.url,
      LEASE_MS: String(LEASE_MS),
      POCKYT_CONFIRM_WINDOW_MS: '120000',
    });
    servers.push(server);
    return { server, sent: f.sent };
  }

  const queriesOf = (sent: Forwarder['sent'], p: Payment, since: number) =>
    sent.filter((s) => s.at >= since && s.path.startsWith(QUERY) && (s.body.includes(p.reference) || s.body.includes(p.providerRef!)));

  it('app.close() lets go of the payments it works: another instance takes them at once, not after LEASE_MS', async () => {
    const a = await instance();
    store = openStore(url);
    // The customer has not confirmed: the payment stays pending, and A keeps checking it under its lease.
    const r = await new Kiosk(a.server.baseUrl, a.server.token).pay({
      orderId: order(),
      amount: { value: 1000, currency: 'USD' },
      mode: 'cpm',
      code: alipayTestCode('0009'),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status, JSON.stringify(r.body)).toBe('pending');
    const aOwner = a.server.app.kiosk.leases.owner;
    let p = await until(
      "A's lease on the payment",
      async () => {
        const row = await getPayment(store.db, r.body.id);
        return row?.lease?.owner === aOwner && row;
      },
      5000,
    );

    let b: Awaited<ReturnType<typeof instance>> | undefined;
    if (onPostgres) {
      b = await instance();
      // B's sweeps (every LEASE_MS/3) find the payment held by a live instance and leave it to A.
      const since = Date.now();
      await sleep(LEASE_MS / 3 + 800);
      expect(queriesOf(b.sent, p, since), 'B queried a payment A holds').toHaveLength(0);
      expect((await getPayment(store.db, p.id))?.lease?.owner).toBe(aOwner);
    }

    await a.server.app.close();
    const closedAt = Date.now();
    p = (await getPayment(store.db, p.id))!;
    expect(p.status).toBe('pending');
    // Not A's any more: free, or already taken by B.
    expect(p.lease?.owner ?? null, 'A still holds the lease after closing').not.toBe(aOwner);

    b ??= await instance();
    const taken = await until('B to ask the provider about the payment', async () => queriesOf(b.sent, p, closedAt)[0], 2 * LEASE_MS);
    // A lease left behind would keep B off for at least 2/3 of LEASE_MS after the close (A renews every third).
    expect(taken.at - closedAt, "ms from A's close to B's first query").toBeLessThan(LEASE_MS / 2);
    expect((await getPayment(store.db, p.id))?.lease?.owner).toBe(b.server.app.kiosk.leases.owner);

    // And B finishes it: the customer confirms, B's next check learns it.
    await control(sims.endpoints.pockyt!.control, 'POST', `/transactions/${p.providerRef}/approve`);
    const done = await until(
      'B to settle the payment',
      async () => {
        const row = await getPayment(store.db, p.id);
        return row?.status === 'succeeded' && row;
      },
      10_000,
    );
    expect(done.status).toBe('succeeded');
  }, 60_000);
});
