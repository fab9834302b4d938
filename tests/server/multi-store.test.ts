// Demo stores and routing: a terminal paired into the NZ café sees NZD, Centrapay and its QR option; a demo
// terminal can switch stores (never mid-payment, never outside demo mode); and the cashier's override of
// the wallet or provider is honoured only where the store routes it.
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalInfo } from '../../src/shared/api.ts';
import { luhnValid } from '../../src/shared/classify.ts';
import { testPatronCode } from '../../sandbox/centrapay/scenarios.ts';
import { providerReference } from '../../server/payments/reference.ts';
import { callsNaming, pair, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order } from './helpers/kiosk.ts';
import { CENTRAPAY_FAST } from './helpers/providers.ts';

let server: TestServer;
let us: Kiosk;
let nz: Kiosk;
let misrouted: Kiosk;

beforeAll(async () => {
  // The demo stores plus one that (wrongly) sends NZD Alipay payments to Pockyt, which takes USD only.
  const dir = mkdtempSync(join(tmpdir(), 'stores-'));
  for (const f of readdirSync('config/stores')) copyFileSync(join('config/stores', f), join(dir, f));
  writeFileSync(
    join(dir, 'nz-pockyt.json'),
    JSON.stringify({
      id: 'nz-pockyt',
      name: 'Misrouted',
      currency: 'NZD',
      locale: 'en-NZ',
      catalogue: [],
      routing: { alipay: 'pockyt' },
      maxAmount: { value: 100000, currency: 'NZD' },
    }),
  );
  server = await startServer({ ...CENTRAPAY_FAST, STORES_DIR: dir, SIM_POCKYT_IPN_SCHEDULE_MS: 'none' });
  us = new Kiosk(server.baseUrl, server.token);
  const pairInto = async (store: string) =>
    new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode(store)).code)).token);
  nz = await pairInto('demo-nz');
  misrouted = await pairInto('nz-pockyt');
});
afterAll(async () => server?.close());

const info = async (k: Kiosk) => (await k.request<TerminalInfo>('GET', '/api/terminal')).body;
const switchTo = (k: Kiosk, storeId: unknown) => k.request('PUT', '/api/terminal/store', { body: { storeId } });

/** A 16-digit code that fits both Centrapay (listed prefix 282828, Luhn) and Alipay (prefix 28), ending
 *  in Pockyt's instant-success suffix 0001. */
function ambiguousCode(): string {
  for (let i = 0; ; i++) {
    const code = `282828${String(i).padStart(6, '0')}0001`;
    if (luhnValid(code)) return code;
  }
}

describe('demo stores at pairing', () => {
  it('a terminal paired into demo-nz gets NZD, Centrapay and the Centrapay QR option', async () => {
    const t = await info(nz);
    expect(t.store).toMatchObject({
      id: 'demo-nz',
      currency: 'NZD',
      locale: 'en-NZ',
      acceptedVendors: [{ vendor: 'centrapay', provider: 'centrapay', label: 'Centrapay' }],
      mpmOptions: [{ provider: 'centrapay', label: 'Centrapay QR' }],
      maxAmount: { currency: 'NZD' },
    });
    expect(t.store.catalogue.length).toBeGreaterThan(3);
    expect(t.store.catalogue.every((i) => i.price.currency === 'NZD')).toBe(true);
    expect(t.demo).toBe(true);
    expect(t.availableStores?.map((s) => s.id).sort()).toEqual(['demo-ae', 'demo-nz', 'demo-us', 'nz-pockyt']);
  });

  it('the default store (demo-us) offers Pockyt Alipay and WeChat Pay QRs', async () => {
    const t = await info(us);
    expect(t.store).toMatchObject({ id: 'demo-us', currency: 'USD' });
    expect(t.store.mpmOptions).toEqual([
      { provider: 'pockyt', vendor: 'alipay', label: 'Alipay QR' },
      { provider: 'pockyt', vendor: 'wechatpay', label: 'WeChat Pay QR' },
    ]);
  });
});

describe('switching stores (demo)', () => {
  it('switches, after which the new store’s currency is the one accepted', async () => {
    const k = new Kiosk(server.baseUrl, (await pair(server.baseUrl, (await server.app.kiosk.createPairingCode('demo-nz')).code)).token);
    const r = await switchTo(k, 'demo-ae');
    expect(r.status).toBe(200);
    expect(r.body.store).toMatchObject({
      id: 'demo-ae',
      currency: 'AED',
      locale: 'en-AE',
      language: 'ar',
      mpmOptions: [{ provider: 'payby', label: 'PayBy QR' }],
    });
    expect((await info(k)).store.id).toBe('demo-ae');
    const nzd = await k.pay({ orderId: order(), amount: { value: 500, currency: 'NZD' }, mode: 'cpm', code: testPatronCode('0001') });
    expect(nzd.status).toBe(400);
    expect(nzd.body.error.code).toBe('unsupported_currency');
    const aed = await k.pay({ orderId: order(), amount: { value: 500, currency: 'AED' }, mode: 'cpm', code: 'OK0000000009' });
    expect(aed.body).toMatchObject({ status: 'succeeded', provider: 'payby' });
  });

  it('is refused while the terminal has an open payment, and allowed once it is closed', async () => {
    const code = (await nz.request('POST', '/sim/centrapay/control/codes', { body: {}, auth: false })).body.code;
    const p = await nz.pay({ orderId: order(), amount: { value: 450, currency: 'NZD' }, mode: 'cpm', code });
    expect(p.body.status).toBe('pending');
    const refused = await switchTo(nz, 'demo-us');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('terminal_has_open_payment');
    expect((await info(nz)).store.id).toBe('demo-nz');
    expect((await nz.cancel(p.body.id)).body.status).toBe('cancelled');
    expect((await switchTo(nz, 'demo-us')).status).toBe(200);
    expect((await switchTo(nz, 'demo-nz')).status).toBe(200);
  });

  it('refuses unknown stores and malformed bodies', async () => {
    const unknown = await switchTo(nz, 'demo-mars');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_store');
    expect((await switchTo(nz, 42)).status).toBe(400);
    expect((await info(nz)).store.id).toBe('demo-nz');
  });

  it('is refused outside demo mode', async () => {
    const prod = await startServer({
      DEMO: '0',
      POCKYT_BASE_URL: 'http://127.0.0.1:9',
      POCKYT_MERCHANT_NO: '200043',
      POCKYT_STORE_NO: '300014',
      POCKYT_TOKEN: 'x'.repeat(32),
    });
    try {
      const k = new Kiosk(prod.baseUrl, prod.token);
      expect((await info(k)).availableStores).toBeUndefined();
      const r = await switchTo(k, 'demo-nz');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('demo_only');
    } finally {
      await prod.close();
    }
  });
});

