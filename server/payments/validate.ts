// Checks a POST /api/payments body against the money rules, the classifier and the store's routing before
// anything is written or sent. Its shape (types, lengths, known fields, enums) was checked by the route's
// schema (src/shared/api-schemas.ts). Every refusal is an ApiError with a stable code and a cashier-readable
// message.
import type { CreatePaymentRequest } from '../../src/shared/api.ts';
import { MoneyError, validateAmount, type Money } from '../../src/shared/money.ts';
import { classifyCode, plausibleVendors, VENDOR_LABELS } from '../../src/shared/classify.ts';
import type { PaymentMode, ProviderName, Vendor } from '../../src/shared/payment.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';
import type { PaymentAdapter } from '../providers/types.ts';
import { acceptedText, acceptedVendors, routeCpm, routeMpm, withArticle } from './routing.ts';

export { acceptedVendors } from './routing.ts';

export interface ValidPaymentRequest {
  orderId: string;
  amount: Money;
  mode: PaymentMode;
  code: string | null;
  vendor: Vendor | null;
  provider: ProviderName;
  adapter: PaymentAdapter;
}

/** The scanned code's wallet: the classifier's, or the cashier's choice where the code fits that wallet too. */
function cpmVendor(rawCode: string | undefined, requested: Vendor | undefined, accepted: Vendor[]): { code: string; vendor: Vendor } {
  if (rawCode === undefined || rawCode.trim() === '') {
    throw new ApiError(400, 'code_required', "Scan or type the customer's wallet payment code.");
  }
  const c = classifyCode(rawCode);
  if (!c.ok) {
    throw new ApiError(422, 'unrecognised_code', `${c.message} ${acceptedText(accepted)}`, { reason: c.reason, accepted });
  }
  if (requested && requested !== c.vendor && !plausibleVendors(c.code).includes(requested)) {
    throw new ApiError(422, 'vendor_mismatch', `This is ${withArticle(VENDOR_LABELS[c.vendor])} code, not ${VENDOR_LABELS[requested]}.`, {
      vendor: c.vendor,
    });
  }
  return { code: c.code, vendor: requested ?? c.vendor };
}

export function validatePaymentRequest(
  b: CreatePaymentRequest,
  store: StoreConfig,
  maxMinor: number,
  adapters: AdapterRegistry,
): ValidPaymentRequest {
  let amount: Money;
  try {
    amount = validateAmount(b.amount, maxMinor);
  } catch (err) {
    if (err instanceof MoneyError) throw new ApiError(400, err.code, err.message);
    throw err;
  }
  if (amount.currency !== store.currency) {
    throw new ApiError(400, 'unsupported_currency', `This store takes ${store.currency}, not ${amount.currency}.`);
  }
  const requestedVendor = b.vendor;
  const requestedProvider = b.provider;

  let code: string | null = null;
  let vendor: Vendor | null;
  let provider: ProviderName;
  if (b.mode === 'cpm') {
    const accepted = acceptedVendors(store, adapters);
    const c = cpmVendor(b.code, requestedVendor, accepted);
    code = c.code;
    vendor = c.vendor;
    provider = routeCpm(store, adapters, vendor, requestedProvider);
  } else {
    ({ provider, vendor } = routeMpm(store, adapters, requestedVendor, requestedProvider));
  }

  const adapter = adapters.get(provider);
  if (!adapter) throw new ApiError(503, 'provider_unavailable', `${provider} is not available right now. Try again shortly.`);
  if (b.mode === 'cpm' && !adapter.cpmVendors.includes(vendor!)) {
    const accepted = acceptedVendors(store, adapters);
    throw new ApiError(422, 'vendor_not_accepted', `${provider} cannot charge ${VENDOR_LABELS[vendor!]} codes. ${acceptedText(accepted)}`, {
      vendor,
      accepted,
    });
  }
  if (!adapter.currencies.includes(amount.currency)) {
    throw new ApiError(400, 'unsupported_currency', `${provider} does not take ${amount.currency}.`);
  }
  if (b.mode === 'mpm' && !adapter.createQr) {
    throw new ApiError(
      400,
      'mode_not_supported',
      `${provider} cannot show a QR for the customer to scan; scan the customer's code instead.`,
    );
  }
  return { orderId: b.orderId, amount, mode: b.mode, code, vendor, provider, adapter };
}
