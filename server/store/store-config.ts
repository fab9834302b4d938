// Shop configuration (config/stores/*.json): catalogue, currency and which provider serves each wallet.
// ("store" here is the shop; the database layer lives next to it.) Validated at boot like the env.
import { PROVIDER_NAMES, VENDORS as ALL_VENDORS } from '../../src/shared/providers.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTimeZone } from '../../src/shared/business-day.ts';
import { isSupportedCurrency, type Money } from '../../src/shared/money.ts';
import type { ProviderName, Vendor } from '../../src/shared/payment.ts';
import type { CatalogueItem, MpmOption } from '../../src/shared/api.ts';
import { ConfigError } from '../config.ts';
import { KIOSK_LANGUAGES } from '../../src/shared/languages.ts';

export interface StoreConfig {
  id: string;
  name: string;
  currency: string;
  locale: string;
  /** The kiosk's default language (en, zh-CN, ar) when the customer and the cashier chose none. */
  language?: string;
  catalogue: CatalogueItem[];
  routing: Partial<Record<Vendor, ProviderName>>;
  /** Merchant-presented QR options offered at the till, in display order. */
  mpm: MpmOption[];
  maxAmount: Money;
  receiptFooter?: string;
  /** IANA timezone of the store's business day (receipt numbers, history's "today", day reports). Default UTC. */
  timezone: string;
  /** Printed on receipts and the e-receipt page. */
  address?: string;
  taxId?: string;
}

const VENDORS: readonly string[] = ALL_VENDORS;
const PROVIDERS: readonly string[] = PROVIDER_NAMES;

function money(file: string, field: string, v: unknown, currency: string): Money {
  const m = v as Money | null;
  if (!m || typeof m !== 'object' || !Number.isSafeInteger(m.value) || m.value <= 0 || m.currency !== currency) {
    throw new ConfigError(`${file}: ${field} must be {value: positive integer minor units, currency: "${currency}"}`);
  }
  return { value: m.value, currency: m.currency };
}

/** `mpm: [{provider, vendor?, label}]` — optional (no QR offered); each option once. */
function parseMpm(raw: unknown, fail: (msg: string) => never): MpmOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('"mpm" must be an array of {provider, vendor?, label}');
  const seen = new Set<string>();
  return (raw as unknown[]).map((item, i) => {
    const it = (item ?? {}) as Record<string, unknown>;
    if (typeof it.provider !== 'string' || !PROVIDERS.includes(it.provider))
      fail(`mpm[${i}].provider must be one of ${PROVIDERS.join(', ')}`);
    if (it.vendor !== undefined && (typeof it.vendor !== 'string' || !VENDORS.includes(it.vendor)))
      fail(`mpm[${i}].vendor must be one of ${VENDORS.join(', ')}`);
    if (typeof it.label !== 'string' || it.label.trim() === '' || it.label.length > 40) fail(`mpm[${i}].label must be 1-40 characters`);
    const key = `${it.provider}/${it.vendor ?? ''}`;
    if (seen.has(key)) fail(`mpm option ${key} appears twice`);
    seen.add(key);
    return { provider: it.provider as ProviderName, ...(it.vendor ? { vendor: it.vendor as Vendor } : {}), label: it.label.trim() };
  });
}

export function parseStoreConfig(file: string, json: unknown): StoreConfig {
  const o = json as Record<string, unknown>;
  const fail = (msg: string): never => {
    throw new ConfigError(`${file}: ${msg}`);
  };
  if (!o || typeof o !== 'object') fail('must be a JSON object');
  for (const k of ['id', 'name', 'currency', 'locale'] as const)
    if (typeof o[k] !== 'string' || o[k] === '') fail(`"${k}" must be a non-empty string`);
  const currency = o.currency as string;
  if (!isSupportedCurrency(currency)) fail(`currency ${JSON.stringify(currency)} is not supported`);
  if (!Array.isArray(o.catalogue)) fail('"catalogue" must be an array');
  const skus = new Set<string>();
  const catalogue = (o.catalogue as unknown[]).map((item, i) => {
    const it = item as Record<string, unknown>;
    if (typeof it?.sku !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(it.sku))
      fail(`catalogue[${i}].sku must be 1-64 letters, digits, _ or -`);
    if (skus.has(it.sku as string)) fail(`catalogue sku ${JSON.stringify(it.sku)} appears twice`);
    skus.add(it.sku as string);
    if (typeof it.name !== 'string' || it.name === '') fail(`catalogue[${i}].name must be a non-empty string`);
    const category = it.category;
    if (category !== undefined && (typeof category !== 'string' || category.trim() === '' || category.length > 40))
      fail(`catalogue[${i}].category must be 1-40 characters (or left out)`);
    return {
      sku: it.sku as string,
      name: it.name as string,
      price: money(file, `catalogue[${i}].price`, it.price, currency),
      ...(category !== undefined ? { category: (category as string).trim() } : {}),
    };
  });
  const routingRaw = o.routing as Record<string, unknown>;
  if (!routingRaw || typeof routingRaw !== 'object')
    fail(`"routing" must map wallets to providers, e.g. {"alipay": "${PROVIDER_NAMES[0]}"}`);
  const routing: Partial<Record<Vendor, ProviderName>> = {};
  for (const [vendor, provider] of Object.entries(routingRaw)) {
    if (!VENDORS.includes(vendor)) fail(`routing: unknown wallet ${JSON.stringify(vendor)} (known: ${VENDORS.join(', ')})`);
    if (typeof provider !== 'string' || !PROVIDERS.includes(provider))
      fail(`routing.${vendor}: unknown provider ${JSON.stringify(provider)}`);
    routing[vendor as Vendor] = provider as ProviderName;
  }
  const mpm = parseMpm(o.mpm, fail);
  const language = o.language;
  if (language !== undefined && (typeof language !== 'string' || !(KIOSK_LANGUAGES as readonly string[]).includes(language)))
    fail(`"language" must be one of ${KIOSK_LANGUAGES.join(', ')}`);
  const receiptFooter = o.receiptFooter;
  if (receiptFooter !== undefined && typeof receiptFooter !== 'string') fail('"receiptFooter" must be a string');
  const timezone = o.timezone ?? 'UTC';
  if (typeof timezone !== 'string' || !isTimeZone(timezone)) fail('"timezone" must be an IANA timezone such as "Pacific/Auckland"');
  for (const k of ['address', 'taxId'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k].length > 200)) fail(`"${k}" must be text of at most 200 characters`);
  }
  return {
    id: o.id as string,
    name: o.name as string,
    currency,
    locale: o.locale as string,
    ...(language ? { language: language as string } : {}),
    catalogue,
    routing,
    mpm,
    maxAmount: money(file, 'maxAmount', o.maxAmount, currency),
    ...(receiptFooter ? { receiptFooter: receiptFooter as string } : {}),
    timezone: timezone as string,
    ...(o.address ? { address: o.address as string } : {}),
    ...(o.taxId ? { taxId: o.taxId as string } : {}),
  };
}

/** Every store file in `dir`, by id. A broken file stops the boot: it would otherwise surface mid-sale. */
export function loadStoreConfigs(dir: string): Map<string, StoreConfig> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    throw new ConfigError(`Store config folder ${dir} is missing (set STORES_DIR or restore config/stores/)`);
  }
  const stores = new Map<string, StoreConfig>();
  for (const f of files) {
    const path = join(dir, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    const store = parseStoreConfig(path, json);
    if (stores.has(store.id)) throw new ConfigError(`${path}: store id ${store.id} is used by two files`);
    stores.set(store.id, store);
  }
  return stores;
}
