// POST /webhooks/centrapay against the Centrapay simulator's own signed notifications (ES256 JWT, JWKS),
// plus tokens we sign with the simulator's pinned key: genuine ones apply (after a confirming query),
// retries/replays are de-duplicated, and forged, tampered, expired, mis-addressed or unknown ones change
// nothing. A rotated key is picked up by refreshing the JWKS on an unknown kid, within a rate limit.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signNotificationJwt } from '../../sandbox/centrapay/sign.ts';
import { listPaymentEvents } from '../../server/store/events.ts';
import { getWebhookEvent, listWebhookEvents } from '../../server/store/webhook-events.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const simKey = p256();
// Long enough that, on a loaded machine, the made-up kid below still arrives inside the window after the refresh.
const MIN_REFRESH_MS = 3000;

let server: TestServer;
let k: Kiosk;
let audience: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-webhook-'));
  const keyFile = join(dir, 'sim-key.pem');
  writeFileSync(keyFile, simKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  server = await startServer(
    {
      // No poll within a test: whatever changes a payment here came through the webhook.
      POLL_INITIAL_MS: '60000',
      POLL_MAX_MS: '60000',
      SIM_CENTRAPAY_NOTIFY_SCHEDULE_MS: '0,300',
      SIM_CENTRAPAY_SIGNING_KEY_FILE: keyFile,
      SIM_CENTRAPAY_SIGNING_KID: 'kid-1',
      CENTRAPAY_JWKS_MIN_REFRESH_MS: String(MIN_REFRESH_MS),
    },
    { store: 'demo-nz' },
  );
  k = new Kiosk(server.baseUrl, server.token);
  audience = server.app.kiosk.publicUrl();
});
afterAll(async () => server?.close());

const db = () => server.app.kiosk.db;
const sim = (method: string, path: string, body?: unknown) =>
  k.request(method, `/sim/centrapay/control${path}`, { body: body ?? (method === 'POST' ? {} : undefined), auth: false });
const mpm = async () => {
  const r = await k.pay({ orderId: order(), amount: { value: 980, currency: 'NZD' }, mode: 'mpm', provider: 'centrapay' });
  expect(r.body.status).toBe('pending');
  return r.body;
};

function paidBody(id: string, requestId: string, amount = '980'): string {
  return JSON.stringify({
    id,
    type: 'payment-request:paid',
    accountId: 'SimAcct0Demo0Cafe0001',
    test: true,
    createdAt: new Date().toISOString(),
    data: { type: 'paid', paymentRequestId: requestId, value: { currency: 'NZD', amount }, assetType: 'centrapay.nzd.test' },
  });
}

function token(body: string, opts: { key?: KeyObject; kid?: string; aud?: string; nowSec?: number } = {}): Promise<string> {
  return signNotificationJwt({
    privateKey: opts.key ?? simKey.privateKey,
    kid: opts.kid ?? 'kid-1',
    audience: opts.aud ?? audience,
    body,
    nowSec: opts.nowSec,
  });
}

