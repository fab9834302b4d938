// A cancel that reached Pockyt just after the customer paid gives the money back, and its answer is lost. Our
// books say `succeeded` (the capture reached them first), and nothing watches a paid payment: the cancel itself
// must be followed up until the books show the reversal — whether the cashier or the reconciler (the
// customer's time was up) sent it, and also by the next proxy on the same database when the one that sent it
// is gone (issue 9, chaos: "books ≠ provider"). The Pockyt simulator runs on its own here: it is "the
// provider" and outlives the proxies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPockytSimulator, type RunningSimulator } from '../../sandbox/pockyt/standalone.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';
import { recheck } from './helpers/staff.ts';

let sim: RunningSimulator;
let simKiosk: Kiosk;
let dir: string;

beforeAll(async () => {
  sim = await startPockytSimulator({ ipnRetryScheduleMs: [] });
  simKiosk = new Kiosk(new URL(sim.baseUrl).origin, '');
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cancel-restart-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A proxy on `db`. `quiet`: its own re-checks wait a second or more, so whatever happens next is the next proxy's doing. */
const proxy = (db: string, env: Record<string, string> = {}, quiet = false): Promise<TestServer> =>
  startServer({
    DATABASE_URL: `sqlite:${join(dir, db)}`,
    POCKYT_BASE_URL: sim.baseUrl,
    POCKYT_MERCHANT_NO: DEMO_CREDENTIALS.merchantNo,
    POCKYT_STORE_NO: DEMO_CREDENTIALS.storeNo,
    POCKYT_TOKEN: DEMO_CREDENTIALS.token,
    POCKYT_TIMEOUT_MS: '5000',
    ...(quiet ? { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' } : {}),
    ...env,
  });

const waitingPayment = async (k: Kiosk) => {
  const code = (await simKiosk.sim('POST', '/control/codes', { vendor: 'alipay' })).body.code as string;
  const p = (await k.pay({ orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code })).body;
  expect(p.status).toBe('pending');
  return p;
};

/** The next cancel is held at Pockyt (until the customer has paid, our books say so and the test lets it go:
 *  `letCancelGo`), then processed — a refund of the capture — and its answer lost. Held for at most 4 s, below
 *  the proxy's 5 s Pockyt timeout. */
async function cancelLandsLateAndIsLost(): Promise<void> {
  await simKiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'delay', phase: 'before', ms: 4000 });
  await simKiosk.sim('POST', '/control/faults', { path: '/app-data-search/v3/cancel', kind: 'drop', phase: 'after' });
}

async function letCancelGo(): Promise<void> {
  expect((await simKiosk.sim('POST', '/control/faults/release')).body).toEqual({ released: 1 });
}

async function untilCancelHeld(): Promise<void> {
  const until = Date.now() + 8000;
  while ((await simKiosk.sim('GET', '/control/faults')).body.some((f: { kind: string }) => f.kind === 'delay')) {
    if (Date.now() > until) throw new Error('the cancel never reached Pockyt');
    await new Promise((res) => setTimeout(res, 10));
  }
}

const changesOf = async (server: TestServer, id: string) =>
  (await listPaymentEvents(server.app.kiosk.db, id)).filter((e) => e.applied && e.from !== e.to).map((e) => `${e.from}>${e.to}`);

it('the reconciler cancels as the customer’s time runs out, the customer pays at that moment, the answer is lost: the books end reversed', async () => {
  const server = await proxy('cancel-reconciler.db', { POCKYT_CONFIRM_WINDOW_MS: '1500' });
  try {
    const k = new Kiosk(server.baseUrl, server.token);
    await cancelLandsLateAndIsLost();
    const p = await waitingPayment(k);
    await untilCancelHeld();
    expect((await simKiosk.sim('POST', `/control/transactions/${p.providerRef}/approve`)).status).toBe(200);
    expect((await recheck(k, p.id)).body.status).toBe('succeeded');
    await letCancelGo();
    const done = await k.waitFor(p.id, (x) => x.status === 'reversed', 8000);
    expect(done.needsAttention).toBe(false);
    expect(await changesOf(server, p.id)).toEqual(['null>created', 'created>pending', 'pending>succeeded', 'succeeded>reversed']);
    expect((await simKiosk.sim('GET', `/control/transactions/${p.providerRef}`)).body).toMatchObject({
      status: 'success',
      refundAmount: '10.00',
    });
  } finally {
    await server.close();
  }
});

it('the cancel reversed the capture, its answer was lost, the proxy is gone: the next proxy finds the reversal', async () => {
  const db = 'cancel-1.db';
  const first = await proxy(db, {}, true);
  const k1 = new Kiosk(first.baseUrl, first.token);
  let paymentId: string;
  let providerRef: string;
  try {
    const p = await waitingPayment(k1);
    paymentId = p.id;
    providerRef = p.providerRef!;
    await cancelLandsLateAndIsLost();
    const cancelling = k1.cancel(p.id);
    await untilCancelHeld();
    expect((await simKiosk.sim('POST', `/control/transactions/${providerRef}/approve`)).status).toBe(200);
    expect((await recheck(k1, p.id)).body.status).toBe('succeeded');
    // This proxy's own re-check of the cancel (about a second after its 202) must not find the reversal before
    // it is gone, however slow the machine: every query it makes from here on fails.
    await simKiosk.sim('POST', '/control/faults', {
      path: '/app-data-search/v3/tran-query',
      kind: 'http500',
      phase: 'before',
      times: 1000,
    });
    await letCancelGo();
    expect((await cancelling).status).toBe(202);
  } finally {
    await first.close();
    await simKiosk.sim('DELETE', '/control/faults');
  }
  expect((await simKiosk.sim('GET', `/control/transactions/${providerRef}`)).body).toMatchObject({
    status: 'success',
    refundAmount: '10.00',
  });
  // What the next proxy inherits: paid in our books, the money back at Pockyt.
  const file = new SQLite(join(dir, db), { readonly: true });
  expect(file.prepare('select status from payments where id = ?').get(paymentId)).toEqual({ status: 'succeeded' });
  file.close();

  const second = await proxy(db);
  try {
    const k2 = new Kiosk(second.baseUrl, first.token);
    const done = await k2.waitFor(paymentId, (x) => x.status === 'reversed', 8000);
    expect(done.needsAttention).toBe(false);
    expect(await changesOf(second, paymentId)).toEqual(['null>created', 'created>pending', 'pending>succeeded', 'succeeded>reversed']);
    expect((await simKiosk.sim('GET', `/control/transactions/${providerRef}`)).body.refunds).toHaveLength(1);
  } finally {
    await second.close();
  }
});
