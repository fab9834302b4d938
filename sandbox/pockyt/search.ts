// /app-data-search/v3/*: tran-query, cancel (+ the /app-data-search/v3/reverse and /app-instore/v3/reverse
// aliases the official SDKs still post to), refund.
import type { FastifyInstance } from 'fastify';
import { toMajorString } from '../../src/shared/money.ts';
import type { SimContext } from './context.ts';
import type { SimTxn } from './ledger.ts';
import { exactlyOneId, fail, isEnvelope, missing, ok, parseAmount, type Envelope, type Fields } from './protocol.ts';
import { registerPockytRoute } from './route.ts';
import { queryObject } from './views.ts';

function lookup(ctx: SimContext, f: Fields): SimTxn | Envelope {
  const id = exactlyOneId(f);
  if (isEnvelope(id)) return id;
  return ctx.ledger.find(id) ?? fail('000021', 'no transaction matches transactionNo/reference');
}

function addRefund(ctx: SimContext, txn: SimTxn, minor: number, refundReference: string | null, viaCancel: boolean) {
  const r = {
    refundTransactionNo: ctx.ledger.newRefundNo(),
    refundReference,
    refundMinor: minor,
    refundAmount: toMajorString({ value: minor, currency: txn.currency }),
    viaCancel,
    createTime: Date.now(),
  };
  txn.refunds.push(r);
  return r;
}

/** Unpaid → closed; paid → the rest of the amount refunded (payment keeps `success`). Repeating is harmless. */
function cancel(ctx: SimContext, f: Fields): Envelope {
  const txn = lookup(ctx, f);
  if (isEnvelope(txn)) return txn;
  const { ledger } = ctx;
  if (txn.status === 'init' || txn.status === 'dealing' || txn.status === 'pending') ledger.setStatus(txn, 'closed');
  let cancelRefund = txn.refunds.filter((r) => r.viaCancel).reduce((s, r) => s + r.refundMinor, 0);
  if (txn.status === 'success') {
    const rest = txn.amountMinor - ledger.refundedMinor(txn);
    if (rest > 0) cancelRefund += addRefund(ctx, txn, rest, `cancel-${txn.transactionNo}`, true).refundMinor;
  }
  // Shaped as docs.yuansfer.com's cancel example: amount a JSON number, `status` the cancelled transaction's
  // (`closed`) or, for a paid one, the refund's (`success`); ret_msg with its trailing space.
  return ok('cancel success ', {
    transactionNo: txn.transactionNo,
    reference: txn.reference,
    amount: Number(txn.amount),
    currency: txn.currency,
    settleCurrency: txn.settleCurrency,
    status: txn.status === 'success' ? 'success' : txn.status,
    refundAmount: toMajorString({ value: cancelRefund, currency: txn.currency }),
  });
}

function refund(ctx: SimContext, f: Fields): Envelope {
  // refundReference is optional (docs.pockyt.io refund reference; Java/PHP/JS SDKs): without it there is no
  // idempotency key and every call is a new refund, as at Pockyt.
  const m = missing(f, ['refundAmount', 'currency', 'settleCurrency']);
  if (m) return m;
  const txn = lookup(ctx, f);
  if (isEnvelope(txn)) return txn;
  if (f.currency !== txn.currency || f.settleCurrency !== txn.settleCurrency)
    return fail('000023', 'currency/settleCurrency must match the payment');
  const amount = parseAmount(f.refundAmount, txn.currency);
  if (!amount) return fail('000023', `refundAmount ${JSON.stringify(f.refundAmount)} is invalid`);
  const answer = (r: SimTxn['refunds'][number]) =>
    ok('refund success ', {
      transactionNo: txn.transactionNo,
      reference: txn.reference,
      amount: txn.amount,
      refundAmount: r.refundAmount,
      currency: txn.currency,
      settleCurrency: txn.settleCurrency,
      status: 'success',
      refundReference: r.refundReference,
      refundTransactionNo: r.refundTransactionNo,
    });
  const prior = f.refundReference ? txn.refunds.find((r) => r.refundReference === f.refundReference) : undefined;
  if (prior) {
    // Same refund asked again: the first answer, not a second refund.
    return prior.refundMinor === amount.minor ? answer(prior) : fail('000022', `duplicate refundReference ${f.refundReference}`);
  }
  if (txn.status !== 'success') return fail('000040', `transaction status error: ${txn.status} payments cannot be refunded`);
  const refundable = txn.amountMinor - ctx.ledger.refundedMinor(txn);
  if (amount.minor > refundable) {
    return fail('000023', `refundAmount exceeds the refundable amount ${toMajorString({ value: refundable, currency: txn.currency })}`);
  }
  return answer(addRefund(ctx, txn, amount.minor, f.refundReference || null, false));
}

export function registerSearchRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerPockytRoute(app, ctx, { canonical: '/app-data-search/v3/tran-query' }, { replayable: false }, (f) => {
    const txn = lookup(ctx, f);
    return isEnvelope(txn) ? txn : ok('query success ', queryObject(txn, ctx.ledger));
  });
  registerPockytRoute(
    app,
    ctx,
    // /app-instore/v3/reverse: the in-store name the JS SDK's reverse() still posts to (same fields, same
    // meaning: unpaid → closed, paid → refunded).
    { canonical: '/app-data-search/v3/cancel', aliases: ['/app-data-search/v3/reverse', '/app-instore/v3/reverse'] },
    { replayable: true },
    (f) => cancel(ctx, f),
  );
  registerPockytRoute(app, ctx, { canonical: '/app-data-search/v3/refund' }, { replayable: true }, (f) => refund(ctx, f));
}
