// The proxy's log never holds a customer's payment code (issue 9): the real proxy runs as its own process at
// LOG_LEVEL=trace with its output captured, and is made to log as much as it can around codes — charges
// with each provider (paid, declined, refused by the provider, invalid), notifications, a refund, a replay,
// a malformed request, and (demo mode) the wallet page's look-ups of its codes by URL. The full codes must
// not appear in anything it wrote.
import { fork, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib/sims.ts';
import type { ProxyChildInfo } from '../../bench/lib/proxy-child.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { FAST_ENV, pair } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST, PAYBY_FAST } from './helpers/providers.ts';
import { refund, waitForRefund } from './helpers/staff.ts';

let child: ChildProcess;
let output = '';
let info: ProxyChildInfo;

beforeAll(async () => {
  const port = await freePort();
  const entry = fileURLToPath(new URL('../../bench/lib/proxy-child.ts', import.meta.url));
  child = fork(entry, [], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: {
      ...process.env,
      ...FAST_ENV,
      ...CENTRAPAY_FAST,
      ...PAYBY_FAST,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'trace',
      BENCH_PAIR_STORES: 'demo-us,demo-nz,demo-ae',
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString('utf8');
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString('utf8');
  });
  info = await new Promise<ProxyChildInfo>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`proxy not ready; output so far:\n${output.slice(-2000)}`)), 30_000);
    child.on('message', (m: any) => {
      if (m && 'ready' in m) {
        clearTimeout(t);
        resolve(m.ready);
      }
      if (m && 'error' in m) {
        clearTimeout(t);
        reject(new Error(m.error));
      }
    });
  });
}, 40_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ stop: true });
  const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
});

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

const kiosks = new Map<string, Kiosk>();
async function kioskFor(store: string): Promise<Kiosk> {
  if (!kiosks.has(store)) kiosks.set(store, new Kiosk(info.baseUrl, (await pair(info.baseUrl, info.pairingByStore[store])).token));
  return kiosks.get(store)!;
}

async function settled(k: Kiosk, id: string): Promise<string> {
  return (await k.waitFor(id, (p) => !['created', 'pending', 'unknown'].includes(p.status), 6000)).status;
}

describe('the log', () => {
  it('holds no payment code, whatever happened to the payment', async () => {
    const codes: string[] = [];
    const cases: { store: string; currency: string; code: string }[] = [
      { store: 'demo-us', currency: 'USD', code: alipayTestCode('0001') }, // paid at once
      { store: 'demo-us', currency: 'USD', code: alipayTestCode('0004') }, // wallet network error, then failed
      { store: 'demo-nz', currency: 'NZD', code: testPatronCode('0001', `999000${digits(5)}`) }, // Quick Pay
      { store: 'demo-nz', currency: 'NZD', code: testPatronCode('0004', `999000${digits(5)}`) }, // 403 PATRON_CODE_INVALID
      { store: 'demo-ae', currency: 'AED', code: `OK${digits(14)}` }, // paid in the placeOrder answer
      { store: 'demo-ae', currency: 'AED', code: `REJ${digits(13)}` }, // risk rejection
    ];
    const paid: { k: Kiosk; id: string; currency: string }[] = [];
    for (const c of cases) {
      const k = await kioskFor(c.store);
      codes.push(c.code);
      const key = randomUUID();
      const body = { orderId: order(), amount: { value: 1500, currency: c.currency }, mode: 'cpm', code: c.code };
      const r = await k.pay(body, key);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      if ((await settled(k, r.body.id)) === 'succeeded') paid.push({ k, id: r.body.id, currency: c.currency });
      // The same attempt again (a replay), then a malformed one carrying the code.
      expect((await k.pay(body, key)).status).toBe(200);
      expect((await k.pay({ ...body, amount: { value: -1, currency: c.currency } })).status).toBe(400);
    }
    expect(paid).toHaveLength(3);
    for (const p of paid) {
      const back = await refund(p.k, p.id, 500, p.currency);
      expect(back.status).toBe(201);
      await waitForRefund(p.k, p.id, back.body.refund.id);
    }
    // The demo wallet page asks the sandbox about the codes it issued, by URL.
    for (const [provider, body] of [
      ['pockyt', { vendor: 'alipay' }],
      ['centrapay', {}],
      ['payby', {}],
    ] as const) {
      const k = await kioskFor('demo-us');
      const issued = await k.request('POST', `/sim/${provider}/control/codes`, { body, auth: false });
      expect(issued.status).toBe(200);
      codes.push(issued.body.code);
      expect(
        (await k.request('GET', `/sim/${provider}/control/codes/${encodeURIComponent(issued.body.code)}`, { auth: false })).status,
      ).toBe(200);
    }
    // Let the notifications of the last payments arrive and be logged.
    await new Promise((r) => setTimeout(r, 1000));

    expect(output).toContain('/api/payments');
    expect(output).toMatch(/webhooks\/(pockyt|centrapay|payby)/);
    for (const code of codes) expect(output.includes(code), `the log holds ${code}`).toBe(false);
  }, 60_000);
});
