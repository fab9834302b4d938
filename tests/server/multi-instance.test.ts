// Three proxy instances on one Postgres database (issue 10), as real processes, with one Pockyt simulator in
// the test process behind a recording forwarder per instance: each payment has exactly one worker at a time
// (its row lease), a `kill -9` of the instance working a payment — one of them mid-charge — hands its work
// to another within one lease period, and the same Idempotency-Key sent to two instances at once makes one
// payment and one provider charge. Postgres only (TEST_DATABASE_URL): SQLite is one process by design.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/shared/api.ts';
import { control, ledgerOf, providerEnv, startSims, untilFaultTaken, type RunningSims } from '../../bench/lib/sims.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { freshPostgres } from './helpers/app.ts';
import { alipayTestCode, Kiosk } from './helpers/kiosk.ts';
import { counter, requestsFor, startInstance, type Instance } from './helpers/multi.ts';

const pgAdmin = process.env.TEST_DATABASE_URL;
const LEASE_MS = 1500;
const QUERY = '/app-data-search/v3/tran-query';
const ADD = '/app-instore/v3/add';
const PREPAY = '/app-instore/v3/prepay';

describe.runIf(pgAdmin)('three proxies on one Postgres', () => {
  let sims: RunningSims;
  let drop: () => Promise<void>;
  let ctl: string;
  const instances: Instance[] = [];
  let token = '';
  let terminalId = '';
  let env: Record<string, string> = {};
  let providerUrl = '';

  beforeAll(async () => {
    const db = await freshPostgres(pgAdmin!);
    drop = () => db.drop();
    sims = await startSims(['pockyt'], 'http://127.0.0.1:9', {
      pendingMs: 300,
      notifyScheduleMs: [0],
      centrapaySecondMs: 1000,
      centrapayRateLimit: 10_000,
      paybyRefundCompleteMs: 200,
    });
    const pockyt = sims.endpoints.pockyt!;
    ctl = pockyt.control;
    providerUrl = pockyt.baseUrl;
    env = {
      ...providerEnv(sims.endpoints),
      DATABASE_URL: db.url,
      STORE_ID: 'demo-us',
      LOG_LEVEL: process.env.MULTI_LOG_LEVEL ?? 'silent',
      DIST_DIR: join(tmpdir(), 'kiosk-no-dist'),
      NODE_ENV: 'test',
      LEASE_MS: String(LEASE_MS),
      POLL_INITIAL_MS: '200',
      POLL_MAX_MS: '400',
      POLL_IDLE_MS: '400',
      RECONCILE_NOT_FOUND_GRACE_MS: '3000',
      POCKYT_CONFIRM_WINDOW_MS: '120000',
      POCKYT_TIMEOUT_MS: '3000',
      POCKYT_PREPAY_TIMEOUT_MS: '3000',
      BENCH_TERMINALS: '1',
    };
    // Started together: their migrations run at the same moment on the fresh database (one runs, under a lock).
    instances.push(...(await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env, 'POCKYT_BASE_URL', pockyt.baseUrl)))));
    const res = await fetch(`${instances[0].baseUrl}/api/terminals/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: instances[0].proxy.info.pairingCodes[0] }),
    });
    ({ token, terminalId } = (await res.json()) as { token: string; terminalId: string });
  }, 60_000);

  afterAll(async () => {
    for (const i of instances) {
      await i.proxy.stop().catch(() => {});
      await i.forwarder.close();
    }
    await sims?.close();
    await drop?.();
  });

  const kiosk = (i: Instance) => new Kiosk(i.baseUrl, token);
  const body = (code: string) => ({ orderId: `multi-${randomUUID()}`, amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code });
  /** A customer who has not confirmed yet: the payment stays pending until the test approves it. */
  const waiting = () => body(alipayTestCode('0009'));

  async function pending(on: Instance, n: number): Promise<PaymentView[]> {
    const out: PaymentView[] = [];
    for (let k = 0; k < n; k++) {
      const r = await kiosk(on).pay(waiting());
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.status).toBe('pending');
      out.push(r.body);
    }
    return out;
  }

  it('one worker per payment: each open payment is queried by one instance only, also by one that starts later', async () => {
    const payments = await pending(instances[0], 6);
    // An instance (re)started while they are open finds them held and leaves them (it used to scan and poll
    // every open payment at boot).
    await instances[2].proxy.stop();
    await instances[2].forwarder.close();
    instances[2] = await startInstance('c2', env, 'POCKYT_BASE_URL', providerUrl);
    const since = Date.now();
    const windowMs = 3000;
    await new Promise((r) => setTimeout(r, windowMs));
    for (const p of payments) {
      const by = requestsFor(instances, QUERY, [p.providerRef!], since);
      expect(Object.keys(by), `payment ${p.id} was queried by ${JSON.stringify(by)}`).toHaveLength(1);
      // One poller at POLL_INITIAL_MS..POLL_MAX_MS: at most one query per 200 ms (three would be ~3x that).
      expect(Object.values(by)[0]).toBeLessThanOrEqual(windowMs / 200 + 1);
    }
    for (const p of payments) await control(ctl, 'POST', `/transactions/${p.providerRef}/decline`);
  });

  it('kill -9 of the instance working payments (one of them mid-charge): another finishes them within one lease period', async () => {
    const victim = instances[0];
    const payments = await pending(victim, 4);
    // The next charge is held at the provider's door and paid there only after we died; its notification
    // goes to the dead instance (its PUBLIC_URL), so another instance has to find the outcome by itself.
    await control(ctl, 'POST', '/faults', { path: PREPAY, kind: 'delay', phase: 'before', ms: 1500, times: 1 });
    const key = randomUUID();
    const midCharge = body(alipayTestCode('0001'));
    void kiosk(victim)
      .pay(midCharge, key)
      .catch(() => {});
    // Killed once the prepay is held, not after a fixed wait: on a busy machine `add` can take longer than
    // that, and a kill before the prepay leaves Pockyt's transaction in `init`, a customer still to confirm.
    await untilFaultTaken(ctl, PREPAY);
    process.kill(victim.proxy.pid, 'SIGKILL');
    expect((await victim.proxy.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    const orphan = await kiosk(instances[1]).pay(midCharge, key);
    expect(orphan.body.status, 'the charge was under way when its instance died').toBe('created');
    for (const p of payments) await control(ctl, 'POST', `/transactions/${p.providerRef}/approve`);

    const survivor = kiosk(instances[1]);
    // Sweep every third of a lease, poll at most every 400 ms: one lease period plus a little.
    const budget = LEASE_MS + LEASE_MS / 3 + 400 + 1500;
    for (const p of payments)
      expect((await survivor.waitFor(p.id, (v) => v.status === 'succeeded', budget + 3000)).status).toBe('succeeded');
    const charged = await survivor.pay(midCharge, key);
    expect(charged.status).toBe(200);
    const settled = await survivor.waitFor(charged.body.id, (v) => v.status === 'succeeded', budget + 3000);
    const took = Date.now() - killedAt;
    expect(settled.status).toBe('succeeded');
    expect(took, `settled ${took} ms after the kill`).toBeLessThan(budget + 1000);
    // One charge at the provider for the attempt that was in flight.
    const ledger = (await ledgerOf(ctl)).filter((e) => e.reference === providerReference(terminalId, key));
    expect(ledger).toHaveLength(1);
    // The survivors counted taking over the dead instance's leases.
    const takeovers =
      (await counter(instances[1].baseUrl, 'kiosk_claim_takeovers_total')) +
      (await counter(instances[2].baseUrl, 'kiosk_claim_takeovers_total'));
    expect(takeovers).toBeGreaterThanOrEqual(payments.length + 1);
  });

  it('the same Idempotency-Key sent to two instances at once: one payment, one provider charge', async () => {
    const key = randomUUID();
    const req = body(alipayTestCode('0001'));
    const since = Date.now();
    const [x, y] = await Promise.all([kiosk(instances[1]).pay(req, key), kiosk(instances[2]).pay(req, key)]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.body.id).toBe(y.body.id);
    // Pockyt charges a customer's code in two calls: `add` (our reference) creates the transaction, `prepay`
    // (its transactionNo) charges it. Each went out once, from one instance.
    const sum = (by: Record<string, number>) => Object.values(by).reduce((a, b) => a + b, 0);
    expect(sum(requestsFor(instances, ADD, [providerReference(terminalId, key)], since))).toBe(1);
    const settled = await kiosk(instances[1]).waitFor(x.body.id, (v) => v.providerRef !== null);
    expect(sum(requestsFor(instances, PREPAY, [settled.providerRef!], since))).toBe(1);
    expect((await ledgerOf(ctl)).filter((e) => e.reference === providerReference(terminalId, key))).toHaveLength(1);
  });
});
