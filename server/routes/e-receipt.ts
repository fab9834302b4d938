// GET /r/:token — the e-receipt page (issue 11, item 3): the customer scans a QR at the till and gets their
// receipt on their phone. No login: the token (256 random bits, payments/receipts.ts) is the only key, and
// the page shows that one receipt — store name, address and tax number, lines, amount, wallet, receipt
// number and refunds — nothing else of the store (no ids, no terminal, no code, no links). Not cached, not
// indexed, no referrer. A wrong token is the same plain 404 whether or not it is well formed.
// In the phone's language (issue 12, e-receipt-language.ts), money and dates by the kiosk's own rules
// (src/shared/money.ts, locale-format.ts): the language with the store's region and time zone.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cart_open_amount } from '../../src/paraglide/messages/cart_open_amount.js';
import { formatDateTime, intlLocale } from '../../src/shared/locale-format.ts';
import { formatMoney, type Money } from '../../src/shared/money.ts';
import { OPEN_AMOUNT_NAME } from '../../src/shared/orders.ts';
import { PROVIDER_LABELS, VENDOR_LABELS } from '../../src/shared/providers.ts';
import { shortRef } from '../../src/shared/short-ref.ts';
import { findOrder } from '../store/orders.ts';
import { toPayment } from '../store/payments.ts';
import { listPaymentRefunds } from '../store/refunds.ts';
import type { StoreConfig } from '../store/store-config.ts';
import { renderNotFoundPage, renderReceiptPage, type ReceiptPage } from './e-receipt-html.ts';
import { loadReceiptLanguages, receiptLanguage } from './e-receipt-language.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'Accept-Language')
    .header('x-robots-tag', 'noindex, nofollow')
    .send(html);
}

interface StoredLine {
  sku?: string | null;
  name: string;
  quantity: number;
  unitPrice: Money;
}

export async function eReceiptRoutes(app: FastifyInstance): Promise<void> {
  const { db, stores } = app.kiosk;
  await loadReceiptLanguages();
  // No store known: the phone's language, else English.
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    send(reply, 404, renderNotFoundPage(receiptLanguage(request.headers['accept-language'])));

  app.get<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
    const { token } = request.params;
    if (!TOKEN.test(token)) return notFound(request, reply);
    const row = await db.selectFrom('payments').selectAll().where('receipt_token', '=', token).executeTakeFirst();
    const store: StoreConfig | undefined = row?.store_id ? stores.get(row.store_id) : undefined;
    if (!row || !store) return notFound(request, reply);
    const p = toPayment(row);
    const [order, refunds] = await Promise.all([findOrder(db, p.terminalId, p.orderId), listPaymentRefunds(db, p.id)]);
    const lang = receiptLanguage(request.headers['accept-language'], store.language);
    const intl = intlLocale(lang, store.locale);
    const money = (m: Money) => formatMoney(m, intl, store.locale);
    const lines = order ? (JSON.parse(order.lines_json) as StoredLine[]) : [];
    const page: ReceiptPage = {
      storeName: store.name,
      address: store.address ?? null,
      taxId: store.taxId ?? null,
      receiptNo: p.receiptNo ?? '',
      when: formatDateTime(p.createdAt, intl, store.timezone),
      lines: lines.map((l) => ({
        quantity: l.quantity,
        name: !l.sku && l.name === OPEN_AMOUNT_NAME ? cart_open_amount({}, { locale: lang }) : l.name,
        amount: money({ value: l.unitPrice.value * l.quantity, currency: l.unitPrice.currency }),
      })),
      total: money(p.amount),
      wallet: p.vendor ? VENDOR_LABELS[p.vendor] : PROVIDER_LABELS[p.provider],
      providerRef: p.providerRef ? shortRef(p.providerRef) : null,
      refunds: refunds
        .filter((r) => r.status === 'succeeded')
        .map((r) => ({
          when: formatDateTime(r.updatedAt, intl, store.timezone, { dateStyle: 'medium' }),
          amount: money({ value: -r.amount.value, currency: r.amount.currency }),
        })),
      net: p.refunded.value > 0 ? money({ value: p.amount.value - p.refunded.value, currency: p.amount.currency }) : null,
      voided: p.status === 'reversed',
      footer: store.receiptFooter ?? null,
    };
    return send(reply, 200, renderReceiptPage(page, lang));
  });
}
