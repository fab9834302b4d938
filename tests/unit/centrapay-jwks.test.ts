// Centrapay's JWKS as our webhook intake uses it (jose's remote key set behind centrapayKeys): downloaded once
// and cached, refreshed for an unknown kid at most once per minRefreshMs (a forger picks any kid), "cannot
// verify now" (→ 503) when no keys can be had, and the last good keys still used while the server is down.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { centrapayKeys, JwksUnavailableError } from '../../server/providers/centrapay/jwks.ts';
import { verifyNotificationJwt, type KeyResolver } from '../../server/providers/centrapay/token.ts';
import { publicJwk, signNotificationJwt, type EcJwk } from '../../sandbox/centrapay/sign.ts';

const AUD = 'https://pos.example.com';
const body = '{"id":"ntf_1","type":"payment-request:paid"}';
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const key1 = p256();
const key2 = p256();

/** A JWKS endpoint whose keys and health the test controls; counts downloads. */
const jwks = { keys: [] as EcJwk[], status: 200, fetches: 0 };
let server: Server;
let url: string;

beforeAll(async () => {
  jwks.keys = [await publicJwk(key1, 'kid-1')];
  server = createServer((_req, res) => {
    jwks.fetches++;
    res.writeHead(jwks.status, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks.keys }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function check(keys: KeyResolver, key = key1, kid = 'kid-1') {
  const authorization = await signNotificationJwt({ privateKey: key, kid, audience: AUD, body });
  return verifyNotificationJwt({ authorization, body, jwks: keys, audience: AUD });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('centrapayKeys', () => {
  it('downloads once, refreshes for an unknown kid at most once per minRefreshMs, then accepts a rotated key', async () => {
    jwks.keys = [await publicJwk(key1, 'kid-1')];
    jwks.status = 200;
    // The cooldown is measured on the wall clock: freeze it (Date only; I/O runs as usual) so a busy machine
    // cannot stretch the window between two checks past minRefreshMs.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = jwks.fetches;
    const keys = centrapayKeys({ url: () => url, minRefreshMs: 200 });
    expect(await check(keys)).toMatchObject({ ok: true, kid: 'kid-1' });
    expect(await check(keys)).toMatchObject({ ok: true });
    expect(jwks.fetches - start).toBe(1);

    // Keys rotate at Centrapay; within minRefreshMs a token with the new kid is refused without a download.
    jwks.keys = [await publicJwk(key2, 'kid-2')];
    expect(await check(keys, key2, 'kid-2')).toMatchObject({ ok: false, reason: 'unknown_kid' });
    expect(jwks.fetches - start).toBe(1);
    vi.setSystemTime(Date.now() + 250);
    expect(await check(keys, key2, 'kid-2')).toMatchObject({ ok: true, kid: 'kid-2' });
    expect(jwks.fetches - start).toBe(2);
    // Made-up kids right after the refresh cost nothing.
    expect(await check(keys, p256(), 'kid-9')).toMatchObject({ ok: false, reason: 'unknown_kid' });
    expect(jwks.fetches - start).toBe(2);
    vi.useRealTimers();
  });

  it('cannot verify (JwksUnavailableError, not a refusal) when no keys were ever had', async () => {
    jwks.status = 500;
    await expect(check(centrapayKeys({ url: () => url, minRefreshMs: 0 }))).rejects.toBeInstanceOf(JwksUnavailableError);
    await expect(check(centrapayKeys({ url: () => null, minRefreshMs: 0 }))).rejects.toBeInstanceOf(JwksUnavailableError);
    jwks.status = 200;
  });

  it('keeps verifying with the last good keys while the JWKS server fails, and never accepts a stranger', async () => {
    jwks.keys = [await publicJwk(key1, 'kid-1')];
    jwks.status = 200;
    const keys = centrapayKeys({ url: () => url, minRefreshMs: 0, maxAgeMs: 50 });
    expect(await check(keys)).toMatchObject({ ok: true });
    jwks.status = 503;
    await sleep(80);
    const before = jwks.fetches;
    expect(await check(keys)).toMatchObject({ ok: true, kid: 'kid-1' });
    expect(jwks.fetches).toBeGreaterThan(before); // it did try to refresh
    expect(await check(keys, p256())).toMatchObject({ ok: false, reason: 'bad_signature' });
    jwks.status = 200;
  });
});
