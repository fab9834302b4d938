// PayBy SHA256withRSA `sign` (spec providers/payby.md §3): the spec's worked vectors byte-for-byte, tamper
// cases, key loading, and which unsigned responses are allowed (exactly the documented codes).
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envelopeBody } from '../../server/providers/payby/http.ts';
import { paybySubject, toPayByAmount } from '../../server/providers/payby/mapping.ts';
import {
  checkResponseSignature,
  loadPayByKeyFiles,
  loadPrivateKey,
  loadPublicKey,
  PayByKeyError,
  signatureRequired,
  signBody,
  UNSIGNED_CODES,
  verifyBody,
} from '../../server/providers/payby/signing.ts';
import { verifyPayByNotification } from '../../server/providers/payby/webhook.ts';

const FIX = 'tests/fixtures/payby/';
const SPEC_PRIVATE = readFileSync(`${FIX}spec-vector-private.pem`, 'utf8');
const SPEC_PUBLIC = readFileSync(`${FIX}spec-vector-public.pem`, 'utf8');

// Spec §3 (a): placeOrder body, 282 bytes.
const BODY_A =
  '{"requestTime":1735689600000,"bizContent":{"merchantOrderNo":"KIOSK1-20250101-0001","subject":"Kiosk sale","totalAmount":{"currency":"AED","amount":12.34},"paySceneCode":"QRPAY","paySceneParams":{"authCode":"20007900T400690098F"},"notifyUrl":"https://pos.example.com/payby/notify"}}';
const SIGN_A =
  'A/r9gdSoSUj65c1NoX++OG6jqLzfMvFrBLoaDtmBfeJGAmHQ3AdAIv95p1HvfejhNd+ObfL8FgIvalRZbihyasIFmNVER2sw0MMXpM4jMR7i5gADTPnkgLlSNyq80sCrXlKv7oT3LTZ0lv9mtIYpHJwpxjQEYuEfkopvoD8m5ZfUaup1RldPaJXzltDD07XhKQt9eM7brJzw3JgI3251LbBvqir7T/ctOBTDildiN8UZ7f1Kqs7ga/Y/t7bAoxSZUvgE2r4OoyKOLGnwqM191fWi8j2+dZxxyCYdzkedEniomPnm0YaiY/Cozefh4w3bXhXzKNXD+4A5/If1Q3j0Zw==';
// Spec §3 (b): notification body.
const BODY_B =
  '{"notify_timestamp":1735689660000,"notify_id":"202501010000000001","acquireOrder":{"merchantOrderNo":"KIOSK1-20250101-0001","orderNo":"131735689600000001","status":"PAID_SUCCESS","totalAmount":{"currency":"AED","amount":12.34},"paySceneCode":"QRPAY","revoked":"false"}}';
