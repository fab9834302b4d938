// Pockyt as one plug-in (spec providers/pockyt.md): settings, adapter, signed IPN intake and its ack.
import { POCKYT_POLLING } from './polling.ts';
import { ProviderError, type ProviderHost, type ProviderModule } from '../types.ts';
import { createPockytAdapter } from './adapter.ts';
import { listPockytTransactions } from './list.ts';
import { loadPockytSettings, POCKYT_VARIABLES, type PockytDemo, type PockytSettings } from './config.ts';
import { parsePockytWebhook, POCKYT_WEBHOOK_ACK } from './webhook.ts';

interface PockytContext {
  settings: PockytSettings;
  host: ProviderHost<PockytDemo>;
}

/** Where Pockyt is: the configured URL, or (demo) the sandbox's simulator on our own port once we listen. */
function baseUrlOf({ settings: s, host }: PockytContext): string | null {
  return s.baseUrl ?? (host.sandbox ? host.selfUrl(host.sandbox.path) : null);
}

export const pockyt = {
  name: 'pockyt',
  variables: POCKYT_VARIABLES,
  loadSettings: loadPockytSettings,
  createContext: (settings, host) => ({ settings, host }),
  createAdapter(ctx) {
    const { settings: s, host } = ctx;
    const baseUrl = baseUrlOf(ctx);
    if (!baseUrl) return undefined;
    return createPockytAdapter({
      baseUrl,
      merchantNo: s.merchantNo,
      storeNo: s.storeNo,
      token: s.token,
      timeoutMs: s.timeoutMs,
      prepayTimeoutMs: s.prepayTimeoutMs,
      confirmWindowMs: s.confirmWindowMs,
      // Pockyt notifies final statuses here (spec §10); the poller covers a proxy it cannot reach.
      ipnUrl: host.notifyUrl(),
      observer: host.httpObserver,
    });
  },
  webhookMediaType: 'application/x-www-form-urlencoded',
  parseWebhook: async (rawBody, _headers, { settings }) => parsePockytWebhook(rawBody, settings.token),
  webhookAck: POCKYT_WEBHOOK_ACK,
  polling: POCKYT_POLLING,
  // Sent on prepay (§6.2). Pockyt's answers and IPNs are not documented to echo it; masked should one ever do.
  paymentCodeFields: ['paymentBarcode'],
  async listTransactions(ctx, q) {
    const baseUrl = baseUrlOf(ctx);
    if (!baseUrl) throw new ProviderError('not_ready', 'Pockyt is not reachable yet', { outcomeUnknown: false });
    const s = ctx.settings;
    return listPockytTransactions(
      { baseUrl, merchantNo: s.merchantNo, storeNo: s.storeNo, token: s.token, timeoutMs: s.timeoutMs, observer: ctx.host.httpObserver },
      q,
    );
  },
} satisfies ProviderModule<PockytSettings, PockytContext, PockytDemo>;
