// Centrapay as one plug-in (spec providers/centrapay.md): settings, adapter, JWT-signed webhook intake
// (keys from Centrapay's JWKS) and its ack.
import { CENTRAPAY_POLLING } from './polling.ts';
import { ProviderError, type ProviderHost, type ProviderModule } from '../types.ts';
import { createCentrapayAdapter } from './adapter.ts';
import { listCentrapayTransactions } from './list.ts';
import {
  CENTRAPAY_VARIABLES,
  JWKS_PATH,
  loadCentrapaySettings,
  webhookAudience,
  type CentrapayDemo,
  type CentrapaySettings,
} from './config.ts';
import { centrapayKeys } from './jwks.ts';
import type { KeyResolver } from './token.ts';
import { CENTRAPAY_WEBHOOK_ACK, parseCentrapayWebhook } from './webhook.ts';

interface CentrapayContext {
  settings: CentrapaySettings;
  host: ProviderHost<CentrapayDemo>;
  /** One key cache per app: the JWKS is downloaded once and shared by every notification. */
  keys: KeyResolver;
}

/** A configured URL, or (demo) the sandbox's simulator under `path` on our own port once we listen. */
function selfOr(configured: string | null, host: ProviderHost<CentrapayDemo>, path: string): string | null {
  return configured ?? (host.sandbox ? host.selfUrl(`${host.sandbox.path}${path}`) : null);
}

export const centrapay = {
  name: 'centrapay',
  variables: CENTRAPAY_VARIABLES,
  loadSettings: loadCentrapaySettings,
  createContext: (settings, host) => ({
    settings,
    host,
    keys: centrapayKeys({ url: () => selfOr(settings.jwksUrl, host, JWKS_PATH), minRefreshMs: settings.jwksMinRefreshMs }),
  }),
  createAdapter({ settings: s, host }) {
    const baseUrl = selfOr(s.baseUrl, host, '');
    if (!baseUrl) return undefined;
    return createCentrapayAdapter({
      baseUrl,
      apiKey: s.apiKey,
      configId: s.configId,
      timeoutMs: s.timeoutMs,
      confirmWindowMs: s.confirmWindowMs,
      notifyUrl: host.notifyUrl(),
      merchantTerminalId: s.terminalId,
      merchantAccountId: s.merchantAccountId,
      observer: host.httpObserver,
    });
  },
  webhookMediaType: 'application/json',
  parseWebhook: (rawBody, headers, { settings, host, keys }) =>
    parseCentrapayWebhook(rawBody, headers.authorization, keys, webhookAudience(settings, host.publicUrl)),
  webhookAck: CENTRAPAY_WEBHOOK_ACK,
  polling: CENTRAPAY_POLLING,
  // The scanned patron code: sent on create (§5.1) and echoed in every payment request we read back (§4).
  paymentCodeFields: ['barcode'],
  async listTransactions({ settings: s, host }, q) {
    const baseUrl = selfOr(s.baseUrl, host, '');
    if (!baseUrl) throw new ProviderError('not_ready', 'Centrapay is not reachable yet', { outcomeUnknown: false });
    return listCentrapayTransactions(
      { baseUrl, apiKey: s.apiKey, timeoutMs: s.timeoutMs, merchantId: s.merchantId, observer: host.httpObserver },
      q,
    );
  },
} satisfies ProviderModule<CentrapaySettings, CentrapayContext, CentrapayDemo>;
