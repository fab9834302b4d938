// One adapter per configured provider, built on first use: in demo mode they point at our own simulators on
// whatever port the server ended up listening on. Notify URLs are PUBLIC_URL + /webhooks/<provider>.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { lazyRegistry, type AdapterRegistry } from '../payments/adapters.ts';
import { createCentrapayAdapter } from '../providers/centrapay/adapter.ts';
import { createPayByAdapter } from '../providers/payby/adapter.ts';
import { createPockytAdapter } from '../providers/pockyt/adapter.ts';
import { publicUrlOf, resolveSelf } from './self-url.ts';

export function buildAdapters(app: FastifyInstance, config: Config, paybyPlatformPublicKeyPem: string | null): AdapterRegistry {
  const { pockyt, centrapay, payby } = config;
  const notify = (provider: string) => `${publicUrlOf(app, config)}/webhooks/${provider}`;
  return lazyRegistry({
    ...(pockyt ? {
      pockyt: () => {
        const baseUrl = resolveSelf(app, config, pockyt.baseUrl, '/sim/pockyt');
        if (!baseUrl) return undefined;
        return createPockytAdapter({
          baseUrl, merchantNo: pockyt.merchantNo, storeNo: pockyt.storeNo, token: pockyt.token,
          timeoutMs: pockyt.timeoutMs, prepayTimeoutMs: pockyt.prepayTimeoutMs, confirmWindowMs: pockyt.confirmWindowMs,
          // Pockyt notifies final statuses here (spec §10); the poller covers a proxy it cannot reach.
          ipnUrl: notify('pockyt'),
        });
      },
    } : {}),
    ...(centrapay ? {
      centrapay: () => {
        const baseUrl = resolveSelf(app, config, centrapay.baseUrl, '/sim/centrapay');
        if (!baseUrl) return undefined;
        return createCentrapayAdapter({
          baseUrl, apiKey: centrapay.apiKey, configId: centrapay.configId, timeoutMs: centrapay.timeoutMs,
          confirmWindowMs: centrapay.confirmWindowMs, notifyUrl: notify('centrapay'),
          merchantTerminalId: centrapay.terminalId, merchantAccountId: centrapay.merchantAccountId,
        });
      },
    } : {}),
    ...(payby ? {
      payby: () => {
        const baseUrl = resolveSelf(app, config, payby.baseUrl, '/sim/payby/sgs/api');
        const platformPublicKeyPem = payby.platformPublicKeyPem ?? paybyPlatformPublicKeyPem;
        if (!baseUrl || !platformPublicKeyPem) return undefined;
        return createPayByAdapter({
          baseUrl, partnerId: payby.partnerId, privateKeyPem: payby.privateKeyPem, platformPublicKeyPem,
          timeoutMs: payby.timeoutMs, placeOrderTimeoutMs: payby.placeOrderTimeoutMs, confirmWindowMs: payby.confirmWindowMs,
          notifyUrl: notify('payby'),
        });
      },
    } : {}),
  });
}
