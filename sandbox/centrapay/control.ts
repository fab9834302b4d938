// Control surface (JSON) for the wallet page and tests: mint patron codes, approve/decline a CPM request
// as the patron, pay a merchant QR, inject faults, point webhooks somewhere. Not part of Centrapay's
// protocol; lives under <prefix>/control/ (and the QR landing page under <prefix>/pay/).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerCallFaultRoutes } from '../common/fault-routes.ts';
import { registerNotificationFaultRoutes } from '../common/notify-fault-routes.ts';
import type { SimLedgerEntry } from '../common/ledger.ts';
import type { SimContext } from './context.ts';
import { createSimSigner } from './keys.ts';
import type { SimRequest } from './ledger.ts';
import { origin } from './route.ts';
import { controlView } from './views.ts';

function error(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

export function registerControlRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { ledger } = ctx;

  app.post('/control/codes', async () => {
    const pc = ledger.issueCode(ctx.codeTtlMs);
    return { code: pc.code, vendor: 'centrapay', expiresAt: new Date(pc.expiresAt).toISOString() };
  });

  app.get<{ Params: { code: string } }>('/control/codes/:code', async (req, reply) => {
    const pc = ledger.patronCode(req.params.code);
    if (!pc) return error(reply, 404, 'unknown_code', 'This simulator did not issue that code');
    const r = pc.requestId ? ledger.find(pc.requestId) : undefined;
    return {
      code: pc.code,
      vendor: 'centrapay',
      expiresAt: new Date(pc.expiresAt).toISOString(),
      state: ledger.codeState(pc),
      request: r ? controlView(r, ctx, origin(req)) : undefined,
    };
  });

  app.get<{ Params: { id: string } }>('/control/requests/:id', async (req, reply) => {
    const r = ledger.find(req.params.id);
    return r ? controlView(r, ctx, origin(req)) : error(reply, 404, 'unknown_request', 'No such payment request');
  });

  // The patron, in the Centrapay app: approve or decline a request made from their code; or pay a merchant
  // QR they scanned. 409 unless the request is waiting for exactly that.
  const patronAction = (action: 'approve' | 'decline' | 'pay', mode: SimRequest['mode']) =>
    app.post<{ Params: { id: string } }>(`/control/requests/:id/${action}`, async (req, reply) => {
      const r = ledger.find(req.params.id);
      if (!r) return error(reply, 404, 'unknown_request', 'No such payment request');
      if (r.mode !== mode || r.status !== 'new') {
        return error(
          reply,
          409,
          'not_waiting',
          `Only a new ${mode === 'cpm' ? 'patron-code' : 'merchant-QR'} request can be ${action}d (this one is ${r.mode}/${r.status})`,
        );
      }
      if (action !== 'decline' && r.conditions.some((c) => c.status === 'awaiting-merchant')) {
        return error(reply, 409, 'awaiting_merchant', 'The merchant must accept the condition (e.g. photo ID) first');
      }
      if (action === 'decline') ledger.cancel(r, 'DECLINED_BY_PATRON');
      else ledger.pay(r);
      return controlView(r, ctx, origin(req));
    });
  patronAction('approve', 'cpm');
  patronAction('decline', 'cpm');
  patronAction('pay', 'mpm');

  app.get('/control/ledger', async (): Promise<{ items: SimLedgerEntry[] }> => ({
    items: [...ledger.requests.values()]
      .map((r) => ledger.refresh(r))
      .map((r) => ({
        providerRef: r.id,
        reference: r.refs.externalRef ?? null,
        mode: r.mode,
        status: r.status,
        amountMinor: r.valueMinor,
        currency: r.currency,
        captured: r.paidAt !== undefined,
        refundedMinor: ledger.refundedMinor(r),
        createdAt: new Date(r.createdAt).toISOString(),
      })),
  }));

  // Faults on our outgoing notifications (duplicate/delay/drop/reorder); README lists them.
  registerNotificationFaultRoutes(app, ctx.timers);
  registerCallFaultRoutes(app, ctx.faults, ctx.timers);

  // The webhook subscription (at Centrapay: set up by support). {url: null} unsubscribes.
  app.get('/control/webhook', async () => ({ webhook: ctx.webhook.current ?? null, jwks: ctx.signer.jwks() }));
  app.put('/control/webhook', async (req, reply) => {
    const b = req.body as { url?: unknown; audience?: unknown } | undefined;
    if (b?.url === null) {
      ctx.webhook.current = undefined;
      return { webhook: null };
    }
    try {
      if (typeof b?.url !== 'string') throw new Error('url');
      const u = new URL(b.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      if (b?.audience !== undefined && typeof b.audience !== 'string') throw new Error('audience');
      ctx.webhook.current = { url: u.href, audience: b?.audience };
      return { webhook: ctx.webhook.current };
    } catch {
      return error(reply, 400, 'invalid_webhook', 'url must be an http(s) URL; audience, if given, a string');
    }
  });

  // Key rotation ("keys rotate without notice", spec §10): later notifications are signed with the new key
  // and the JWKS publishes only it. Body {privateKeyPem?, kid?}; empty = a fresh key.
  app.post('/control/signing-key', async (req, reply) => {
    const b = (req.body ?? {}) as { privateKeyPem?: unknown; kid?: unknown };
    if (
      (b.privateKeyPem !== undefined && typeof b.privateKeyPem !== 'string') ||
      (b.kid !== undefined && (typeof b.kid !== 'string' || b.kid === ''))
    ) {
      return error(reply, 400, 'invalid_key', 'privateKeyPem and kid, if given, must be strings');
    }
    try {
      ctx.signer = await createSimSigner({ privateKeyPem: b.privateKeyPem, kid: b.kid });
    } catch {
      return error(reply, 400, 'invalid_key', 'privateKeyPem must be a P-256 private key (PKCS#8 PEM)');
    }
    return { kid: ctx.signer.kid, jwks: ctx.signer.jwks() };
  });

  // The pay `url` target: a phone camera opening it lands on the demo wallet, which offers to pay it.
  app.get<{ Params: { id: string } }>('/pay/:id', async (req, reply) => {
    const r = ledger.find(req.params.id);
    if (!r) return error(reply, 404, 'unknown_request', 'No such payment request');
    return reply.redirect(`/wallet?qr=${encodeURIComponent(controlView(r, ctx, origin(req)).url as string)}`);
  });
}
