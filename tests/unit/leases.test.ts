// Row leases (server/store/leases.ts, server/payments/leases.ts): which instance works a payment. Two Leases
// objects on one database play two proxy instances. With TEST_DATABASE_URL (postgres project) each run gets a
// fresh Postgres database, where the two claims below truly run at once (FOR UPDATE SKIP LOCKED).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Leases } from '../../server/payments/leases.ts';
import { openMigratedStore, type Store } from '../../server/store/db.ts';
import { claimDuePayments } from '../../server/store/leases.ts';
import { getPayment, insertPayment, type Payment } from '../../server/store/payments.ts';
import { freshPostgres } from '../server/helpers/app.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger;
const run = randomUUID().slice(0, 8);
const T1 = `t1-${run}`;
let store: Store;
let drop: (() => Promise<void>) | undefined;
let seq = 0;
const instances: Leases[] = [];

beforeAll(async () => {
  const admin = process.env.TEST_DATABASE_URL;
  let url = 'sqlite::memory:';
  if (admin) {
    const db = await freshPostgres(admin);
    url = db.url;
    drop = () => db.drop();
  }
  store = await openMigratedStore(url);
  await store.db
    .insertInto('terminals')
    .values({ id: T1, store_id: 'demo-us', name: 'T', token_hash: `h-${run}`, created_at: new Date().toISOString(), revoked_at: null })
    .execute();
});
afterAll(async () => {
  for (const l of instances) await l.stop();
  await store?.close();
  await drop?.();
});

function instance(leaseMs = 60_000): { leases: Leases; tookOver: string[] } {
  const tookOver: string[] = [];
  const leases = new Leases({ db: store.db, dialect: store.dialect, leaseMs, log: silent, tookOver: (t) => tookOver.push(t) });
  instances.push(leases);
  return { leases, tookOver };
}

async function pendingPayment(lease?: { owner: string; until: string; call: string }): Promise<string> {
  const id = `p${++seq}-${run}`;
  await insertPayment(store.db, {
    id,
    terminalId: T1,
    orderId: `o${seq}-${run}`,
    idempotencyKey: `k${seq}`,
    requestHash: 'h',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: 'alipay',
    amount: { value: 100, currency: 'USD' },
    reference: `ref-${seq}-${run}`,
    codeMasked: null,
    now: new Date().toISOString(),
    lease,
  });
  await store.db
    .updateTable('payments')
    .set({ status: 'pending', next_check_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', id)
    .execute();
  return id;
}

const row = async (id: string): Promise<Payment> => (await getPayment(store.db, id))!;
const query = () => ({ now: new Date().toISOString(), expiredSince: new Date(0).toISOString(), limit: 200 });
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('row leases', () => {
  it('two instances claiming due work at the same moment get disjoint sets that cover it all', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await pendingPayment());
    const a = instance().leases;
    const b = instance().leases;
    const [ca, cb] = await Promise.all([
      claimDuePayments(store.db, store.dialect, a.owner, query(), later(60_000)),
      claimDuePayments(store.db, store.dialect, b.owner, query(), later(60_000)),
    ]);
    const mine = (c: { id: string }[]) => c.map((x) => x.id).filter((id) => ids.has(id));
    const both = mine(ca).filter((id) => mine(cb).includes(id));
    expect(both).toEqual([]);
    expect(new Set([...mine(ca), ...mine(cb)])).toEqual(ids);
    for (const id of ids) expect([a.owner, b.owner]).toContain((await row(id)).lease?.owner);
    // Claimed once, they are not due for anyone else while the lease lives.
    expect(mine(await claimDuePayments(store.db, store.dialect, instance().leases.owner, query(), later(60_000)))).toEqual([]);
  });

  it('a live lease keeps other instances off; once it runs out another takes it, and counts the takeover', async () => {
    const a = instance();
    const b = instance();
    const id = await pendingPayment();
    expect(await a.leases.takeForCheck(await row(id))).toBe('mine');
    expect(await b.leases.takeForCheck(await row(id))).toBe('other');
    expect(b.tookOver).toEqual([]);
    // a dies: nobody renews its lease.
    await store.db
      .updateTable('payments')
      .set({ lease_until: new Date(Date.now() - 1).toISOString() })
      .where('id', '=', id)
      .execute();
    expect(await b.leases.takeForCheck(await row(id))).toBe('mine');
    expect(b.tookOver).toEqual(['payments']);
    expect((await row(id)).lease?.owner).toBe(b.leases.owner);
    expect(await a.leases.takeForCheck(await row(id))).toBe('other');
  });

  it('a charge under way marks the row for every instance: checks wait, notifications can tell', async () => {
    const a = instance();
    const b = instance();
    const id = `p-charge-${run}`;
    seq++;
    await insertPayment(store.db, {
      id,
      terminalId: T1,
      orderId: `oc-${run}`,
      idempotencyKey: 'kc',
      requestHash: 'h',
      mode: 'cpm',
      provider: 'pockyt',
      vendor: 'alipay',
      amount: { value: 100, currency: 'USD' },
      reference: `ref-c-${run}`,
      codeMasked: null,
      now: new Date().toISOString(),
      lease: a.leases.forCharge(id),
    });
    expect(b.leases.callUnderWay(await row(id))).toBe(true);
    expect(await b.leases.takeForCheck(await row(id))).toBe('other');
    expect(await a.leases.takeForCheck(await row(id))).toBe('busy');
    // A cancel cannot go out while the charge is under way, on either instance.
    expect(await b.leases.beginCall(id, 'cancel')).toBe(false);
    a.leases.hold('payments', id, 'check');
    await a.leases.endCharge(id);
    expect(b.leases.callUnderWay(await row(id))).toBe(false);
    expect(await a.leases.takeForCheck(await row(id))).toBe('mine');
  });

  it('the heartbeat keeps held leases alive past their period; stop() lets every one go', async () => {
    const a = instance(300);
    const id = await pendingPayment();
    expect(await a.leases.takeForCheck(await row(id))).toBe('mine');
    a.leases.start({ lateWindowMs: 0, payment: async () => {}, refund: () => {} });
    await new Promise((r) => setTimeout(r, 900));
    expect((await row(id)).lease!.until > new Date().toISOString()).toBe(true);
    expect(await instance().leases.takeForCheck(await row(id))).toBe('other');
    await a.leases.stop();
    expect((await row(id)).lease).toBeNull();
  });
});
