// The PayBy adapter against the real simulator over HTTP when things go wrong: tampered or unsigned answers,
// the documented unsigned codes, our own bad signature, transport faults, expiry and a skewed requestTime.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayByAdapter, type PayByAdapter } from '../../server/providers/payby/adapter.ts';
import { PayByKeyError } from '../../server/providers/payby/signing.ts';
import { startPayBySimulator, type RunningPayBySimulator } from '../../sandbox/payby/standalone.ts';
import { aed, caughtProviderError as caught, paybyConfig as config, simControl as control } from './helpers/payby.ts';

let sim: RunningPayBySimulator;
let adapter: PayByAdapter;
let seq = 0;
const ref = () => `PB-${Date.now()}-${++seq}`;

const fault = (body: object) => control(sim, '/faults', 'POST', body);

beforeAll(async () => {
  sim = await startPayBySimulator({ pendingMs: 150, slowMs: 4000, codeTtlMs: 5000, refundCompleteMs: 100 });
  adapter = createPayByAdapter(config(sim));
});
afterAll(() => sim.close());

describe('PayBy adapter ↔ simulator: signatures, unsigned codes, transport faults', () => {
  it('a tampered answer (unpaid made to look paid) is not trusted: outcome unknown, then query tells the truth', async () => {
    const { json: code } = await control(sim, '/codes', 'POST', {});
    const reference = ref();
    await fault({ path: '/acquire2/placeOrder', kind: 'tamper' });
    const err = await caught(adapter.chargeCode({ reference, amount: aed(800), code: code.code, vendor: 'payby' }));
    expect(err).toMatchObject({ code: 'bad_signature', outcomeUnknown: true });
    expect((await adapter.query({ reference }))?.status).toBe('pending');

    await fault({ path: '/acquire2/getOrder', kind: 'tamper' });
    expect(await caught(adapter.query({ reference }))).toMatchObject({ code: 'bad_signature', outcomeUnknown: true });
  });

  it('an answer signed by another key, or with its sign stripped, is not trusted either', async () => {
    const reference = ref();
    await adapter.chargeCode({ reference, amount: aed(800), code: 'OK0000000005', vendor: 'payby' });
    await fault({ path: '/acquire2/getOrder', kind: 'wrong_key' });
    expect(await caught(adapter.query({ reference }))).toMatchObject({ code: 'bad_signature', outcomeUnknown: true });
    await fault({ path: '/acquire2/getOrder', kind: 'strip_sign' });
    expect(await caught(adapter.query({ reference }))).toMatchObject({ code: 'bad_signature', outcomeUnknown: true });
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');
  });

  it('documented unsigned codes are accepted: 504 after commit → unknown, query finds it; 402 before → refused, nothing created', async () => {
    const reference = ref();
    await fault({ path: '/acquire2/placeOrder', kind: 'code', code: '504', phase: 'after' });
    expect(await caught(adapter.chargeCode({ reference, amount: aed(999), code: 'OK0000000006', vendor: 'payby' }))).toMatchObject({
      code: 'payby_504',
      outcomeUnknown: true,
    });
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');

    const other = ref();
    await fault({ path: '/acquire2/placeOrder', kind: 'code', code: '402', phase: 'before' });
    expect(await caught(adapter.chargeCode({ reference: other, amount: aed(999), code: 'OK0000000006', vendor: 'payby' }))).toMatchObject({
      code: 'payby_402',
      outcomeUnknown: false,
    });
    expect(await adapter.query({ reference: other })).toBeNull();
  });

  it('a signed error code (62039 REVOKE_FAILURE) is verified and leaves the outcome unknown', async () => {
    const reference = ref();
    await adapter.chargeCode({ reference, amount: aed(999), code: 'OK0000000007', vendor: 'payby' });
    await fault({ path: '/acquire2/revokeOrder', kind: 'code', code: '62039', phase: 'before' });
    expect(await caught(adapter.revoke({ reference }))).toMatchObject({ code: 'payby_62039', outcomeUnknown: true });
    expect((await adapter.revoke({ reference })).status).toBe('reversed');
  });

  it('our request signed with a key PayBy does not know → refused (applyStatus ERROR), nothing created', async () => {
    const stranger = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrong = createPayByAdapter(config(sim, { privateKeyPem: stranger.privateKey }));
    const reference = ref();
    expect(await caught(wrong.chargeCode({ reference, amount: aed(100), code: 'OK0000000008', vendor: 'payby' }))).toMatchObject({
      code: 'payby_sign_rejected',
      outcomeUnknown: false,
    });
    expect(await adapter.query({ reference })).toBeNull();
  });

  it('HTTP 500 and a dropped connection → outcome unknown; nothing listening → not sent', async () => {
    await fault({ path: '/acquire2/getOrder', kind: 'http500' });
    expect(await caught(adapter.query({ reference: ref() }))).toMatchObject({ code: 'payby_http_5xx', outcomeUnknown: true });
    await fault({ path: '/acquire2/placeOrder', kind: 'drop', phase: 'after' });
    const reference = ref();
    // The drop must be what ends the call: the shared adapter's 400 ms placeOrder timeout can fire first on a
    // loaded machine (RSA signing both ways), which is a different verdict (payby_timeout).
    const patient = createPayByAdapter(config(sim, { placeOrderTimeoutMs: 15_000, timeoutMs: 15_000 }));
    expect(await caught(patient.chargeCode({ reference, amount: aed(100), code: 'OK0000000009', vendor: 'payby' }))).toMatchObject({
      code: 'payby_network',
      outcomeUnknown: true,
    });
    expect((await adapter.query({ reference }))?.status).toBe('succeeded');
    const dead = createPayByAdapter(config(sim, { baseUrl: 'http://127.0.0.1:9/sgs/api' }));
    expect(await caught(dead.query({ reference }))).toMatchObject({ outcomeUnknown: false });
  });

  it('an HTTP 4xx from the gateway (wrong base path) → refused, not a verdict', async () => {
    const lost = createPayByAdapter(config(sim, { baseUrl: `${sim.simUrl}/wrong` }));
    expect(await caught(lost.chargeCode({ reference: ref(), amount: aed(100), code: 'OK0000000001', vendor: 'payby' }))).toMatchObject({
      code: 'payby_http_4xx',
      outcomeUnknown: false,
    });
  });

  it('bad key material fails when the adapter is built, not at the first sale', () => {
    expect(() => createPayByAdapter(config(sim, { privateKeyPem: sim.platformPublicKeyPem }))).toThrow(PayByKeyError);
    expect(() => createPayByAdapter(config(sim, { platformPublicKeyPem: sim.merchantPrivateKeyPem }))).toThrow(/private key/);
  });
});

