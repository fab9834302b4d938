// A cashier's cancel and a query already on its way (issue 9: races end in the provider's truth). Our own cancel
// closes the payment at Pockyt, and a query that reads it after that hears `closed` — which on its own means
// "the customer never paid in time" (`expired`). While the cancel's answer is still on its way, that query must
// not record `expired`: the payment was cancelled, and the cashier is told so.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listPaymentEvents } from '../../server/store/events.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';

const QUERY = '/app-data-search/v3/tran-query';
const CANCEL = '/app-data-search/v3/cancel';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestServer;
let kiosk: Kiosk;
beforeAll(async () => {
  // The customer never approves: on a busy machine the simulator's default approval delay can pass before the
  // cancel, and the cancel then rightly reverses a paid payment (seen once in the soak).
  server = await startServer({ ...NO_IPN, SIM_POCKYT_PENDING_MS: '600000', POCKYT_CONFIRM_WINDOW_MS: '600000' });
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const queries = () => server.simCalls.filter((c) => c.includes(QUERY)).length;

it('a query that hears "closed" while our cancel is out leaves the outcome to the cancel: cancelled, not expired', async () => {
  const r = await kiosk.pay({ orderId: order(), amount: { value: 1999, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0002') });
  expect(r.body.status).toBe('pending');
  // The next query waits 0.7 s before Pockyt reads the payment; the cancel closes it at once, and its answer
  // takes 1.5 s to come back (within the proxy's timeout).
  for (const fault of [
    { path: QUERY, kind: 'delay', phase: 'before', ms: 700 },
    { path: CANCEL, kind: 'delay', phase: 'after', ms: 1500 },
  ]) {
    expect((await kiosk.sim('POST', '/control/faults', fault)).status).toBe(200);
  }
  const before = queries();
  const until = Date.now() + 5000;
  while (queries() === before && Date.now() < until) {
    void kiosk.get(r.body.id); // a kiosk read asks Pockyt (as does the reconciler, on its own cadence)
    await sleep(50);
  }
  expect(queries()).toBeGreaterThan(before);

  const c = await kiosk.cancel(r.body.id);
  expect(c.status, JSON.stringify(c.body)).toBe(200);
  expect(c.body.status).toBe('cancelled');
  const txn = await kiosk.sim('GET', `/control/transactions/${r.body.providerRef}`);
  expect(txn.body.status).toBe('closed');
  await sleep(500);
  const after = await kiosk.get(r.body.id);
  expect(after.body.status).toBe('cancelled');
  const statuses = (await listPaymentEvents(server.app.kiosk.db, r.body.id)).filter((e) => e.applied).map((e) => e.to);
  expect(statuses).toEqual(['created', 'pending', 'cancelled']);
});