const SIGN_B =
  'ZQCna54IMWOCpRZlsHrv990gowlQPTNNowPI14CXu2VxpsSGuKCPF6C07XGbqH4P1xqBnyXyVnzYPzLPodrzQQfEmQA1j0b/smo6fRBSh1Xcw0XDf3awuwmbXTyMWbp+MzDrX6L45oloem/Go9NLWwlQKJba+xl9nVBPHCdbqjE/n3ispXbXhk1PO1JZnejISfR5U/QYYtkR/yyrgiq7gKaLTeuKpe0jBAGEFt9cer/KuKYtxtBeVrLXSfoRajTEavfQ5UgPUW33yVJskhFBdC+0yFQKfDCnRBFbqV+ogTjehL/HCSAGFeWpT9WMURfL8tKKHqQKM1BYQd1nuBZgdw==';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('PayBy signing — spec vectors', () => {
  it('(a) our envelope for the spec order is the spec bytes exactly', () => {
    const body = envelopeBody(
      {
        merchantOrderNo: 'KIOSK1-20250101-0001',
        subject: paybySubject('Kiosk sale'),
        totalAmount: toPayByAmount({ value: 1234, currency: 'AED' }),
        paySceneCode: 'QRPAY',
        paySceneParams: { authCode: '20007900T400690098F' },
        notifyUrl: 'https://pos.example.com/payby/notify',
        reserved: undefined,
      },
      1735689600000,
    );
    expect(body).toBe(BODY_A);
    expect(Buffer.byteLength(body)).toBe(282);
    expect(sha256(body)).toBe('85fd16f8a117751904a6f43f80a61d2b436e275f5af877ecb5f64f2a5bb36db4');
  });

  it('(a) sign reproduces the spec signature byte-for-byte and verifies', () => {
    expect(signBody(BODY_A, SPEC_PRIVATE)).toBe(SIGN_A);
    expect(signBody(Buffer.from(BODY_A, 'utf8'), loadPrivateKey(SPEC_PRIVATE))).toBe(SIGN_A);
    expect(verifyBody(BODY_A, SIGN_A, SPEC_PUBLIC)).toBe(true);
  });

  it('(a) changing 12.34 to 12.35 makes verification fail', () => {
    expect(verifyBody(BODY_A.replace('12.34', '12.35'), SIGN_A, SPEC_PUBLIC)).toBe(false);
    // Whitespace is part of the bytes: re-serialising after signing breaks the signature too.
    expect(verifyBody(JSON.stringify(JSON.parse(BODY_A), null, 1), SIGN_A, SPEC_PUBLIC)).toBe(false);
  });

  it('(b) notification vector: signature byte-for-byte, verified and parsed; tampering refused', () => {
    expect(sha256(BODY_B)).toBe('8f990e79428f7094c24033ad0d0b1017e422ba091ec65ad873ddd90690778bbd');
    expect(signBody(BODY_B, SPEC_PRIVATE)).toBe(SIGN_B);
    const ok = verifyPayByNotification(BODY_B, SIGN_B, SPEC_PUBLIC);
    expect(ok).toMatchObject({
      ok: true,
      notification: {
        notifyId: '202501010000000001',
        kind: 'payment',
        merchantOrderNo: 'KIOSK1-20250101-0001',
        orderNo: '131735689600000001',
        status: 'PAID_SUCCESS',
      },
    });
    expect(verifyPayByNotification(BODY_B.replace('PAID_SUCCESS', 'FAILURE'), SIGN_B, SPEC_PUBLIC).ok).toBe(false);
    expect(verifyPayByNotification(BODY_B, undefined, SPEC_PUBLIC).ok).toBe(false);
  });

  it('refuses malformed signatures and the wrong key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(verifyBody(BODY_A, SIGN_A, other.publicKey)).toBe(false);
    expect(verifyBody(BODY_A, '', SPEC_PUBLIC)).toBe(false);
    expect(verifyBody(BODY_A, undefined, SPEC_PUBLIC)).toBe(false);
    // Line breaks or URL-safe alphabet are not PayBy's standard base64.
    expect(verifyBody(BODY_A, `${SIGN_A.slice(0, 64)}\n${SIGN_A.slice(64)}`, SPEC_PUBLIC)).toBe(false);
    expect(verifyBody(BODY_A, SIGN_A.replace(/\+/g, '-').replace(/\//g, '_'), SPEC_PUBLIC)).toBe(false);
    const flipped = Buffer.from(SIGN_A, 'base64');
    flipped[10] ^= 1;
    expect(verifyBody(BODY_A, flipped.toString('base64'), SPEC_PUBLIC)).toBe(false);
  });
});

describe('PayBy key loading', () => {
  it('accepts PKCS#8 PEM, PKCS#1 PEM, bare base64 DER, and explanatory text before the PEM', () => {
    const pk = createPrivateKey(SPEC_PRIVATE);
    const pkcs1 = pk.export({ type: 'pkcs1', format: 'pem' }).toString();
    const bare = pk.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    for (const text of [SPEC_PRIVATE, pkcs1, bare, `DEMO ONLY\n${SPEC_PRIVATE}`])
      expect(signBody(BODY_A, loadPrivateKey(text))).toBe(SIGN_A);
    const barePub = loadPublicKey(SPEC_PUBLIC).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(verifyBody(BODY_A, SIGN_A, loadPublicKey(barePub))).toBe(true);
  });

  it('refuses a private key where the public key goes, non-RSA and short keys, and junk', () => {
    expect(() => loadPublicKey(SPEC_PRIVATE)).toThrow(/private key/);
    const ec = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => loadPrivateKey(ec.privateKey)).toThrow(/needs RSA/);
    expect(() => loadPublicKey(ec.publicKey)).toThrow(/needs RSA/);
    const small = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => loadPrivateKey(small.privateKey)).toThrow(/RSA-1024/);
    expect(() => loadPrivateKey('not a key')).toThrow(PayByKeyError);
    expect(() => loadPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(PayByKeyError);
  });

  it('loads PAYBY_PRIVATE_KEY_FILE / PAYBY_PUBLIC_KEY_FILE and names the variable when a file is missing', () => {
    const keys = loadPayByKeyFiles({ privateKeyFile: `${FIX}spec-vector-private.pem`, publicKeyFile: `${FIX}spec-vector-public.pem` });
    expect(signBody(BODY_A, keys.privateKeyPem)).toBe(SIGN_A);
    expect(verifyBody(BODY_A, SIGN_A, keys.platformPublicKeyPem)).toBe(true);
    expect(() => loadPayByKeyFiles({ privateKeyFile: `${FIX}nope.pem`, publicKeyFile: `${FIX}spec-vector-public.pem` })).toThrow(
      /PAYBY_PRIVATE_KEY_FILE=.*nope\.pem.*ENOENT/,
    );
    expect(() =>
      loadPayByKeyFiles({ privateKeyFile: `${FIX}spec-vector-private.pem`, publicKeyFile: `${FIX}spec-vector-private.pem` }),
    ).toThrow(/PAYBY_PUBLIC_KEY_FILE/);
  });

  it('the committed demo merchant pair is labelled DEMO ONLY and matches itself', () => {
    const priv = readFileSync(`sandbox/payby/demo-keys/demo-merchant-private.pem`, 'utf8');
    const pub = readFileSync(`sandbox/payby/demo-keys/demo-merchant-public.pem`, 'utf8');
    expect(priv.startsWith('DEMO ONLY')).toBe(true);
    expect(pub.startsWith('DEMO ONLY')).toBe(true);
    expect(verifyBody('x', signBody('x', priv), pub)).toBe(true);
    expect(verifyBody('x', signBody('x', priv), SPEC_PUBLIC)).toBe(false);
  });
});

describe('PayBy response signatures: exactly the documented codes may be unsigned', () => {
  const key = loadPublicKey(SPEC_PUBLIC);
  const env = (code: string, body?: object) =>
    Buffer.from(JSON.stringify({ head: { applyStatus: code === '0' ? 'SUCCESS' : 'FAIL', code, msg: 'x' }, ...(body ? { body } : {}) }));

  it('lists 400, 402, 403, 404, 500, 504, 601 and 58…', () => {
    expect([...UNSIGNED_CODES].sort()).toEqual(['400', '402', '403', '404', '500', '504', '601']);
    for (const c of [...UNSIGNED_CODES, '58001', '5800']) {
      expect(signatureRequired(c)).toBe(false);
      expect(checkResponseSignature(env(c), undefined, key)).toEqual({ ok: true, signed: false });
    }
  });

  it('requires a signature for success and every other code', () => {
    for (const c of ['0', '401', '501', '600', '62001', '62004', '62016', '92000', '158']) {
      expect(signatureRequired(c)).toBe(true);
      expect(checkResponseSignature(env(c), undefined, key)).toEqual({ ok: false, reason: 'missing_signature' });
    }
  });

  it('an unsigned code with a body, or a non-JSON body, still needs a signature', () => {
    expect(checkResponseSignature(env('500', { acquireOrder: { status: 'PAID_SUCCESS' } }), undefined, key).ok).toBe(false);
    expect(checkResponseSignature(Buffer.from('<html>500</html>'), undefined, key).ok).toBe(false);
  });

  it('a signed answer verifies over its raw bytes; a present but wrong sign is refused even on an unsigned code', () => {
    const raw = env('0', { acquireOrder: { status: 'CREATED' } });
    const sig = signBody(raw, SPEC_PRIVATE);
    expect(checkResponseSignature(raw, sig, key)).toEqual({ ok: true, signed: true });
    expect(checkResponseSignature(Buffer.from(raw.toString().replace('CREATED', 'PAID_SUCCESS')), sig, key)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(checkResponseSignature(env('500'), sig, key)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
