// Control surface (JSON) for the wallet page and tests: mint wallet codes, approve/decline pending charges,
// pay a merchant QR, inject faults. Not part of Pockyt's protocol; lives under <prefix>/control/.
import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { registerCallFaultRoutes } from '../common/fault-routes.ts';
import { registerNotificationFaultRoutes } from '../common/notify-fault-routes.ts';
import type { SimLedgerEntry } from '../common/ledger.ts';
import type { SimContext } from './context.ts';
import type { SimTxn } from './ledger.ts';
import { MALFORMED } from './protocol.ts';
import { controlView } from './views.ts';

function error(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

export function registerControlRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { ledger } = ctx;
  const view = (t: SimTxn) => controlView(t, ledger, ctx.storeName);
  const findTxn = (no: string) => ledger.txns.get(no);

  app.post('/control/codes', async (req, reply) => {
    const vendor = (req.body as { vendor?: unknown } | undefined)?.vendor;
    if (req.body === MALFORMED || (vendor !== 'alipay' && vendor !== 'wechatpay')) {
      return error(reply, 400, 'invalid_vendor', "vendor must be 'alipay' or 'wechatpay'");
    }
    const wc = ledger.issueCode(vendor, ctx.codeTtlMs);
    return { code: wc.code, vendor: wc.vendor, expiresAt: new Date(wc.expiresAt).toISOString() };
  });

  app.get<{ Params: { code: string } }>('/control/codes/:code', async (req, reply) => {
    const wc = ledger.walletCode(req.params.code);
    if (!wc) return error(reply, 404, 'unknown_code', 'This simulator did not issue that code');
    const txn = wc.transactionNo ? findTxn(wc.transactionNo) : undefined;
    return {
      code: wc.code,
      vendor: wc.vendor,
      expiresAt: new Date(wc.expiresAt).toISOString(),
      state: ledger.codeState(wc),
      transaction: txn ? view(txn) : undefined,
    };
  });

  app.get<{ Params: { no: string } }>('/control/transactions/:no', async (req, reply) => {
    const txn = findTxn(req.params.no);
    return txn ? view(txn) : error(reply, 404, 'unknown_transaction', 'No such transaction');
  });

  // The customer confirms or rejects in the wallet app.
  for (const [action, to] of [
    ['approve', 'success'],
    ['decline', 'failed'],
  ] as const) {
    app.post<{ Params: { no: string } }>(`/control/transactions/:no/${action}`, async (req, reply) => {
      const txn = findTxn(req.params.no);
      if (!txn) return error(reply, 404, 'unknown_transaction', 'No such transaction');
      if (txn.status !== 'pending') return error(reply, 409, 'not_pending', `Transaction is ${txn.status}, not pending`);
      ledger.setStatus(txn, to);
      return view(txn);
    });
  }

  // The customer scans a merchant-presented QR (deepLink) and pays it in one step.
  app.post<{ Params: { no: string } }>('/control/transactions/:no/pay', async (req, reply) => {
    const txn = findTxn(req.params.no);
    if (!txn) return error(reply, 404, 'unknown_transaction', 'No such transaction');
    if (txn.mode !== 'mpm' || txn.status !== 'init') {
      return error(reply, 409, 'not_payable', `Only an unpaid merchant QR can be paid (this one is ${txn.mode}/${txn.status})`);
    }
    ledger.setStatus(txn, 'success');
    return view(txn);
  });

  app.get('/control/ledger', async (): Promise<{ items: SimLedgerEntry[] }> => ({
    items: [...ledger.txns.values()].map((t) => ({
      providerRef: t.transactionNo,
      reference: t.reference,
      mode: t.mode,
      status: t.status,
      amountMinor: t.amountMinor,
      currency: t.currency,
      captured: t.status === 'success',
      refundedMinor: ledger.refundedMinor(t),
      createdAt: new Date(t.createTime).toISOString(),
    })),
  }));

  // Faults on our outgoing notifications (duplicate/delay/drop/reorder); README lists them.
  registerNotificationFaultRoutes(app, ctx.timers, (b) => (b === MALFORMED ? undefined : b));
  registerCallFaultRoutes(app, ctx.faults, ctx.timers, (b) => (b === MALFORMED ? undefined : b));

  // deepLink target: a phone camera opening the link lands on the demo wallet, which offers to pay it.
  app.get<{ Params: { name: string } }>('/qr/:name', async (req, reply) => {
    const svg = req.params.name.endsWith('.svg');
    const txn = findTxn(svg ? req.params.name.slice(0, -4) : req.params.name);
    if (!txn?.deepLink) return error(reply, 404, 'unknown_transaction', 'No such merchant QR');
    if (svg) return reply.type('image/svg+xml').send(await QRCode.toString(txn.deepLink, { type: 'svg', margin: 2 }));
    return reply.redirect(`/wallet?qr=${encodeURIComponent(txn.deepLink)}`);
  });
}
