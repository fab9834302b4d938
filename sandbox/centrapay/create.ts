// POST /api/payment-requests (spec §5.1): validation, patron-code checks, scenario set-up. No idempotency,
// exactly like Centrapay: the same externalRef twice makes two requests (the adapter must cope).
import type { FastifyRequest } from 'fastify';
import type { SimContext } from './context.ts';
import type { SimRequest } from './ledger.ts';
import {
  asObject,
  badRequest,
  checkLineItems,
  checkStrings,
  forbidden,
  isAnswer,
  ok,
  parseMonetary,
  refuse,
  type Answer,
  type Json,
} from './protocol.ts';
import { assetTypeFor, checkPatronCode, scenarioFor, type Scenario } from './scenarios.ts';
import { requestView } from './views.ts';

const REF_FIELDS = ['externalRef', 'terminalId', 'deviceId', 'operatorId', 'invoiceRef', 'purchaseOrderRef'] as const;

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

function parseExpiry(v: unknown): number | Answer {
  if (v === undefined) return 120;
  // The older docs type it as a string; accept a numeric string too.
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 86_400)
    return badRequest('expirySeconds must be a whole number of seconds, 1..86400');
  return n;
}

/** Checks a scanned patron code and says which scenario it plays, or the error Centrapay would answer. */
function patronCode(ctx: SimContext, barcode: unknown): { scenario: Scenario; patronCodeId: string } | Answer {
  if (typeof barcode !== 'string' || barcode === '') return badRequest('barcode must be a non-empty string');
  const check = checkPatronCode(barcode, ctx.luhnCheck);
  if (!check.ok) return refuse(check.status, check.message, check.reason);
  const issued = ctx.ledger.patronCode(barcode);
  if (issued) {
    // Simulator choice: a wallet-issued code pays one request; used or past its expiry → invalid (§5.1).
    const state = ctx.ledger.codeState(issued);
    if (state !== 'issued') return refuse(403, 'PATRON_CODE_INVALID', `patron code ${state}`);
    return { scenario: 'manual', patronCodeId: issued.id };
  }
  const scenario = scenarioFor(barcode);
  if (scenario === 'code_invalid') return refuse(403, 'PATRON_CODE_INVALID', 'test code: unknown patron code');
  if (scenario === 'no_options')
    return refuse(403, 'NO_AVAILABLE_PAYMENT_OPTIONS', "test code: nothing in the patron's wallet matches this merchant");
  return { scenario, patronCodeId: `pc_test_${barcode.slice(-8)}` };
}

function startScenario(ctx: SimContext, r: SimRequest): void {
  const { ledger, timers, pendingMs } = ctx;
  if (r.scenario === 'patron_declines') timers.after(pendingMs, () => ledger.cancel(r, 'DECLINED_BY_PATRON'));
  if (r.scenario === 'patron_approves') timers.after(pendingMs, () => ledger.pay(r));
  if (r.scenario === 'photo_id' && r.conditionsEnabled) {
    r.conditions.push({ id: '1', name: 'photo-id-check', message: 'Please check photo ID', status: 'awaiting-merchant' });
  }
}

export function createRequest(ctx: SimContext, req: FastifyRequest, origin: string): Answer {
  const b: Json | null = asObject(req.body);
  if (!b) return badRequest('body must be a JSON object');
  if (typeof b.configId !== 'string' || b.configId === '') return badRequest('configId is required');
  const value = parseMonetary(b.value, 'value');
  if (isAnswer(value)) return value;
  const bad = checkStrings(b, REF_FIELDS) ?? checkStrings(b, ['barcodeType']) ?? checkLineItems(b.lineItems, value.minor);
  if (bad) return bad;
  for (const flag of ['conditionsEnabled', 'patronNotPresent'])
    if (b[flag] !== undefined && typeof b[flag] !== 'boolean') return badRequest(`${flag} must be a boolean`);
  // Not simulated: refused outright rather than silently made into an ordinary payment request (README).
  for (const flag of ['preAuth', 'partialAllowed'])
    if (b[flag] !== undefined && b[flag] !== false) return badRequest(`${flag} is not supported by the simulator`);
  // Docs: must start with one of the merchant config's allowedRedirectUrls; the demo config allows any http(s) URL.
  for (const f of ['redirectPaidUrl', 'redirectCancelUrl'])
    if (b[f] !== undefined && !isHttpUrl(b[f])) return refuse(403, 'REDIRECT_URL_INVALID', `${f} must be an http(s) URL`);
  const expirySeconds = parseExpiry(b.expirySeconds);
  if (isAnswer(expirySeconds)) return expirySeconds;
  if (b.configId !== ctx.configId) return forbidden('merchant config not found for this API key');
  // The demo merchant config only has NZD assets.
  if (value.currency !== 'NZD') return refuse(403, 'NO_AVAILABLE_PAYMENT_OPTIONS', `no payment options in ${value.currency}`);

  let scenario: Scenario = 'manual';
  let patronCodeId: string | undefined;
  if (b.barcode !== undefined) {
    const pc = patronCode(ctx, b.barcode);
    if (isAnswer(pc)) return pc;
    ({ scenario, patronCodeId } = pc);
  }
  const refs: SimRequest['refs'] = {};
  for (const f of REF_FIELDS) if (typeof b[f] === 'string') refs[f] = b[f];
  // Echoed back as sent, as in the docs' create and get examples.
  const echo: Record<string, unknown> = {};
  for (const f of ['barcodeType', 'lineItems', 'patronNotPresent', 'redirectPaidUrl', 'redirectCancelUrl'])
    if (b[f] !== undefined) echo[f] = b[f];
  const r = ctx.ledger.create({
    valueMinor: value.minor,
    currency: value.currency,
    mode: b.barcode === undefined ? 'mpm' : 'cpm',
    barcode: b.barcode as string | undefined,
    patronCodeId,
    scenario,
    assetType: assetTypeFor(scenario),
    refs,
    conditionsEnabled: b.conditionsEnabled === true,
    echo,
    expirySeconds,
  });
  const issued = r.barcode ? ctx.ledger.patronCode(r.barcode) : undefined;
  if (issued) issued.requestId = r.id;
  startScenario(ctx, r);
  return ok(requestView(r, ctx, origin));
}

/** What a poll (GET by id) does besides reading (§5.2, §6): Quick Pay charges on the first poll; a
 *  condition that arises without conditionsEnabled cancels the request. */
export function onPoll(ctx: SimContext, r: SimRequest): void {
  r.polls++;
  if (r.status !== 'new' || r.polls !== 1) return;
  if (r.scenario === 'quick_pay') ctx.ledger.pay(r);
  if (r.scenario === 'photo_id' && !r.conditionsEnabled) ctx.ledger.cancel(r, 'PAYMENT_DECLINED');
}
