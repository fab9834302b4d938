// The catalogue of payment providers and wallets both sides know by name: the one place in shared code where
// providers are listed. The server's registry (server/providers/registry.ts) maps each name to its module;
// the kiosk uses the labels. Wallets ("vendors") are what the customer pays with; providers charge them.

export const PROVIDER_NAMES = ['pockyt', 'centrapay', 'payby'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const PROVIDER_LABELS: Record<ProviderName, string> = { pockyt: 'Pockyt', centrapay: 'Centrapay', payby: 'PayBy' };

export const VENDORS = ['alipay', 'wechatpay', 'unionpay', 'centrapay', 'payby'] as const;
export type Vendor = (typeof VENDORS)[number];

export const VENDOR_LABELS: Record<Vendor, string> = {
  alipay: 'Alipay',
  wechatpay: 'WeChat Pay',
  unionpay: 'UnionPay',
  centrapay: 'Centrapay',
  payby: 'PayBy',
};

/** The wallet a provider's own merchant QR is paid with, when the store's option names none. */
export const OWN_WALLET: Partial<Record<ProviderName, Vendor>> = { centrapay: 'centrapay', payby: 'payby' };

export function isProviderName(v: unknown): v is ProviderName {
  return typeof v === 'string' && (PROVIDER_NAMES as readonly string[]).includes(v);
}

export function isVendor(v: unknown): v is Vendor {
  return typeof v === 'string' && (VENDORS as readonly string[]).includes(v);
}
