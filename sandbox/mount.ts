// Demo mode: the three provider sandboxes mounted on our own port (DESIGN §7), configured from SIM_* and
// the provider variables, and subscribed to our own webhooks so notifications take the production path.
import type { FastifyInstance } from 'fastify';
import type { ProviderName } from '../src/shared/payment.ts';
import type { Config } from '../server/config.ts';
import { centrapaySimulator } from './centrapay/plugin.ts';
import { paybySimulator } from './payby/plugin.ts';
import { pockytSimulator } from './pockyt/plugin.ts';
import type { StoreConfig } from '../server/store/store-config.ts';
import { publicUrlOf } from '../server/wiring/self-url.ts';

/** The name a simulator shows on the wallet page: the default store's if it uses that provider, else the
 *  first store that does. */
function storeNameFor(provider: ProviderName, config: Config, stores: Map<string, StoreConfig>): string | undefined {
  const uses = (s: StoreConfig) => Object.values(s.routing).includes(provider) || s.mpm.some((o) => o.provider === provider);
  const preferred = stores.get(config.storeId);
  if (preferred && uses(preferred)) return preferred.name;
  return [...stores.values()].find(uses)?.name;
}

/** Origin phones should open merchant-QR links on; undefined = the origin the API was called on. */
function phoneOrigin(config: Config): string | undefined {
  try {
    const u = new URL(config.publicUrl);
    return u.port === '0' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

export async function registerSimulators(
  app: FastifyInstance, config: Config, stores: Map<string, StoreConfig>,
  opts: { paybyPlatformPrivateKeyPem: string; centrapayAudience: () => string },
): Promise<void> {
  const { pockyt, centrapay, payby, sim } = config;
  if (pockyt) {
    await app.register(pockytSimulator, {
      prefix: '/sim/pockyt',
      merchantNo: pockyt.merchantNo, storeNo: pockyt.storeNo, token: pockyt.token,
      pendingMs: sim.pockyt.pendingMs, slowMs: sim.pockyt.slowMs, codeTtlMs: sim.pockyt.codeTtlMs,
      ipnRetryScheduleMs: sim.pockyt.ipnScheduleMs,
      storeName: storeNameFor('pockyt', config, stores),
    });
  }
  if (centrapay) {
    const c = sim.centrapay;
    await app.register(centrapaySimulator, {
      prefix: '/sim/centrapay',
      apiKey: centrapay.apiKey, configId: centrapay.configId,
      ...(centrapay.merchantAccountId ? { accountId: centrapay.merchantAccountId } : {}),
      merchantName: storeNameFor('centrapay', config, stores),
      luhnCheck: c.luhnCheck, codeTtlMs: c.codeTtlMs, pendingMs: c.pendingMs, secondMs: c.secondMs,
      rateLimit: c.rateLimit, rateWindowMs: c.rateWindowMs, notifyRetryScheduleMs: c.notifyScheduleMs,
      signingKeyPem: c.signingKeyPem, signingKid: c.signingKid, payUrlBase: phoneOrigin(config),
      // Centrapay has no per-request notify URL: the subscription ("set up by support") is our webhook,
      // read at each notification because the port is only known after listen.
      webhook: () => ({ url: `${publicUrlOf(app, config)}/webhooks/centrapay`, audience: opts.centrapayAudience() }),
    });
  }
  if (payby && sim.payby.merchantPublicKeyPem) {
    const p = sim.payby;
    await app.register(paybySimulator, {
      prefix: '/sim/payby',
      partnerId: payby.partnerId, merchantPublicKeyPem: p.merchantPublicKeyPem!, platformPrivateKeyPem: opts.paybyPlatformPrivateKeyPem,
      pendingMs: p.pendingMs, slowMs: p.slowMs, codeTtlMs: p.codeTtlMs, tokenTtlMs: p.tokenTtlMs,
      refundCompleteMs: p.refundCompleteMs, notifyRetryScheduleMs: p.notifyScheduleMs,
      storeName: storeNameFor('payby', config, stores),
    });
  }
}
