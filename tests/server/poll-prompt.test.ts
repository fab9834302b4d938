// A kiosk polling an open payment (its event stream is down) is a kiosk waiting at the till (issue 9): its
// read asks the provider at once instead of a fast-cadence step later, so with notifications off the verdict
// still reaches it within the 1 s budget — and a kiosk reading too often costs at most one provider query per
// PROMPT_GAP_MS. Real app, real Pockyt simulator, notifications off.
import { afterEach, describe, expect, it } from 'vitest';
import { PROMPT_GAP_MS } from '../../server/payments/poller.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';

const QUERY = '/app-data-search/v3/tran-query';
// The reconciler's own cadence is 5 s here: anything the kiosk learns sooner came from its read.
const SLOW_POLLER = { ...NO_IPN, POLL_INITIAL_MS: '5000', POLL_MAX_MS: '5000', POCKYT_CONFIRM_WINDOW_MS: '600000' };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function waitingPayment() {
  const s = await startServer(SLOW_POLLER);
  servers.push(s);
  const k = new Kiosk(s.baseUrl, s.token);
  const code = (await k.sim('POST', '/control/codes', { vendor: 'alipay' })).body.code as string;
  const p = (await k.pay({ orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code })).body;
  expect(p.status).toBe('pending');
  return { s, k, p };
}

const queries = (s: TestServer, from: number) => s.simLog.filter((c) => c.path === QUERY && c.at >= from).length;

describe("a kiosk's read of an open payment asks the provider", () => {
  it('the first read after the customer approves already says paid', async () => {
    const { k, p } = await waitingPayment();
    expect((await k.sim('POST', `/control/transactions/${p.providerRef}/approve`)).status).toBe(200);
    const approved = Date.now();
    const read = await k.request('GET', `/api/payments/${p.id}?fresh=1`);
    expect(read.body.status).toBe('succeeded');
    expect(Date.now() - approved).toBeLessThan(1000);
  });

  it('reads more often than PROMPT_GAP_MS cost no more queries than one per gap', async () => {
    const { s, k, p } = await waitingPayment();
    const from = Date.now();
    while (Date.now() - from < 2000) {
      expect((await k.request('GET', `/api/payments/${p.id}?fresh=1`)).body.status).toBe('pending');
      await new Promise((r) => setTimeout(r, 50));
    }
    const asked = queries(s, from);
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(asked).toBeLessThanOrEqual(Math.ceil(2000 / PROMPT_GAP_MS) + 1);
  });
});