describe('routing and the cashier’s override', () => {
  const usd = (value: number) => ({ value, currency: 'USD' });

  it('a code that fits two wallets goes where the cashier says, if the store routes that wallet', async () => {
    const code = ambiguousCode();
    const guessed = await us.pay({ orderId: order(), amount: usd(800), mode: 'cpm', code });
    expect(guessed.status).toBe(422);
    expect(guessed.body.error.code).toBe('vendor_not_accepted');
    const pockytCalls = server.simLog.filter((c) => c.provider === 'pockyt').length;
    const overridden = await us.pay({ orderId: order(), amount: usd(800), mode: 'cpm', code, vendor: 'alipay' });
    expect(overridden.status).toBe(201);
    // Routed as the cashier said. (Pockyt's sandbox classifies codes with our classifier, so it answers
    // this one as not an Alipay code: the verdict is Pockyt's, the routing is ours.)
    expect(overridden.body).toMatchObject({ provider: 'pockyt', vendor: 'alipay' });
    expect(server.simLog.filter((c) => c.provider === 'pockyt').length).toBeGreaterThan(pockytCalls);
    const wrongWallet = await us.pay({ orderId: order(), amount: usd(800), mode: 'cpm', code, vendor: 'wechatpay' });
    expect(wrongWallet.body.error.code).toBe('vendor_mismatch');
  });

  it('a provider the store does not route that wallet to is 422; the routed one is fine', async () => {
    const calls = server.simLog.length;
    const [usKey, nzKey] = [randomUUID(), randomUUID()];
    const viaPayBy = await us.pay(
      { orderId: order(), amount: usd(800), mode: 'cpm', code: alipayTestCode('0001'), provider: 'payby' },
      usKey,
    );
    expect(viaPayBy.status).toBe(422);
    expect(viaPayBy.body.error.code).toBe('provider_not_routed');
    const viaPockyt = await nz.pay(
      { orderId: order(), amount: { value: 800, currency: 'NZD' }, mode: 'cpm', code: testPatronCode('0001'), provider: 'pockyt' },
      nzKey,
    );
    expect(viaPockyt.body.error.code).toBe('provider_not_routed');
    // Only these requests' calls: the reconciler may be re-checking earlier tests' payments meanwhile.
    const references = [providerReference((await info(us)).terminalId, usKey), providerReference((await info(nz)).terminalId, nzKey)];
    expect(callsNaming(server.simLog.slice(calls), references)).toEqual([]);
    const routed = await nz.pay({
      orderId: order(),
      amount: { value: 800, currency: 'NZD' },
      mode: 'cpm',
      code: testPatronCode('0002'),
      provider: 'centrapay',
    });
    expect(routed.status).toBe(201);
    expect(routed.body.provider).toBe('centrapay');
  });

  it('merchant QRs: only the store’s options, and Pockyt needs the wallet', async () => {
    const noWallet = await us.pay({ orderId: order(), amount: usd(600), mode: 'mpm', provider: 'pockyt' });
    expect(noWallet.status).toBe(400);
    expect(noWallet.body.error).toMatchObject({
      code: 'vendor_required',
      details: { options: [{ vendor: 'alipay' }, { vendor: 'wechatpay' }] },
    });
    const notOffered = await nz.pay({ orderId: order(), amount: { value: 600, currency: 'NZD' }, mode: 'mpm', provider: 'payby' });
    expect(notOffered.status).toBe(422);
    expect(notOffered.body.error.code).toBe('mpm_not_offered');
    expect(notOffered.body.error.message).toMatch(/^This store does not offer a PayBy QR\. Offered here: /);
    const alipayQr = await us.pay({ orderId: order(), amount: usd(600), mode: 'mpm', provider: 'pockyt', vendor: 'alipay' });
    expect(alipayQr.status).toBe(201);
    expect(alipayQr.body).toMatchObject({ status: 'pending', provider: 'pockyt', vendor: 'alipay' });
    expect(alipayQr.body.qr?.payload).toBeTruthy();
    expect((await us.cancel(alipayQr.body.id)).body.status).toBe('cancelled');
  });

  it('a currency the routed provider does not take is 400 before any provider call', async () => {
    const calls = server.simLog.length;
    const r = await misrouted.pay({ orderId: order(), amount: { value: 900, currency: 'NZD' }, mode: 'cpm', code: alipayTestCode('0001') });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'unsupported_currency' });
    expect(r.body.error.message).toContain('pockyt');
    // (Other providers' background polls of earlier tests' payments may run meanwhile.)
    expect(server.simLog.slice(calls).filter((c) => c.provider === 'pockyt')).toEqual([]);
  });
});
