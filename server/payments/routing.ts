// Which provider serves a payment (DESIGN §8, issue 3): the store's routing table for customer-presented
// codes, its `mpm` list for merchant-presented QRs, and the cashier's override — honoured only where the
// store's configuration allows it. Pure decisions; every refusal is an ApiError the cashier can read.
import type { MpmOption } from '../../src/shared/api.ts';
import { VENDOR_LABELS } from '../../src/shared/classify.ts';
import type { ProviderName, Vendor } from '../../src/shared/payment.ts';
import { OWN_WALLET, PROVIDER_LABELS } from '../../src/shared/providers.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { AdapterRegistry } from './adapters.ts';
import { ApiError } from './api-error.ts';

export function acceptedVendors(store: StoreConfig, adapters: AdapterRegistry): Vendor[] {
  return (Object.keys(store.routing) as Vendor[]).filter((v) => adapters.configured(store.routing[v]!));
}

/** The store's merchant-QR options whose provider this server has. */
export function offeredMpm(store: StoreConfig, adapters: AdapterRegistry): MpmOption[] {
  return store.mpm.filter((o) => adapters.configured(o.provider));
}

/** "an Alipay …", "a WeChat Pay …": every wallet and provider name is said as it is spelled, so its first
 *  letter decides the article. */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

export function acceptedText(vendors: Vendor[]): string {
  return vendors.length ? `This store accepts ${vendors.map((v) => VENDOR_LABELS[v]).join(', ')}.` : 'This store accepts no wallets yet.';
}

function offeredText(options: MpmOption[]): string {
  return options.length ? `Offered here: ${options.map((o) => o.label).join(', ')}.` : 'This store offers no QR to show.';
}

/** Provider for a scanned code's wallet: the store's routing; a cashier-chosen provider must be that one. */
export function routeCpm(store: StoreConfig, adapters: AdapterRegistry, vendor: Vendor, requested: ProviderName | undefined): ProviderName {
  const accepted = acceptedVendors(store, adapters);
  if (!accepted.includes(vendor)) {
    throw new ApiError(422, 'vendor_not_accepted', `${VENDOR_LABELS[vendor]} is not accepted here. ${acceptedText(accepted)}`, {
      vendor,
      accepted,
    });
  }
  const provider = store.routing[vendor]!;
  if (requested && requested !== provider) {
    throw new ApiError(
      422,
      'provider_not_routed',
      `This store takes ${VENDOR_LABELS[vendor]} through ${PROVIDER_LABELS[provider]}, not ${PROVIDER_LABELS[requested]}.`,
      { vendor, provider },
    );
  }
  return provider;
}

/** The merchant-QR option a request names: by provider (+ vendor where the provider serves several
 *  wallets), or by vendor through the routing table. Only options in the store's `mpm` list. */
export function routeMpm(
  store: StoreConfig,
  adapters: AdapterRegistry,
  vendor: Vendor | undefined,
  provider: ProviderName | undefined,
): { provider: ProviderName; vendor: Vendor | null; option: MpmOption } {
  const options = offeredMpm(store, adapters);
  if (!vendor && !provider) {
    throw new ApiError(400, 'vendor_required', `Choose which QR to show. ${offeredText(options)}`, { options });
  }
  if (vendor && !provider && !store.routing[vendor] && !options.some((o) => o.vendor === vendor)) {
    const accepted = acceptedVendors(store, adapters);
    throw new ApiError(422, 'vendor_not_accepted', `${VENDOR_LABELS[vendor]} is not accepted here. ${acceptedText(accepted)}`, {
      vendor,
      accepted,
    });
  }
  const p = provider ?? options.find((o) => o.vendor === vendor)?.provider ?? store.routing[vendor!]!;
  const fits = (o: MpmOption) =>
    o.provider === p && (vendor === undefined || o.vendor === vendor || (o.vendor === undefined && OWN_WALLET[p] === vendor));
  const matches = options.filter(fits);
  if (matches.length === 0) {
    const what = vendor ? `${VENDOR_LABELS[vendor]} QR through ${PROVIDER_LABELS[p]}` : `${PROVIDER_LABELS[p]} QR`;
    throw new ApiError(422, 'mpm_not_offered', `This store does not offer ${withArticle(what)}. ${offeredText(options)}`, { options });
  }
  if (matches.length > 1) {
    throw new ApiError(400, 'vendor_required', `Choose which wallet's QR to show. ${offeredText(matches)}`, { options: matches });
  }
  const option = matches[0];
  return { provider: p, vendor: option.vendor ?? OWN_WALLET[p] ?? null, option };
}
