// Control surface (JSON) for the wallet page and tests: mint authCodes, approve/decline a waiting QRPAY order,
// pay a DYNQR order, settle, re-send a notification, move the clock, inject faults. Not PayBy's protocol;
// lives under <prefix>/control/ (plus the tokenUrl landing page <prefix>/pay/:token).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerCallFaultRoutes } from '../common/fault-routes.ts';
import { registerNotificationFaultRoutes } from '../common/notify-fault-routes.ts';
import type { SimLedgerEntry } from '../common/ledger.ts';
import type { SimContext } from './context.ts';
import type { SimOrder } from './ledger.ts';
import { obj } from './protocol.ts';
import { controlView } from './views.ts';

function error(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** Control bodies arrive as raw bytes (the plugin keeps request bodies raw for signature checks). */
function json(body: unknown): Record<string, unknown> | undefined | null {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    return obj(JSON.parse(body.toString('utf8'))) ?? null;
  } catch {
    return null;
  }
}

export function registerControlRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { ledger } = ctx;
  const view = (o: SimOrder) => controlView(o, ctx.storeName);
  // Either id works: our merchantOrderNo or PayBy's orderNo.
  const findOrder = (id: string) => ledger.find({ orderNo: id }) ?? ledger.find({ merchantOrderNo: id });

  app.post('/control/codes', async (req, reply) => {
    if (json(req.body) === null) return error(reply, 400, 'invalid_json', 'body must be a JSON object (or empty)');
    const ac = ledger.issueCode(ctx.codeTtlMs);
    return { code: ac.code, vendor: 'payby', expiresAt: new Date(ac.expiresAt).toISOString() };
  });

  app.get<{ Params: { code: string } }>('/control/codes/:code', async (req, reply) => {
    const ac = ledger.authCode(req.params.code);
    if (!ac) return error(reply, 404, 'unknown_code', 'This simulator did not issue that code');
    const order = ac.orderNo ? ledger.find({ orderNo: ac.orderNo }) : undefined;
    return {
      code: ac.code,
      vendor: 'payby',
      expiresAt: new Date(ac.expiresAt).toISOString(),
      state: ledger.codeState(ac),
      transaction: order ? view(order) : undefined,
    };
  });

  app.get<{ Params: { id: string } }>('/control/orders/:id', async (req, reply) => {
    const o = findOrder(req.params.id);
    return o ? view(o) : error(reply, 404, 'unknown_order', 'No such order');
  });

  app.get<{ Params: { token: string } }>('/control/tokens/:token', async (req, reply) => {
    const o = ledger.byTokenOf(req.params.token);
    if (!o) return error(reply, 404, 'unknown_token', 'This is not a PayBy QR from this simulator (TOKEN_URL_NOT_EXIST)');
    if ((o.tokenExpiresAt ?? 0) <= ctx.clock.now()) return error(reply, 410, 'token_expired', 'This PayBy QR has expired');
    return view(o);
  });

  type Act = 'approve' | 'decline' | 'pay' | 'settle';
  const act = (o: SimOrder, action: Act): string | null => {
    if (action === 'settle')
      return ledger.setStatus(o, 'SETTLED') ? null : `Only a PAID_SUCCESS order can settle (this one is ${o.status})`;
    if (o.status !== 'CREATED') return `Order is ${o.status}, not waiting for the payer`;
    if (action === 'approve' && o.paySceneCode !== 'QRPAY')
      return 'approve is for scanned customer codes (QRPAY); use pay for a DYNQR order';
    if (action === 'pay' && o.paySceneCode !== 'DYNQR') return 'pay is for merchant QR orders (DYNQR); use approve for QRPAY';
    if (action === 'decline') {
      // A DYNQR payer may try again unless the order is one-time (spec §5.1 oneTimePayment).
      if (o.paySceneCode === 'DYNQR' && o.paySceneParams.oneTimePayment !== 'true') o.declinedAttempts++;
      else ledger.setStatus(o, 'FAILURE', { failCode: 'PAYER_DECLINED', failDes: 'PAYER_DECLINED' });
      return null;
    }
    ledger.setStatus(o, 'PAID_SUCCESS');
    return null;
  };
  for (const action of ['approve', 'decline', 'pay', 'settle'] as const) {
    app.post<{ Params: { id: string } }>(`/control/orders/:id/${action}`, async (req, reply) => {
      const o = findOrder(req.params.id);
      if (!o) return error(reply, 404, 'unknown_order', 'No such order');
      const refusal = act(o, action);
      return refusal ? error(reply, 409, 'not_allowed', refusal) : view(o);
    });
  }

  app.post<{ Params: { id: string } }>('/control/orders/:id/notify', async (req, reply) => {
    const o = findOrder(req.params.id);
    if (!o) return error(reply, 404, 'unknown_order', 'No such order');
    const log = ctx.notifier.resend(o);
    return log ?? error(reply, 409, 'nothing_to_resend', 'This order has sent no notification yet');
  });

  app.get('/control/clock', async () => ({ now: new Date(ctx.clock.now()).toISOString(), offsetMs: ctx.clock.offset }));
  app.post('/control/clock', async (req, reply) => {
    const advanceMs = json(req.body)?.advanceMs;
    if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0 || advanceMs > 30 * 24 * 3_600_000) {
      return error(reply, 400, 'invalid_advance', 'advanceMs must be a number of milliseconds, 0 .. 30 days');
    }
    ctx.clock.advance(advanceMs);
    ledger.sweep();
    return { now: new Date(ctx.clock.now()).toISOString(), offsetMs: ctx.clock.offset };
  });

  app.get('/control/ledger', async (): Promise<{ items: SimLedgerEntry[] }> => ({
    items: [...ledger.orders.values()].map((o) => ({
      providerRef: o.orderNo,
      reference: o.merchantOrderNo,
      mode: o.paySceneCode === 'DYNQR' ? ('mpm' as const) : ('cpm' as const),
      status: o.revoked ? `${o.status}+revoked` : o.status,
      amountMinor: o.amountMinor,
      currency: 'AED',
      captured: o.paidTime !== undefined,
      refundedMinor: o.refunds.filter((r) => r.status !== 'FAILURE').reduce((sum, r) => sum + r.amountMinor, 0),
      createdAt: new Date(o.requestTime).toISOString(),
    })),
  }));

  // Faults on our outgoing notifications (duplicate/delay/drop/reorder); README lists them.
  registerNotificationFaultRoutes(app, ctx.timers, json);
  registerCallFaultRoutes(app, ctx.faults, ctx.timers, json);

  // Public by nature (PayBy publishes it to the merchant): lets a standalone simulator be wired to an adapter.
  app.get('/control/platform-key', async (_req, reply) => reply.type('application/x-pem-file').send(ctx.platformPublicKeyPem));

  // tokenUrl target: a phone camera opening the link lands on the demo wallet, which offers to pay it.
  app.get<{ Params: { token: string } }>('/pay/:token', async (req, reply) => {
    const o = ledger.byTokenOf(req.params.token);
    if (!o) return error(reply, 404, 'unknown_token', 'No such PayBy QR');
    const tokenUrl = `${req.protocol}://${req.host}${ctx.prefix}/pay/${req.params.token}`;
    return reply.redirect(`/wallet?qr=${encodeURIComponent(tokenUrl)}`);
  });
}
