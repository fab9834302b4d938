// PayBy as one plug-in (spec providers/payby.md): settings and key files, adapter, RSA-signed notification
// intake and its SUCCESS acknowledgement.
import { PAYBY_POLLING } from './polling.ts';
import type { KeyObject } from 'node:crypto';
import type { ProviderHost, ProviderModule } from '../types.ts';
import { createPayByAdapter } from './adapter.ts';
import { loadPayBySettings, PAYBY_VARIABLES, type PayByDemo, type PayBySettings } from './config.ts';
import { loadPublicKey } from './signing.ts';
import { parsePayByWebhook, PAYBY_WEBHOOK_ACK } from './webhook.ts';

interface PayByContext {
  settings: PayBySettings;
  host: ProviderHost<PayByDemo>;
  /** PayBy's key that signs its answers and notifications (demo: the simulator's). null: none known. */
  platformPublicKeyPem: string | null;
  platformPublicKey(): KeyObject | null;
}

function once<T>(f: () => T): () => T {
  let cached: { value: T } | null = null;
  return () => (cached ??= { value: f() }).value;
}

export const payby = {
  name: 'payby',
  variables: PAYBY_VARIABLES,
  loadSettings: loadPayBySettings,
  createContext(settings, host) {
    const pem = settings.platformPublicKeyPem ?? host.sandbox?.platformPublicKeyPem() ?? null;
    return {
      settings,
      host,
      platformPublicKeyPem: pem,
      platformPublicKey: once(() => (pem ? loadPublicKey(pem, 'PayBy platform public key') : null)),
    };
  },
  createAdapter({ settings: s, host, platformPublicKeyPem }) {
    const baseUrl = s.baseUrl ?? (host.sandbox ? host.selfUrl(host.sandbox.path) : null);
    if (!baseUrl || !platformPublicKeyPem) return undefined;
    return createPayByAdapter({
      baseUrl,
      partnerId: s.partnerId,
      privateKeyPem: s.privateKeyPem,
      platformPublicKeyPem,
      timeoutMs: s.timeoutMs,
      placeOrderTimeoutMs: s.placeOrderTimeoutMs,
      confirmWindowMs: s.confirmWindowMs,
      notifyUrl: host.notifyUrl(),
      observer: host.httpObserver,
    });
  },
  webhookMediaType: 'application/json',
  parseWebhook: async (rawBody, headers, ctx) => {
    const sign = Array.isArray(headers.sign) ? headers.sign[0] : headers.sign;
    return parsePayByWebhook(rawBody, sign, ctx.platformPublicKey());
  },
  webhookAck: PAYBY_WEBHOOK_ACK,
  polling: PAYBY_POLLING,
  // paySceneParams.authCode: sent on a QRPAY placeOrder and echoed in every acquireOrder — answers and
  // payment notifications alike (§5.1, §9).
  paymentCodeFields: ['authCode'],
} satisfies ProviderModule<PayBySettings, PayByContext, PayByDemo>;
