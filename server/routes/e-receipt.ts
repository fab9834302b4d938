// GET /r/:token — the e-receipt page (issue 11, item 3): the customer scans a QR at the till and gets their
// receipt on their phone. No login: the token (256 random bits, payments/receipts.ts) is the only key, and
// the page shows that one receipt — store name, address and tax number, lines, amount, wallet, receipt
// number and refunds — nothing else of the store (no ids, no terminal, no code, no links). Not cached, not
// indexed, no referrer. A wrong token is the same plain 404 whether or not it is well formed.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatMoney, type Money } from '../../src/shared/money.ts';
import { PROVIDER_LABELS, VENDOR_LABELS } from '../../src/shared/providers.ts';
import { shortRef } from '../../src/shared/short-ref.ts';
import { findOrder } from '../store/orders.ts';
import { toPayment } from '../store/payments.ts';
import { listPaymentRefunds } from '../store/refunds.ts';
import type { StoreConfig } from '../store/store-config.ts';
import { renderReceiptPage, type ReceiptPage } from './e-receipt-html.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .send(html);
}

export async function eReceiptRoutes(app: FastifyInstance): Promise<void> {
  const { db, stores } = app.kiosk;
  const notFound = (reply: FastifyReply) => send(reply, 404, renderReceiptPage(null));

  app.get<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
    const { token } = request.params;
    if (!TOKEN.test(token)) return notFound(reply);
    const row = await db.selectFrom('payments').selectAll().where('receipt_token', '=', token).executeTakeFirst();
    const store: StoreConfig | undefined = row?.store_id ? stores.get(row.store_id) : undefined;
    if (!row || !store) return notFound(reply);
    const p = toPayment(row);
    const [order, refunds] = await Promise.all([findOrder(db, p.terminalId, p.orderId), listPaymentRefunds(db, p.id)]);
    const money = (m: Money) => formatMoney(m, store.locale);
    const lines = order ? (JSON.parse(order.lines_json) as { name: string; quantity: number; unitPrice: Money }[]) : [];
    const page: ReceiptPage = {
      storeName: store.name,
      address: store.address ?? null,
      taxId: store.taxId ?? null,
      receiptNo: p.receiptNo ?? '',
      when: new Date(p.createdAt).toLocaleString(store.locale, { timeZone: store.timezone, dateStyle: 'medium', timeStyle: 'short' }),
      lines: lines.map((l) => ({
        text: `${l.quantity > 1 ? `${l.quantity} × ` : ''}${l.name}`,
        amount: money({ value: l.unitPrice.value * l.quantity, currency: l.unitPrice.currency }),
      })),
      total: money(p.amount),
      wallet: p.vendor ? VENDOR_LABELS[p.vendor] : PROVIDER_LABELS[p.provider],
      providerRef: p.providerRef ? shortRef(p.providerRef) : null,
      refunds: refunds.filter((r) => r.status === 'succeeded').map((r) => ({ when: r.updatedAt.slice(0, 10), amount: money(r.amount) })),
      net: p.refunded.value > 0 ? money({ value: p.amount.value - p.refunded.value, currency: p.amount.currency }) : null,
      note: p.status === 'reversed' ? 'Voided — the payment was returned in full' : null,
      footer: store.receiptFooter ?? null,
    };
    return send(reply, 200, renderReceiptPage(page));
  });
}
