// The PayBy simulator's flows over raw HTTP: DYNQR tokens, expiry on the simulator clock, notifications (signed,
// retried, duplicated) and the control routes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBody } from '../../server/providers/payby/signing.ts';
import { rawPayByCall } from '../../sandbox/payby/client.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';

let sim: RunningPayBySimulator;
let seq = 0;
const ref = () => `SIM-${Date.now()}-${++seq}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;

const order = (extra: Record<string, unknown> = {}) => ({
  merchantOrderNo: ref(),
  subject: 'Test',
  totalAmount: { currency: 'AED', amount: 12.34 },
  paySceneCode: 'QRPAY',
  paySceneParams: { authCode: 'OK0000000001' },
  ...extra,
});
async function control(path: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${sim.simUrl}/control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  sim = await startPayBySimulator({});
});
afterAll(() => sim.close());

describe('PayBy simulator: DYNQR tokens and expiry on the simulator clock', () => {
  let clockSim: RunningPayBySimulator;
  beforeAll(async () => {
    clockSim = await startPayBySimulator({ tokenTtlMs: 10 * MIN });
  });
  afterAll(() => clockSim.close());
  const cc = (path: string, biz: Record<string, unknown>) =>
    rawPayByCall(clockSim.baseUrl, path, biz, {
      partnerId: clockSim.partnerId,
      privateKey: clockSim.merchantPrivateKeyPem,
      platformPublicKey: clockSim.platformPublicKeyPem,
    });
  const ctl = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${clockSim.simUrl}/control${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json() };
  };

  it('tokenUrl only while CREATED; a declined attempt keeps the order open unless oneTimePayment', async () => {
    const biz = order({ paySceneCode: 'DYNQR', paySceneParams: undefined, expiredTime: Date.now() + 5 * MIN });
    const r = await cc('/acquire2/placeOrder', biz);
    const tokenUrl = r.json.body?.interActionParams?.tokenUrl as string;
    expect(tokenUrl).toMatch(/\/sim\/payby\/pay\//);
    expect((await cc('/acquire2/getOrder', { merchantOrderNo: biz.merchantOrderNo })).json.body?.interActionParams).toBeUndefined();
    expect((await ctl(`/orders/${biz.merchantOrderNo}/decline`, 'POST')).json).toMatchObject({ status: 'CREATED', declinedAttempts: 1 });
    expect((await ctl(`/orders/${biz.merchantOrderNo}/approve`, 'POST')).status).toBe(409);
    expect((await ctl(`/orders/${biz.merchantOrderNo}/pay`, 'POST')).json.status).toBe('PAID_SUCCESS');
    expect((await cc('/acquire2/placeOrder', biz)).json.body?.interActionParams).toBeUndefined();

    const once = order({ paySceneCode: 'DYNQR', paySceneParams: { oneTimePayment: 'true' } });
    await cc('/acquire2/placeOrder', once);
    expect((await ctl(`/orders/${once.merchantOrderNo}/decline`, 'POST')).json).toMatchObject({
      status: 'FAILURE',
      failCode: 'PAYER_DECLINED',
    });
  });

  it('moving the clock expires unpaid orders (FAILURE 504 SERVICE_TIMEOUT), wallet codes and tokens', async () => {
    const dyn = order({ paySceneCode: 'DYNQR', paySceneParams: undefined, expiredTime: Date.now() + 2 * MIN });
    const r = await cc('/acquire2/placeOrder', dyn);
    const token = String(r.json.body?.interActionParams?.tokenUrl).split('/').pop();
    const { json: code } = await ctl('/codes', 'POST', {});
    const longLived = order({ paySceneCode: 'DYNQR', paySceneParams: undefined, expiredTime: Date.now() + 40 * MIN });
    await cc('/acquire2/placeOrder', longLived);
    expect(
      (await cc('/acquire2/updateExpiredTime', { merchantOrderNo: longLived.merchantOrderNo, expiredTime: Date.now() - 1 })).json.head
        ?.code,
    ).toBe('62089');

    expect((await ctl('/clock', 'POST', { advanceMs: 2 * MIN + 1000 })).json.offsetMs).toBe(2 * MIN + 1000);
    expect((await cc('/acquire2/getOrder', { merchantOrderNo: dyn.merchantOrderNo })).json.body?.acquireOrder).toMatchObject({
      status: 'FAILURE',
      failCode: '504',
      failDes: 'SERVICE_TIMEOUT',
    });
    const late = await cc('/acquire2/placeOrder', order({ paySceneParams: { authCode: code.code } }));
    expect(late.json.body?.acquireOrder).toMatchObject({ status: 'FAILURE', failDes: 'AUTHCODE_EXPIRED' });
    expect((await ctl(`/codes/${code.code}`)).json.state).toBe('expired');
    expect((await cc('/acquire2/getOrder', { merchantOrderNo: longLived.merchantOrderNo })).json.body?.acquireOrder.status).toBe('CREATED');
    await ctl('/clock', 'POST', { advanceMs: 9 * MIN });
    expect((await ctl(`/tokens/${token}`)).status).toBe(410);
    expect((await ctl('/clock', 'POST', { advanceMs: -1 })).status).toBe(400);
  });
});

describe('PayBy simulator: notifications', () => {
  let notifySim: RunningPayBySimulator;
  let receiver: Server;
  let url: string;
  const hits: { sign?: string; body: string }[] = [];
  let failFirst = 0;

  beforeAll(async () => {
    notifySim = await startPayBySimulator({ notifyRetryScheduleMs: [0, 60, 60], refundCompleteMs: 30 });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push({ sign: req.headers.sign as string | undefined, body });
        if (failFirst-- > 0) res.writeHead(500).end('busy');
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    await notifySim.close();
    await new Promise((r) => receiver.close(r));
  });
  const waitFor = async (n: number) => {
    for (let i = 0; i < 100 && hits.length < n; i++) await sleep(20);
  };

  it('signed with the platform key, retried with the same notify_id until acknowledged; duplicates on demand', async () => {
    failFirst = 1;
    const biz = order({ notifyUrl: url });
    await rawPayByCall(notifySim.baseUrl, '/acquire2/placeOrder', biz, {
      partnerId: notifySim.partnerId,
      privateKey: notifySim.merchantPrivateKeyPem,
    });
    await waitFor(2);
    expect(hits).toHaveLength(2);
    for (const h of hits) expect(verifyBody(h.body, h.sign, notifySim.platformPublicKeyPem)).toBe(true);
    expect(hits[1].body).toBe(hits[0].body);
    const parsed = JSON.parse(hits[0].body);
    expect(Object.keys(parsed)).toEqual(['notify_timestamp', 'notify_id', 'acquireOrder']);
    expect(parsed).toMatchObject({
      notify_id: expect.stringMatching(/^\d{18}$/),
      acquireOrder: { merchantOrderNo: biz.merchantOrderNo, status: 'PAID_SUCCESS' },
    });
    // The receiver records a delivery before it answers; the simulator marks it delivered once the answer arrives.
    await expect
      .poll(async () => (await (await fetch(`${notifySim.simUrl}/control/orders/${biz.merchantOrderNo}`)).json()).notifications, {
        timeout: 5000,
      })
      .toEqual([expect.objectContaining({ notifyId: parsed.notify_id, attempts: 2, delivered: true })]);

    await fetch(`${notifySim.simUrl}/control/orders/${biz.merchantOrderNo}/notify`, { method: 'POST' });
    await waitFor(3);
    expect(JSON.parse(hits[2].body).notify_id).toBe(parsed.notify_id);
  });

  it('refunds notify too once they reach SUCCESS', async () => {
    hits.length = 0;
    const biz = order();
    const keys = { partnerId: notifySim.partnerId, privateKey: notifySim.merchantPrivateKeyPem };
    await rawPayByCall(notifySim.baseUrl, '/acquire2/placeOrder', biz, keys);
    await rawPayByCall(
      notifySim.baseUrl,
      '/acquire2/refund/placeOrder',
      {
        refundMerchantOrderNo: ref(),
        originMerchantOrderNo: biz.merchantOrderNo,
        amount: { currency: 'AED', amount: 5 },
        notifyUrl: url,
      },
      keys,
    );
    await waitFor(1);
    expect(JSON.parse(hits[0].body).refundOrder).toMatchObject({
      status: 'SUCCESS',
      amount: { amount: 5 },
      originMerchantOrderNo: biz.merchantOrderNo,
    });
    expect(verifyBody(hits[0].body, hits[0].sign, notifySim.platformPublicKeyPem)).toBe(true);
  });
});

describe('PayBy simulator: control routes', () => {
  it('codes, platform key, fault validation', async () => {
    const { json } = await control('/codes', 'POST', {});
    expect(json).toEqual({ code: expect.stringMatching(/^2000\d{4}T\d{9}F$/), vendor: 'payby', expiresAt: expect.any(String) });
    expect((await control(`/codes/${json.code}`)).json).toMatchObject({ state: 'issued' });
    expect((await control('/codes/NOPE')).status).toBe(404);
    expect(await (await fetch(`${sim.simUrl}/control/platform-key`)).text()).toBe(sim.platformPublicKeyPem);
    expect((await control('/faults', 'POST', { path: '/acquire2/placeOrder', kind: 'tamper', phase: 'before' })).status).toBe(400);
    expect((await control('/faults', 'POST', { path: '/acquire2/placeOrder', kind: 'code' })).status).toBe(400);
    expect((await control('/faults', 'POST', { path: '/other', kind: 'http500' })).status).toBe(400);
    expect((await control('/orders/none')).status).toBe(404);
  });
});