async function post(body: string, authorization?: string) {
  const res = await fetch(`${server.baseUrl}/webhooks/centrapay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe('genuine notifications', () => {
  let genuineRaw: string;
  let paymentId: string;

  it('the simulator’s signed paid notification marks the payment succeeded (JWKS fetched once)', async () => {
    const p = await mpm();
    paymentId = p.id;
    expect((await sim('POST', `/requests/${p.providerRef}/pay`)).status).toBe(200);
    await k.waitFor(p.id, (x) => x.status === 'succeeded', 2000);
    // The notification's row gets its outcome just after the change it applied is committed (and visible).
    const applied = async () => (await listWebhookEvents(db(), 'centrapay')).find((h) => h.paymentId === p.id);
    await expect.poll(applied, { timeout: 2000 }).toMatchObject({ outcome: 'applied', verified: true, duplicates: 0 });
    const hook = (await applied())!;
    expect(JSON.parse(hook.rawBody)).toMatchObject({ type: 'payment-request:paid', data: { paymentRequestId: p.providerRef } });
    genuineRaw = hook.rawBody;
    expect(server.jwksFetches).toHaveLength(1);
  });

  it('a retry/replay of the same notification (fresh token, same bytes) is acknowledged and changes nothing', async () => {
    const events = (await listPaymentEvents(db(), paymentId)).length;
    const eventId = JSON.parse(genuineRaw).id as string;
    for (const auth of [await token(genuineRaw), `Bearer ${await token(genuineRaw)}`]) {
      expect((await post(genuineRaw, auth)).status).toBe(200);
    }
    expect((await getWebhookEvent(db(), 'centrapay', eventId))?.duplicates).toBe(2);
    expect((await listPaymentEvents(db(), paymentId)).length).toBe(events);
  });

  it('a valid notification is only a hint: "paid" for a request Centrapay still has unpaid changes nothing', async () => {
    const p = await mpm();
    const body = paidBody('ntf_claims_paid_0001', p.providerRef!);
    expect((await post(body, await token(body))).status).toBe(200);
    expect((await k.get(p.id)).body.status).toBe('pending');
    expect((await getWebhookEvent(db(), 'centrapay', 'ntf_claims_paid_0001'))?.outcome).toBe('disagrees');
    await k.cancel(p.id);
  });

  it('a valid notification about a request we never made is acknowledged and ignored', async () => {
    const body = paidBody('ntf_unknown_0001', 'NotOurRequest000000001');
    expect((await post(body, await token(body))).status).toBe(200);
    expect((await getWebhookEvent(db(), 'centrapay', 'ntf_unknown_0001'))?.outcome).toBe('unknown_payment');
  });
});

describe('notifications that do not prove themselves', () => {
  let pending: { id: string; providerRef: string | null };
  beforeAll(async () => {
    pending = await mpm();
  });

  const refusedCases: [string, () => Promise<{ body: string; auth?: string }>][] = [
    [
      'forged (another key under our kid)',
      async () => {
        const b = paidBody('ntf_forged', pending.providerRef!);
        return { body: b, auth: await token(b, { key: p256().privateKey }) };
      },
    ],
    [
      'tampered body (hash claim does not match)',
      async () => {
        const b = paidBody('ntf_tampered', pending.providerRef!);
        return { body: b.replace('"980"', '"1"'), auth: await token(b) };
      },
    ],
    [
      'expired token (exp enforced)',
      async () => {
        const b = paidBody('ntf_expired', pending.providerRef!);
        return { body: b, auth: await token(b, { nowSec: Math.floor(Date.now() / 1000) - 400 }) };
      },
    ],
    [
      'addressed to someone else (aud)',
      async () => {
        const b = paidBody('ntf_aud', pending.providerRef!);
        return { body: b, auth: await token(b, { aud: 'https://pos.example.com' }) };
      },
    ],
    ['unsigned', async () => ({ body: paidBody('ntf_unsigned', pending.providerRef!) })],
  ];
  for (const [name, make] of refusedCases) {
    it(`refuses ${name} with 401 and records nothing`, async () => {
      const { body, auth } = await make();
      const r = await post(body, auth);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error.code).toBe('invalid_signature');
      const id = JSON.parse(body).id as string;
      expect(await getWebhookEvent(db(), 'centrapay', id)).toBeUndefined();
      expect((await k.get(pending.id)).body.status).toBe('pending');
    });
  }

  afterAll(async () => {
    await k.cancel(pending.id);
  });
});

describe('key rotation', () => {
  it('an unknown kid refreshes the JWKS: the rotated key is accepted; made-up kids cannot force more downloads', async () => {
    const last = server.jwksFetches.at(-1) ?? 0;
    await new Promise((res) => setTimeout(res, Math.max(0, last + MIN_REFRESH_MS + 50 - Date.now())));
    const next = p256();
    const rotated = await sim('POST', '/signing-key', {
      privateKeyPem: next.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      kid: 'kid-2',
    });
    expect(rotated.body.jwks.keys.map((x: { kid: string }) => x.kid)).toEqual(['kid-2']);
    const fetches = server.jwksFetches.length;

    const p = await mpm();
    await sim('POST', `/requests/${p.providerRef}/pay`);
    await k.waitFor(p.id, (x) => x.status === 'succeeded', 2000);
    expect(server.jwksFetches.length).toBe(fetches + 1);

    // Right after a refresh, a token naming yet another kid is refused without another download.
    const body = paidBody('ntf_kid_9', p.providerRef!);
    const r = await post(body, await token(body, { key: p256().privateKey, kid: 'kid-9' }));
    expect(r.status).toBe(401);
    expect(server.jwksFetches.length).toBe(fetches + 1);
  });
});
