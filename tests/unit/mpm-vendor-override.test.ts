import { describe, expect, it } from 'vitest';
import type { PaymentTransport } from '../../src/lib/checkout/attempt-types';
import { withVendorOverride, type VendorChoice } from '../../src/lib/checkout/vendor-override';
import type { CreatePaymentRequest, PaymentView } from '../../src/shared/api';

function recorder() {
  const sent: { req: CreatePaymentRequest; key: string }[] = [];
  const api: PaymentTransport = {
    createPayment: async (req, key) => {
      sent.push({ req: structuredClone(req), key });
      return { id: 'p' } as PaymentView;
    },
    getPayment: async () => ({ id: 'p' }) as PaymentView,
    cancelPayment: async () => ({ id: 'p' }) as PaymentView,
  };
  return { api, sent };
}

const cpm = (code: string): CreatePaymentRequest => ({
  orderId: 'o1',
  amount: { value: 100, currency: 'USD' },
  mode: 'cpm',
  code,
  vendor: 'alipay',
});

describe("cashier's wallet override", () => {
  it("sends the classifier's vendor when the cashier chose nothing", async () => {
    const { api, sent } = recorder();
    await withVendorOverride(api, () => null).createPayment(cpm('281234567890120001'), 'k1');
    expect(sent[0].req).toEqual(cpm('281234567890120001'));
  });

  it('sends the chosen vendor and its provider, and resends that same body for every retry of the key', async () => {
    const { api, sent } = recorder();
    let choice: VendorChoice | null = { vendor: 'wechatpay', provider: 'pockyt' };
    const t = withVendorOverride(api, () => choice);
    await t.createPayment(cpm('281234567890120001'), 'k1');
    choice = null; // changed while the answer was lost: the retry must still be the same request
    await t.createPayment(cpm('281234567890120001'), 'k1');
    await t.createPayment(cpm('281234567890129999'), 'k2');
    expect(sent.map((s) => [s.key, s.req.vendor, s.req.provider])).toEqual([
      ['k1', 'wechatpay', 'pockyt'],
      ['k1', 'wechatpay', 'pockyt'],
      ['k2', 'alipay', undefined],
    ]);
  });

  it('never touches a merchant-presented QR request', async () => {
    const { api, sent } = recorder();
    const req: CreatePaymentRequest = {
      orderId: 'o1',
      amount: { value: 100, currency: 'USD' },
      mode: 'mpm',
      provider: 'pockyt',
      vendor: 'alipay',
    };
    await withVendorOverride(api, () => ({ vendor: 'wechatpay', provider: 'pockyt' })).createPayment(req, 'k');
    expect(sent[0].req).toEqual(req);
  });
});
