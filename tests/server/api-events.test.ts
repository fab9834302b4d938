// SSE: GET /api/events pushes this terminal's payment changes, resumes with Last-Event-ID, and keeps the
// connection alive with heartbeats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { SseReader } from './helpers/sse.ts';

let server: TestServer;
let kiosk: Kiosk;

beforeAll(async () => {
  server = await startServer();
  kiosk = new Kiosk(server.baseUrl, server.token);
});
afterAll(async () => server?.close());

const usd = (value: number) => ({ value, currency: 'USD' });

describe('GET /api/events', () => {
  it('refuses a stream without a valid token', async () => {
    const sse = new SseReader();
    await sse.open(`${server.baseUrl}/api/events`, 'not-a-real-token-at-all');
    expect(sse.status).toBe(401);
  });

  it('pushes pending → succeeded (0002) to this terminal only, with heartbeats', async () => {
    const mine = new SseReader();
    await mine.open(`${server.baseUrl}/api/events`, server.token);
    expect(mine.status).toBe(200);
    const other = await pair(server.baseUrl, (await server.app.kiosk.createPairingCode()).code);
    const theirs = new SseReader();
    await theirs.open(`${server.baseUrl}/api/events`, other.token);
    try {
      const r = await kiosk.pay({ orderId: order(), amount: usd(650), mode: 'cpm', code: alipayTestCode('0002') });
      expect(r.body.status).toBe('pending');
      await mine.waitFor(() => mine.updates().some((u) => u.payment.id === r.body.id && u.payment.status === 'succeeded'));
      const statuses = mine
        .updates()
        .filter((u) => u.payment.id === r.body.id)
        .map((u) => u.payment.status);
      expect(statuses).toEqual(['created', 'pending', 'succeeded']);
      const ids = mine.updates().map((u) => u.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      await mine.waitFor((frames) => frames.some((f) => f.comment === 'ping'));
      expect(theirs.updates()).toEqual([]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('resumes after Last-Event-ID with the current state of what changed since', async () => {
    const first = new SseReader();
    await first.open(`${server.baseUrl}/api/events`, server.token);
    const a = await kiosk.pay({ orderId: order(), amount: usd(111), mode: 'cpm', code: alipayTestCode('0001') });
    await first.waitFor(() => first.updates().some((u) => u.payment.id === a.body.id && u.payment.status === 'succeeded'));
    const lastSeen = first.updates().at(-1)!.id;
    await first.close();

    // While disconnected: one payment succeeds at once, another is cancelled after going pending.
    const b = await kiosk.pay({ orderId: order(), amount: usd(222), mode: 'cpm', code: alipayTestCode('0001') });
    const c = await kiosk.pay({ orderId: order(), amount: usd(333), mode: 'cpm', code: await kiosk.walletCode() });
    await kiosk.cancel(c.body.id);

    const resumed = new SseReader();
    await resumed.open(`${server.baseUrl}/api/events`, server.token, String(lastSeen));
    try {
      await resumed.waitFor(() => resumed.updates().length >= 2);
      const got = resumed.updates();
      expect(got.map((u) => [u.payment.id, u.payment.status])).toEqual([
        [b.body.id, 'succeeded'],
        [c.body.id, 'cancelled'],
      ]);
      expect(got.every((u) => u.id > lastSeen)).toBe(true);
      expect(got.some((u) => u.payment.id === a.body.id)).toBe(false);
      // Live events continue on the resumed stream.
      const d = await kiosk.pay({ orderId: order(), amount: usd(444), mode: 'cpm', code: alipayTestCode('0001') });
      await resumed.waitFor(() => resumed.updates().some((u) => u.payment.id === d.body.id && u.payment.status === 'succeeded'));
    } finally {
      await resumed.close();
    }
  });

  it('drops the subscription when the client disconnects', async () => {
    const sse = new SseReader();
    await sse.open(`${server.baseUrl}/api/events`, server.token);
    const terminalId = server.terminalId;
    expect(server.app.kiosk.bus.listenerCount(terminalId)).toBeGreaterThan(0);
    await sse.close();
    const until = Date.now() + 2000;
    while (server.app.kiosk.bus.listenerCount(terminalId) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(server.app.kiosk.bus.listenerCount(terminalId)).toBe(0);
  });
});