describe('PayBy adapter ↔ simulator with a moved clock: expiry and the requestTime window', () => {
  let clockSim: RunningPayBySimulator;
  let a: PayByAdapter;
  beforeAll(async () => {
    clockSim = await startPayBySimulator({});
    a = createPayByAdapter(config(clockSim, { confirmWindowMs: 60_000 }));
  });
  afterAll(() => clockSim.close());

  it('an unpaid DYNQR order past its expiredTime → expired, and its QR no longer pays', async () => {
    const reference = ref();
    const v = await a.createQr!({ reference, amount: aed(1800), notifyUrl: 'http://127.0.0.1:9/none' });
    expect(v.status).toBe('pending');
    await control(clockSim, '/clock', 'POST', { advanceMs: 61_000 });
    expect((await a.query({ reference }))?.status).toBe('expired');
    expect((await control(clockSim, `/orders/${reference}/pay`, 'POST')).status).toBe(409);
    // Cancelling an expired order (the kiosk's "New code") is harmless.
    expect((await a.cancel({ reference })).status).toBe('expired');
  });

  it('a requestTime more than 15 minutes off PayBy’s clock is refused (unsigned 400), nothing created', async () => {
    await control(clockSim, '/clock', 'POST', { advanceMs: 16 * 60_000 });
    const reference = ref();
    const err = await caught(a.chargeCode({ reference, amount: aed(100), code: 'OK0000000001', vendor: 'payby' }));
    expect(err).toMatchObject({ code: 'payby_400', outcomeUnknown: false });
    expect(err.message).toMatch(/REQUESTTIME_TOO_EARLY/);
    expect((await control(clockSim, `/orders/${reference}`)).status).toBe(404);
  });
});
