// Centrapay webhook JWTs: the spec's worked vector (§10), and sign (sandbox) → verify (production) round
// trips with every way a token can be wrong. Both sides use jose; the claims rules are ours.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodySha256, verifyNotificationJwt, type JwtCheck } from '../../server/providers/centrapay/token.ts';
import { publicJwk, signNotificationJwt, type EcJwk } from '../../sandbox/centrapay/sign.ts';

const PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHF9mVcesXPDYoyla
4Ig0UxniuTZdRZWokWDHDV7fwSahRANCAATEp9ANKGMlB60YwGOBXclHhYsTvwDK
SA+eNCSEkXgCznzcXCzXFMnZj/EbTF8FhntjZxX4HObxGxqYg2yMLx9F
-----END PRIVATE KEY-----`;
const JWK: EcJwk = {
  kty: 'EC',
  crv: 'P-256',
  kid: 'sim-2025-01',
  use: 'sig',
  alg: 'ES256',
  x: 'xKfQDShjJQetGMBjgV3JR4WLE78AykgPnjQkhJF4As4',
  y: 'fNxcLNcUydmP8RtMXwWGe2NnFfgc5vEbGpiDbIwvH0U',
};
const BODY =
  '{"id":"ntf_sim_0001","type":"payment-request:paid","accountId":"Jaim1Cu1Q55uooxSens6yk","test":true,"createdAt":"2025-01-01T00:00:05.000Z","data":{"type":"paid","paymentRequestId":"MhocUmpxxmgdHjr7DgKoKw","value":{"currency":"NZD","amount":"1000"},"assetType":"centrapay.nzd.test"}}';
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InNpbS0yMDI1LTAxIiwidHlwIjoiSldUIn0.eyJpYXQiOjE3MzU2ODk2MDUsImV4cCI6MTczNTY4OTkwNSwiYXVkIjoiaHR0cHM6Ly9wb3MuZXhhbXBsZS5jb20iLCJyZXF1ZXN0X2JvZHlfc2hhMjU2IjoiNzA2YjY2MGUxZDM1NWM2ZTBlYTNmMTI5NmU0ZTQxMjJlNmFmY2Y1ZmVlYzdmOWRjOWYzYzBhZTE1OGRmOGMwYSJ9.1I5XQCj94s6msdQglxFcCb4Y7A8mT925QE_cViwyT7a87ntx_LwZgoNkL7W8MQwNtQtEdCs0aCnTszFaUguRqg';
const AUD = 'https://pos.example.com';
const IAT = 1735689605;

const check = (over: Partial<Parameters<typeof verifyNotificationJwt>[0]> = {}) =>
  verifyNotificationJwt({ authorization: TOKEN, body: BODY, jwks: { keys: [JWK] }, audience: AUD, nowSec: IAT + 10, ...over });
const reason = async (r: Promise<JwtCheck>) => {
  const x = await r;
  return x.ok ? 'ok' : x.reason;
};

/** Signs any header/payload as ES256 (to build tokens the production signer would never make). */
function signRaw(header: object, payload: object, key: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** Re-encodes a token with a changed payload, keeping the old signature (a tampered claim). */
function withPayload(token: string, change: (p: Record<string, unknown>) => void): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  change(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

describe('spec §10 worked vector', () => {
  it('body hash and JWK match the spec', async () => {
    expect(bodySha256(BODY)).toBe('706b660e1d355c6e0ea3f1296e4e4122e6afcf5feec7f9dc9f3c0ae158df8c0a');
    expect(await publicJwk(createPrivateKey(PEM), 'sim-2025-01')).toEqual(JWK);
  });

  it('verifies, with or without a Bearer prefix', async () => {
    const r = await check();
    expect(r).toEqual({
      ok: true,
      kid: 'sim-2025-01',
      claims: { iat: IAT, exp: IAT + 300, aud: AUD, request_body_sha256: bodySha256(BODY) },
    });
    expect(await reason(check({ authorization: `Bearer ${TOKEN}` }))).toBe('ok');
    expect(await reason(check({ audience: `${AUD}/` }))).toBe('ok');
  });

  it('is rejected one second after exp, for another audience, and without a token', async () => {
    expect(await reason(check({ nowSec: IAT + 300 }))).toBe('ok');
    expect(await reason(check({ nowSec: IAT + 301 }))).toBe('expired');
    expect(await reason(check({ nowSec: IAT - 3600 }))).toBe('not_yet_valid');
    expect(await reason(check({ audience: 'https://evil.example.com' }))).toBe('wrong_audience');
    expect(await reason(check({ authorization: undefined }))).toBe('missing_token');
    expect(await reason(check({ authorization: 'Bearer abc.def' }))).toBe('malformed');
  });

  it('catches a body changed in transit (even by one byte or a re-serialisation)', async () => {
    expect(await reason(check({ body: BODY.replace('"1000"', '"9000"') }))).toBe('body_hash_mismatch');
    expect(await reason(check({ body: JSON.stringify(JSON.parse(BODY), null, 1) }))).toBe('body_hash_mismatch');
    expect(await reason(check({ body: Buffer.from(BODY) }))).toBe('ok');
  });

  it('catches a tampered claim (a body hash swapped to match a forged body) and a wrong kid', async () => {
    const forged = BODY.replace('"1000"', '"9000"');
    const token = withPayload(TOKEN, (p) => {
      p.request_body_sha256 = bodySha256(forged);
    });
    expect(await reason(check({ authorization: token, body: forged }))).toBe('bad_signature');
    expect(await reason(check({ jwks: { keys: [{ ...JWK, kid: 'another' }] } }))).toBe('unknown_kid');
    const stranger = await publicJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'sim-2025-01');
    expect(await reason(check({ jwks: { keys: [stranger] } }))).toBe('bad_signature');
  });

  it('refuses alg none/HS256 whatever the signature', async () => {
    for (const alg of ['none', 'HS256', 'ES384']) {
      const [, p, s] = TOKEN.split('.');
      const h = Buffer.from(JSON.stringify({ alg, kid: 'sim-2025-01', typ: 'JWT' })).toString('base64url');
      expect(await reason(check({ authorization: `${h}.${p}.${s}` }))).toBe('unsupported_alg');
    }
  });
});

describe('sign → verify round trip', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = { keys: [] as EcJwk[] };
  const body = '{"id":"ntf_1","type":"payment-request:paid"}';
  beforeAll(async () => {
    jwks.keys.push(await publicJwk(privateKey, 'k1'));
  });

  it('a fresh token verifies, with the body hash and a 300 s lifetime', async () => {
    const token = await signNotificationJwt({ privateKey, kid: 'k1', audience: AUD, body, nowSec: 1_800_000_000 });
    const r = await verifyNotificationJwt({ authorization: token, body, jwks, audience: AUD, nowSec: 1_800_000_001 });
    expect(r).toEqual({
      ok: true,
      kid: 'k1',
      claims: { iat: 1_800_000_000, exp: 1_800_000_300, aud: AUD, request_body_sha256: bodySha256(body) },
    });
    expect(token.split('.')[2]).toMatch(/^[A-Za-z0-9_-]{86}$/); // 64 raw bytes (r‖s), not DER
  });

  it('no body → no hash claim; a body added later is refused', async () => {
    const token = await signNotificationJwt({ privateKey, kid: 'k1', audience: AUD });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).not.toHaveProperty('request_body_sha256');
    expect((await verifyNotificationJwt({ authorization: token, body: '', jwks, audience: AUD })).ok).toBe(true);
    expect(await reason(verifyNotificationJwt({ authorization: token, body, jwks, audience: AUD }))).toBe('missing_body_hash');
  });

  it('accepts iat/exp as numeric strings (as in the docs), not junk', async () => {
    const now = 1_800_000_000;
    const signed = (payload: Record<string, unknown>) => signRaw({ alg: 'ES256', kid: 'k1', typ: 'JWT' }, payload, privateKey);
    const base = { aud: AUD, request_body_sha256: bodySha256(body) };
    expect(
      await verifyNotificationJwt({
        authorization: signed({ ...base, iat: String(now), exp: String(now + 300) }),
        body,
        jwks,
        audience: AUD,
        nowSec: now,
      }),
    ).toMatchObject({ ok: true, claims: { iat: now, exp: now + 300 } });
    expect(
      await reason(
        verifyNotificationJwt({ authorization: signed({ ...base, iat: now, exp: 'soon' }), body, jwks, audience: AUD, nowSec: now }),
      ),
    ).toBe('malformed');
    expect(
      await reason(verifyNotificationJwt({ authorization: signed({ ...base, iat: now }), body, jwks, audience: AUD, nowSec: now })),
    ).toBe('malformed');
    expect(
      await reason(
        verifyNotificationJwt({
          authorization: signed({ iat: now, exp: now + 300, aud: [AUD, 'x'], request_body_sha256: bodySha256(body).toUpperCase() }),
          body,
          jwks,
          audience: AUD,
          nowSec: now,
        }),
      ),
    ).toBe('ok');
  });
});
