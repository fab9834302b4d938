// Letting a held call go (POST /control/faults/release, every simulator): the call goes on at once and still
// meets the faults armed for it — unlike DELETE /control/faults, which also disarms them. Race tests rely on
// this to hold an action exactly as long as their race needs and still lose its answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';

const PREPAY = '/app-instore/v3/prepay';
const faults = '/sim/pockyt/control/faults';
let server: TestServer;
let k: Kiosk;

beforeAll(async () => {
  server = await startServer({ POCKYT_TIMEOUT_MS: '20000' });
  k = new Kiosk(server.baseUrl, server.token);
});
afterAll(() => server?.close());

const arm = async (fault: Record<string, unknown>) =>
  expect((await k.request('POST', faults, { body: { path: PREPAY, ...fault }, auth: false })).status).toBe(200);
const armed = async () => (await k.request('GET', faults, { auth: false })).body as { kind: string }[];

async function untilHeld(): Promise<void> {
  const until = Date.now() + 5000;
  while ((await armed()).some((f) => f.kind === 'delay')) {
    if (Date.now() > until) throw new Error('the charge never reached the simulator');
    await new Promise((res) => setTimeout(res, 10));
  }
}

describe('POST /control/faults/release', () => {
  it('lets a held charge go at once, and its armed lost answer still happens', async () => {
    await arm({ kind: 'delay', phase: 'before', ms: 15_000 });
    await arm({ kind: 'drop', phase: 'after' });
    // Pockyt also sends an IPN for the capture; on a loaded machine it can land before the proxy has seen its
    // lost answer, and then the proxy rightly answers 'succeeded'. Its first delivery is lost here (the next
    // is 15 s later), so the answer shows what the lost answer alone leaves: 'unknown'.
    expect((await k.request('POST', '/sim/pockyt/control/notification-faults', { body: { kind: 'drop' }, auth: false })).status).toBe(200);
    const started = Date.now();
    const paying = k.pay({ orderId: order(), amount: { value: 700, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
    await untilHeld();
    const r = await k.request('POST', `${faults}/release`, { auth: false });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ released: 1 });
    const answer = await paying;
    expect(Date.now() - started, 'answered long before the 15 s hold ended').toBeLessThan(10_000);
    // Charged at Pockyt, answer dropped: the proxy cannot know yet.
    expect(answer.body.status).toBe('unknown');
    expect(await armed()).toEqual([]);
  });

  it('with nothing held, releases nothing and leaves armed faults armed', async () => {
    await arm({ kind: 'http500', phase: 'before' });
    expect((await k.request('POST', `${faults}/release`, { auth: false })).body).toEqual({ released: 0 });
    expect((await armed()).map((f) => f.kind)).toEqual(['http500']);
    expect((await k.request('DELETE', faults, { auth: false })).body).toEqual({ cleared: true });
    expect(await armed()).toEqual([]);
  });
});
