// /app-instore/v3/*: add (CPM step 1), prepay (+ /pay alias, CPM step 2), create-trans-qrcode (MPM),
// cashier-add (add + hand-off to a Pockyt POS terminal, which the simulator does not have).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { classifyCode } from '../../src/shared/classify.ts';
import type { SimContext } from './context.ts';
import type { SimTxn, SimVendor } from './ledger.ts';
import {
  checkCurrencies,
  checkUrl,
  exactlyOneId,
  fail,
  isEnvelope,
  missing,
  ok,
  parseAmount,
  parseTimeout,
  type Envelope,
  type Fields,
} from './protocol.ts';
import { registerPockytRoute } from './route.ts';
import { scenarioFor } from './scenarios.ts';
import { txnObject } from './views.ts';

const VENDORS: readonly string[] = ['alipay', 'wechatpay'];

/** Shared by add and create-trans-qrcode: validates money + reference and creates the `init` transaction. */
function createTxn(ctx: SimContext, f: Fields, mode: 'cpm' | 'mpm', required: string[]): SimTxn | Envelope {
  const m = missing(f, required);
  if (m) return m;
  const cur = checkCurrencies(f);
  if (cur) return cur;
  const amount = parseAmount(f.amount, f.currency);
  if (!amount) return fail('000023', `amount ${JSON.stringify(f.amount)} is invalid: a positive decimal with at most 2 decimals`);
  const timeout = parseTimeout(f);
  if (isEnvelope(timeout)) return timeout;
  const badUrl = checkUrl('ipnUrl', f.ipnUrl);
  if (badUrl) return badUrl;
  // Simulator choice (spec §11 leaves it open): a repeated reference is refused, not merged.
  if (ctx.ledger.hasReference(f.reference)) return fail('000022', `duplicate reference ${f.reference}`);
  return ctx.ledger.create({
    reference: f.reference,
    amount: amount.text,
    amountMinor: amount.minor,
    currency: f.currency,
    settleCurrency: f.settleCurrency,
    mode,
    timeoutMin: timeout,
    ipnUrl: f.ipnUrl,
    storeAdminNo: f.storeAdminNo,
    vendor: mode === 'mpm' ? (f.vendor as SimVendor) : undefined,
  });
}

async function prepay(ctx: SimContext, f: Fields): Promise<Envelope> {
  const m = missing(f, ['paymentBarcode']);
  if (m) return m;
  const id = exactlyOneId(f);
  if (isEnvelope(id)) return id;
  if (f.vendor !== undefined && !VENDORS.includes(f.vendor))
    return fail('000023', `vendor ${f.vendor} is not enabled for in-store payments`);
  const txn = ctx.ledger.find(id);
  if (!txn) return fail('000021', 'no transaction matches transactionNo/reference');
  if (txn.mode !== 'cpm' || txn.status !== 'init') {
    return fail('000022', `transaction ${txn.transactionNo} is ${txn.status}; prepay needs a transaction in init status`);
  }
  const code = f.paymentBarcode;
  const cls = classifyCode(code);
  if (!cls.ok || cls.code !== code || !VENDORS.includes(cls.vendor))
    return fail('000023', 'paymentBarcode is not a valid Alipay or WeChat Pay payment code');
  if (f.vendor !== undefined && f.vendor !== cls.vendor) return fail('000023', `paymentBarcode is not a ${f.vendor} payment code`);

  const done = (): Envelope => ok('add success', txnObject(txn, ctx.ledger, ctx));
  const wallet = ctx.ledger.walletCode(code);
  if (wallet) {
    const state = ctx.ledger.codeState(wallet);
    if (state === 'used') return fail('000023', 'payment code already used');
    if (state === 'expired') return fail('000023', 'payment code expired');
    wallet.transactionNo = txn.transactionNo;
  }
  txn.vendor = cls.vendor as SimVendor;
  txn.paymentBarcode = code;
  const { ledger } = ctx;
  const scenario = wallet ? 'manual' : scenarioFor(code);
  switch (scenario) {
    case 'success':
      ledger.setStatus(txn, 'success');
      return done();
    case 'pending_success':
    case 'pending_failed': {
      ledger.setStatus(txn, 'pending');
      const to = scenario === 'pending_success' ? 'success' : 'failed';
      ctx.timers.after(ctx.pendingMs, () => ledger.setStatus(txn, to));
      return done();
    }
    case 'supplier_error':
      // The wallet network failed: nothing was charged, and a query says so.
      ledger.setStatus(txn, 'failed');
      return fail('000080', 'supplier error: the wallet network did not respond');
    case 'slow_success':
      // Committed first, answered late: the client times out on a payment that did succeed.
      ledger.setStatus(txn, 'success');
      await ctx.timers.sleep(ctx.slowMs);
      return done();
    default:
      ledger.setStatus(txn, 'pending');
      return done();
  }
}

