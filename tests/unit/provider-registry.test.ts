// The provider registry (issue 8): every provider is one module object that honours the same contract, the
// registry lists exactly the shared catalogue's names, and one generic POST /webhooks/:provider serves them
// all — unknown or unconfigured providers get a 404 with an error code, the wrong media type a 415, an
// unsigned notification a 401 for every provider alike.
import { generateKeyPairSync } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.ts';
import { PROVIDER_MODULES, providerModule, providerModules, type AnyProviderModule } from '../../server/providers/registry.ts';
import type { ProviderHost } from '../../server/providers/types.ts';
import { webhookRoutes } from '../../server/routes/webhooks.ts';
import type { Kiosk } from '../../server/routes/context.ts';
import { lazyRegistry } from '../../server/payments/adapters.ts';
import { sandbox } from '../../sandbox/index.ts';
import { signNotificationJwt } from '../../sandbox/centrapay/sign.ts';
import { PROVIDER_NAMES } from '../../src/shared/providers.ts';

/** A module's demo settings and context, built the way the server does with PORT=0: the simulator's URL is
 *  known only once `listening`. */
function demoContext(m: AnyProviderModule, listening = false): unknown {
  const demo = sandbox.demo[m.name];
  const settings = m.loadSettings({}, { demo: true, sandbox: demo, selfUrl: () => null });
  const host: ProviderHost<unknown> = {
    publicUrl: () => 'http://127.0.0.1:9',
    notifyUrl: () => `http://127.0.0.1:9/webhooks/${m.name}`,
    selfUrl: (path) => (listening ? `http://127.0.0.1:9${path}` : null),
    sandbox: demo,
  };
  return m.createContext(settings, host);
}

describe('the registry', () => {
  it('lists exactly the shared catalogue of provider names, once each, in its order', () => {
    const names = PROVIDER_MODULES.map((m) => m.name);
    expect(names).toEqual([...PROVIDER_NAMES]);
    expect(new Set(names).size).toBe(names.length);
    for (const name of PROVIDER_NAMES) expect(providerModule(name)?.name).toBe(name);
    expect(providerModule('stripe')).toBeUndefined();
  });

  for (const m of providerModules) {
    describe(m.name, () => {
      it('satisfies the module contract: variables, loaders, adapter, webhook parser and acknowledgement', () => {
        expect(m.variables.length).toBeGreaterThan(0);
        for (const v of m.variables) expect(v).toMatch(new RegExp(`^${m.name.toUpperCase()}_[A-Z0-9_]+$`));
        for (const k of ['loadSettings', 'createContext', 'createAdapter', 'parseWebhook'] as const) expect(typeof m[k]).toBe('function');
        expect(m.webhookMediaType).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
        expect(m.webhookAck.status).toBeGreaterThanOrEqual(200);
        expect(m.webhookAck.status).toBeLessThan(300);
        expect(m.webhookAck.contentType).not.toBe('');
        expect(m.webhookAck.body).not.toBe('');
      });

      it('declares the keys that carry a customer payment code (stored and logged only masked)', () => {
        expect(m.paymentCodeFields.length).toBeGreaterThan(0);
        for (const f of m.paymentCodeFields) expect(f).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      });

      it('is off in production without its variables, and refuses to half-start naming what is missing', () => {
        expect(m.loadSettings({}, { demo: false })).toBeNull();
        const [first, ...rest] = m.variables;
        let message = 'no error';
        try {
          m.loadSettings({ [first]: first.endsWith('_URL') ? 'https://provider.example' : 'x' }, { demo: false });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          message = (err as Error).message;
        }
        for (const v of rest) expect(message).toContain(v);
      });

      it('in demo mode builds its adapter only once the simulator’s URL is known (after listen)', () => {
        expect(m.createAdapter(demoContext(m, false))).toBeUndefined();
        expect(m.createAdapter(demoContext(m, true))?.name).toBe(m.name);
      });

      it('refuses an unsigned notification as unproven (401), before reading it', async () => {
        const body = m.webhookMediaType === 'application/json' ? '{"id":"x"}' : 'transactionNo=1&status=success';
        const r = await m.parseWebhook(Buffer.from(body), {}, demoContext(m));
        expect(r).toMatchObject({ ok: false, status: 401 });
      });
    });
  }

  it('acknowledges each provider exactly as its spec asks', () => {
    const acks = Object.fromEntries(PROVIDER_MODULES.map((m) => [m.name, m.webhookAck]));
    expect(acks).toEqual({
      pockyt: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' },
      centrapay: { status: 200, contentType: 'application/json; charset=utf-8', body: '{"received":true}' },
      payby: { status: 200, contentType: 'application/json; charset=UTF-8', body: '{"response":"SUCCESS"}' },
    });
  });
});

describe('POST /webhooks/:provider', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  /** The route alone, with `configured` providers active (no store: nothing here gets past verification).
   *  `listening`: the simulators' URLs are known — on port 9, where nothing answers. */
  async function routeWith(configured: string[], listening = false): Promise<FastifyInstance> {
    app = Fastify({ logger: false });
    app.decorate('kiosk', {} as Kiosk);
    const active = new Map(
      configured.map((name) => {
        const module = providerModule(name)!;
        return [name, { module, context: demoContext(module, listening) }];
      }),
    );
    await app.register(webhookRoutes, {
      prefix: '/webhooks',
      providers: { adapters: lazyRegistry({}), active: (name) => active.get(name) },
    });
    return app;
  }

  it('answers 404 unknown_provider for a name the registry does not have', async () => {
    const r = await (
      await routeWith([...PROVIDER_NAMES])
    ).inject({ method: 'POST', url: '/webhooks/stripe', payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('unknown_provider');
  });

  it('answers 404 provider_not_configured for a provider this server has no settings for', async () => {
    const r = await (
      await routeWith(['pockyt'])
    ).inject({ method: 'POST', url: '/webhooks/payby', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('provider_not_configured');
  });

  it('refuses another media type than the provider’s with 415, and an unsigned one with 401, for every provider', async () => {
    const route = await routeWith([...PROVIDER_NAMES]);
    for (const m of providerModules) {
      const other = m.webhookMediaType === 'application/json' ? 'application/x-www-form-urlencoded' : 'application/json';
      const wrong = await route.inject({ method: 'POST', url: `/webhooks/${m.name}`, payload: 'a=b', headers: { 'content-type': other } });
      expect([m.name, wrong.statusCode, wrong.json().error.code]).toEqual([m.name, 415, 'unsupported_media_type']);
      const unsigned = await route.inject({
        method: 'POST',
        url: `/webhooks/${m.name}`,
        payload: m.webhookMediaType === 'application/json' ? '{"id":"x"}' : 'transactionNo=1&status=success',
        headers: { 'content-type': m.webhookMediaType },
      });
      expect([m.name, unsigned.statusCode, unsigned.json().error.code]).toEqual([m.name, 401, 'invalid_signature']);
    }
  });

  it('answers 503 cannot_verify (the provider retries) when the keys to check a signed notification cannot be fetched', async () => {
    const route = await routeWith(['centrapay'], true);
    const payload = '{"id":"ntf_1","type":"payment-request:paid","data":{"paymentRequestId":"r1"}}';
    const authorization = await signNotificationJwt({
      privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      kid: 'k1',
      audience: 'http://127.0.0.1:9',
      body: payload,
    });
    const r = await route.inject({
      method: 'POST',
      url: '/webhooks/centrapay',
      payload,
      headers: { 'content-type': 'application/json', authorization },
    });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('cannot_verify');
  });
});
