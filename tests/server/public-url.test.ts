// Pairing links and the demo's merchant-QR payloads use PUBLIC_URL, or where it is unset an address other
// devices can reach (the bind address, or the origin the request came in on) — never a hard-coded localhost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { defaultPublicUrl } from '../../server/config/public-url.ts';
import { startServer, type TestServer } from './helpers/app.ts';
import { Kiosk, order } from './helpers/kiosk.ts';

const lan = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }],
  eth0: [
    { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '', cidr: null, scopeid: 2 },
    { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
  ],
} as unknown as Parameters<typeof defaultPublicUrl>[3];

describe('PUBLIC_URL default', () => {
  it('follows the bind address', () => {
    expect(defaultPublicUrl('127.0.0.1', 8080, false, lan)).toBe('http://localhost:8080');
    expect(defaultPublicUrl('0.0.0.0', 8080, false, lan)).toBe('http://192.168.1.20:8080');
    expect(defaultPublicUrl('::', 8443, true, lan)).toBe('https://192.168.1.20:8443');
    expect(defaultPublicUrl('10.0.0.5', 443, true, lan)).toBe('https://10.0.0.5');
    expect(defaultPublicUrl('fd00::5', 80, false, lan)).toBe('http://[fd00::5]');
  });

  it('PUBLIC_URL wins when set', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080', PUBLIC_URL: 'https://kiosk.shop.test/' }).publicUrl).toBe('https://kiosk.shop.test');
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });
});

const MPM = [
  { store: 'demo-us', pay: { amount: { value: 600, currency: 'USD' }, provider: 'pockyt', vendor: 'alipay' }, path: '/sim/pockyt/qr/' },
  { store: 'demo-nz', pay: { amount: { value: 600, currency: 'NZD' }, provider: 'centrapay' }, path: '/sim/centrapay/pay/' },
  { store: 'demo-ae', pay: { amount: { value: 600, currency: 'AED' }, provider: 'payby' }, path: '/sim/payby/pay/' },
] as const;

describe('with PUBLIC_URL set', () => {
  const PUBLIC_URL = 'https://kiosk.shop.test';
  const servers: TestServer[] = [];
  beforeAll(async () => {
    for (const m of MPM) servers.push(await startServer({ PUBLIC_URL }, { store: m.store }));
  });
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  it('pairing links use it', async () => {
    const { url } = await servers[0].app.kiosk.createPairingCode('demo-nz');
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/\\?pair=`));
  });

  MPM.forEach((m, i) => {
    it(`${m.pay.provider}'s merchant QR links to it`, async () => {
      const k = new Kiosk(servers[i].baseUrl, servers[i].token);
      const r = await k.pay({ orderId: order(), mode: 'mpm', ...m.pay });
      expect(r.status).toBe(201);
      expect(r.body.qr?.payload.startsWith(`${PUBLIC_URL}${m.path}`), r.body.qr?.payload).toBe(true);
    });
  });
});

describe('without PUBLIC_URL (port known only after listen)', () => {
  const servers: TestServer[] = [];
  beforeAll(async () => {
    for (const m of MPM) servers.push(await startServer({}, { store: m.store }));
  });
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  MPM.forEach((m, i) => {
    it(`${m.pay.provider}'s merchant QR links to the origin the proxy was reached on`, async () => {
      const k = new Kiosk(servers[i].baseUrl, servers[i].token);
      const r = await k.pay({ orderId: order(), mode: 'mpm', ...m.pay });
      expect(r.status).toBe(201);
      expect(r.body.qr?.payload.startsWith(`${servers[i].baseUrl}${m.path}`), r.body.qr?.payload).toBe(true);
      expect(r.body.qr?.payload).not.toContain('localhost');
    });
  });
});
