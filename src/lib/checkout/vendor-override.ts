// Cashier override of the wallet guessed from a scanned code (issue 3: "the cashier can override the guess").
// Applied to the request on its way out, so the attempt core stays unaware of it. The body sent with an
// Idempotency-Key is remembered and resent unchanged on every retry of that key: a retry must be the same
// request, or the proxy would refuse it (or worse, a changed vendor could route money elsewhere).
import type { CreatePaymentRequest } from '../../shared/api';
import type { ProviderName, Vendor } from '../../shared/payment';
import type { PaymentTransport } from './attempt-types';

export interface VendorChoice {
  vendor: Vendor;
  provider: ProviderName;
}

let choice: VendorChoice | null = null;

/** The cashier's pick for the next scanned code on the Pay screen (null: as the code says). */
export const vendorOverride = {
  get: (): VendorChoice | null => choice,
  set(c: VendorChoice | null): void {
    choice = c ? { ...c } : null;
  },
};

const REMEMBERED_KEYS = 64;

export function withVendorOverride(api: PaymentTransport, current: () => VendorChoice | null = vendorOverride.get): PaymentTransport {
  const sent = new Map<string, CreatePaymentRequest>();
  return {
    createPayment(req, key) {
      let body = sent.get(key);
      if (!body) {
        const c = req.mode === 'cpm' ? current() : null;
        body = c ? { ...req, vendor: c.vendor, provider: c.provider } : req;
        sent.set(key, body);
        if (sent.size > REMEMBERED_KEYS) sent.delete(sent.keys().next().value!);
      }
      return api.createPayment(body, key);
    },
    getPayment: (id, opts) => api.getPayment(id, opts),
    cancelPayment: (id) => api.cancelPayment(id),
    ...(api.listOrderPayments ? { listOrderPayments: (orderId: string) => api.listOrderPayments!(orderId) } : {}),
  };
}