function phoneOrigin(req: FastifyRequest, ctx: SimContext): string {
  return (ctx.payUrlBase ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
}

export function registerInstoreRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerPockytRoute(app, ctx, { canonical: '/app-instore/v3/add' }, { replayable: true }, (f) => {
    const txn = createTxn(ctx, f, 'cpm', ['amount', 'currency', 'settleCurrency', 'reference']);
    return isEnvelope(txn) ? txn : ok('add success', txnObject(txn, ctx.ledger, ctx));
  });

  // At Pockyt this also wakes the store's Pockyt POS terminal to collect the payment; the simulator has none,
  // so the transaction waits in `init` for a prepay, a cancel or its timeout, like one made by add.
  registerPockytRoute(app, ctx, { canonical: '/app-instore/v3/cashier-add' }, { replayable: true }, (f) => {
    const txn = createTxn(ctx, f, 'cpm', ['amount', 'currency', 'settleCurrency', 'reference', 'ipnUrl']);
    return isEnvelope(txn) ? txn : ok('add success', txnObject(txn, ctx.ledger, ctx));
  });

  registerPockytRoute(app, ctx, { canonical: '/app-instore/v3/prepay', aliases: ['/app-instore/v3/pay'] }, { replayable: true }, (f) =>
    prepay(ctx, f),
  );

  registerPockytRoute(app, ctx, { canonical: '/app-instore/v3/create-trans-qrcode' }, { replayable: true }, (f, req) => {
    // ipnUrl: the docs mark it required, but the Java, Python, PHP and JS SDKs all let it out; without it
    // the transaction simply sends no IPN (README).
    const m = missing(f, ['amount', 'currency', 'settleCurrency', 'vendor', 'reference']);
    if (m) return m;
    if (!VENDORS.includes(f.vendor)) return fail('000023', `vendor ${f.vendor} is not supported for merchant-presented QR`);
    if (f.needQrcode !== undefined && f.needQrcode !== 'true' && f.needQrcode !== 'false')
      return fail('000023', 'needQrcode must be "true" or "false"');
    const txn = createTxn(ctx, f, 'mpm', []);
    if (isEnvelope(txn)) return txn;
    // deepLink: a URL on this simulator that the demo wallet page recognises and pays (see README).
    const base = `${phoneOrigin(req, ctx)}${ctx.prefix}/qr/${txn.transactionNo}`;
    txn.deepLink = base;
    // needQrcode=false: Pockyt hosts no QR image (docs, all SDKs). Absent: the Java and JS SDKs document a default
    // of true (the docs say false), so the image URL is given.
    if (f.needQrcode !== 'false') txn.qrcodeUrl = `${base}.svg`;
    // As docs.yuansfer.com's create-qrcode example answers: ret_msg "add success", timeout as a string.
    return ok('add success', {
      transactionNo: txn.transactionNo,
      reference: txn.reference,
      amount: txn.amount,
      currency: txn.currency,
      settleCurrency: txn.settleCurrency,
      timeout: String(txn.timeoutMin),
      deepLink: txn.deepLink,
      ...(txn.qrcodeUrl ? { qrcodeUrl: txn.qrcodeUrl } : {}),
    });
  });
}
