// The shapes the simulator answers with: the Payment Request model (spec §4), Payment Activities
// (docs' examples), and the control view for the wallet page and tests.
import type { SimContext } from './context.ts';
import type { SimActivity, SimRequest } from './ledger.ts';
import { ASSET_DESCRIPTIONS } from './scenarios.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const monetary = (minor: number, currency: string) => ({ currency, amount: String(minor) });
const CREATED_BY = (ctx: SimContext) => `crn:${ctx.accountId}:api-key:merchant-terminal`;

export function payUrl(r: SimRequest, ctx: SimContext, origin: string): string {
  return `${(ctx.payUrlBase ?? origin).replace(/\/+$/, '')}${ctx.prefix}/pay/${r.id}`;
}

/** What is left to pay: the whole value until paid (the simulator has no partial payments), then 0. */
const remaining = (r: SimRequest) => String(r.status === 'paid' ? 0 : r.valueMinor);

/** The demo business's GST number, as the docs' create example shows one (`taxNumber`). */
const TAX_NUMBER = { value: '123-456-789', type: 'nz-gst' };

export function requestView(r: SimRequest, ctx: SimContext, origin: string): Record<string, unknown> {
  return {
    id: r.id,
    shortCode: r.shortCode,
    url: payUrl(r, ctx, origin),
    ...(r.patronCodeId ? { patronCodeId: r.patronCodeId } : {}),
    ...(r.barcode ? { barcode: r.barcode } : {}),
    ...r.echo,
    merchantId: ctx.merchantId,
    merchantName: ctx.merchantName,
    configId: ctx.configId,
    ...r.refs,
    value: monetary(r.valueMinor, r.currency),
    paymentOptions: [{ amount: String(r.valueMinor), assetType: r.assetType }],
    merchantConditions: r.conditions.map((c) => ({ ...c })),
    status: r.status,
    ...(r.cancellationReason ? { cancellationReason: r.cancellationReason } : {}),
    ...(r.conditionsEnabled ? { conditionsEnabled: true } : {}),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    expiresAt: iso(r.expiresAt),
    liveness: 'test',
    expirySeconds: r.expirySeconds,
    remainingAmount: remaining(r),
    createdByAccountId: ctx.accountId,
    createdByAccountName: ctx.merchantName,
    taxNumber: { ...TAX_NUMBER },
    ...(r.status === 'paid'
      ? {
          paidBy: {
            assetTotals: [
              {
                type: r.assetType,
                description: ASSET_DESCRIPTIONS[r.assetType] ?? r.assetType,
                settlementDate: iso((r.paidAt ?? r.updatedAt) + 2 * 86_400_000),
                total: monetary(r.valueMinor, r.currency),
                ...(r.payerAccountId ? { payerAccountId: r.payerAccountId } : {}),
                ...(r.echo.lineItems ? { lineItems: r.echo.lineItems } : {}),
              },
            ],
          },
        }
      : {}),
  };
}

/** GET …/summary (docs example): what the pay page needs, only while `new`. */
export function summaryView(r: SimRequest, ctx: SimContext, origin: string): Record<string, unknown> {
  return {
    id: r.id,
    url: payUrl(r, ctx, origin),
    merchantId: ctx.merchantId,
    merchantName: ctx.merchantName,
    value: monetary(r.valueMinor, r.currency),
    createdAt: iso(r.createdAt),
    expiresAt: iso(r.expiresAt),
    paymentOptions: [{ amount: String(r.valueMinor), assetType: r.assetType }],
    remainingAmount: remaining(r),
    status: r.status,
    ...(r.echo.lineItems ? { lineItems: r.echo.lineItems } : {}),
    liveness: 'test',
  };
}

export function activityView(r: SimRequest, a: SimActivity, ctx: SimContext): Record<string, unknown> {
  return {
    id: a.id,
    type: a.type,
    value: monetary(a.valueMinor, r.currency),
    ...(a.assetType ? { assetType: a.assetType } : {}),
    ...(a.cancellationReason ? { cancellationReason: a.cancellationReason } : {}),
    ...(a.conditionId ? { conditionId: a.conditionId } : {}),
    ...(a.externalRef ? { externalRef: a.externalRef } : {}),
    paymentRequestId: r.id,
    shortCode: `${r.shortCode}-${String(a.number).padStart(3, '0')}`,
    merchantName: ctx.merchantName,
    merchantId: ctx.merchantId,
    merchantAccountId: ctx.accountId,
    merchantConfigId: ctx.configId,
    createdAt: iso(a.createdAt),
    createdBy: CREATED_BY(ctx),
    paymentRequestCreatedBy: CREATED_BY(ctx),
    activityNumber: String(a.number),
    ...a.echo,
  };
}

/** Control view: plain JSON for the wallet page. `value` is Centrapay's monetary (minor-unit string). */
export function controlView(r: SimRequest, ctx: SimContext, origin: string): Record<string, unknown> {
  return {
    id: r.id,
    shortCode: r.shortCode,
    url: payUrl(r, ctx, origin),
    value: monetary(r.valueMinor, r.currency),
    status: r.status,
    mode: r.mode,
    vendor: 'centrapay',
    merchantName: ctx.merchantName,
    barcode: r.barcode ?? null,
    scenario: r.scenario,
    assetType: r.assetType,
    externalRef: r.refs.externalRef ?? null,
    cancellationReason: r.cancellationReason ?? null,
    merchantConditions: r.conditions.map((c) => ({ ...c })),
    createdAt: iso(r.createdAt),
    expiresAt: iso(r.expiresAt),
    paidAt: r.paidAt === undefined ? null : iso(r.paidAt),
    polls: r.polls,
    refundedAmount: String(ctx.ledger.refundedMinor(r)),
    activities: r.activities.map((a) => ({
      number: a.number,
      type: a.type,
      amount: String(a.valueMinor),
      cancellationReason: a.cancellationReason ?? null,
    })),
    notifications: r.notifications.map((n) => ({ ...n })),
  };
}
