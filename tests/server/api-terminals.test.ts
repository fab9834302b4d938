// Pairing and terminal info, plus health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk } from './helpers/kiosk.ts';
import { createPairingCode } from '../../server/store/terminals.ts';

let server: TestServer;
let anon: Kiosk;

beforeAll(async () => {
  server = await startServer();
  anon = new Kiosk(server.baseUrl, '');
});
afterAll(async () => server?.close());

const pairWith = (code: unknown) => anon.request('POST', '/api/terminals/pair', { body: { code }, auth: false });

describe('pairing', () => {
  it('pairs once with a code and refuses it the second time', async () => {
    const { code } = await server.app.kiosk.createPairingCode();
    const rows = await server.app.kiosk.db.selectFrom('pairing_codes').selectAll().execute();
    expect(rows.some((r) => r.code_hash.includes(code))).toBe(false);
    const first = await pairWith(code.toLowerCase().replace(/(....)/, '$1-'));
    expect(first.status).toBe(201);
    expect(first.body.terminalId).toMatch(/^term_/);
    expect(Buffer.from(first.body.token, 'base64url')).toHaveLength(32);
    const second = await pairWith(code);
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('invalid_pairing_code');
    expect(second.body.error.message).toMatch(/already used/);
    const terminals = await server.app.kiosk.db.selectFrom('terminals').select('token_hash').execute();
    expect(terminals.some((t) => t.token_hash === first.body.token)).toBe(false);
  });

  it('refuses wrong, malformed and expired codes', async () => {
    expect((await pairWith('ZZZZZZZZ')).body.error.code).toBe('invalid_pairing_code');
    const malformed = await pairWith(12345678);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_pairing_code');
    const { code } = await createPairingCode(server.app.kiosk.db, 'demo-us', -1000);
    const expired = await pairWith(code);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
  });

  it('gives a paired terminal its store, catalogue and accepted wallets', async () => {
    const kiosk = new Kiosk(server.baseUrl, server.token);
    const r = await kiosk.request('GET', '/api/terminal');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      terminalId: server.terminalId,
      demo: true,
      store: {
        id: 'demo-us',
        currency: 'USD',
        locale: 'en-US',
        maxAmount: { value: 500000, currency: 'USD' },
        acceptedVendors: [
          { vendor: 'alipay', provider: 'pockyt', label: 'Alipay' },
          { vendor: 'wechatpay', provider: 'pockyt', label: 'WeChat Pay' },
        ],
      },
    });
    expect(r.body.store.catalogue.length).toBeGreaterThan(3);
    for (const item of r.body.store.catalogue) expect(Number.isInteger(item.price.value)).toBe(true);
    // The category chips' groups reach the kiosk through the response schema.
    expect(r.body.store.catalogue.find((i: { sku: string }) => i.sku === 'croissant')).toMatchObject({ category: 'Bakery' });
  });
});

describe('GET /healthz', () => {
  it('reports db, demo and version without auth', async () => {
    const r = await anon.request('GET', '/healthz', { auth: false });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, db: true, demo: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
