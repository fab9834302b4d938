// A walk through every screen of the kiosk, the customer display, the demo wallet and the e-receipt, in the
// store with the longest strings (Demo Souk, Dubai: AED amounts, the longest catalogue names), calling `visit`
// on each with the elements that must be fully on screen. Used by layout.spec.ts (sizes) and a11y.spec.ts
// (axe, one h1). Language: `lang` is written to localStorage before any page script runs (paraglide's
// localStorage strategy key), so a spec can run the same walk once per language.
import { readFileSync } from 'node:fs';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { ringUpOpenAmount, wedgeScan } from './helpers';
import { waitForServiceWorkerControl } from './offline-helpers';
import { addItems, pairKioskAt } from './store-helpers';

/** Key elements of a screen. `scroll`: inside a scroll container, checked after scrolling it into view. */
export interface Key {
  el: Locator;
  scroll?: boolean;
}

export interface Visit {
  name: string;
  page: Page;
  keys: Key[];
}

/** Every visit the walk makes, in order: a spec checks it saw them all. */
export const TOUR_SCREENS = [
  'pair',
  'sale',
  'sale with banner',
  'mpm',
  'pay',
  'paid',
  'settings',
  'diagnostics',
  'orders',
  'attention',
  'history',
  'history detail',
  'day close PIN',
  'day close',
  'display',
  'wallet',
  'wallet with a code',
  'wallet merchant QR',
  'e-receipt',
];

export type Visitor = (v: Visit) => Promise<void>;

export interface TourOptions {
  browser: Browser;
  viewport: { width: number; height: number };
  /** A paraglide locale (en, zh-CN, ar); unset: the app's own choice. */
  lang?: string;
}

// The cashier's choice on this tablet (Settings → Language; src/lib/i18n/locale.svelte.ts).
export const LOCALE_STORAGE_KEY = 'kiosk.language';

/** A message of messages/<lang>.json (the texts the tour waits for are each language's own). */
function message(lang: string | undefined, key: string): string {
  const all = JSON.parse(readFileSync(`messages/${lang ?? 'en'}.json`, 'utf8')) as Record<string, string>;
  return all[key];
}

/** Languages to walk, from E2E_LANGS (comma-separated, e.g. "en"); default all three the kiosk speaks. */
export function tourLanguages(): string[] {
  return (process.env.E2E_LANGS ?? 'en,zh-CN,ar')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The longest names in the AED store's catalogue: with an open amount, three cart lines that must all show at once. */
const LONG_ITEMS = ['camel-chocolate', 'dates'];

async function newContext(o: TourOptions, phone = false): Promise<BrowserContext> {
  const context = await o.browser.newContext(
    // The phone asks for the tour's language (Accept-Language): the e-receipt page follows it.
    phone
      ? { viewport: o.viewport, isMobile: true, hasTouch: true, ...(o.lang ? { locale: o.lang } : {}) }
      : { viewport: o.viewport, permissions: ['camera'] },
  );
  if (o.lang) await context.addInitScript(([k, v]) => localStorage.setItem(k, v), [LOCALE_STORAGE_KEY, o.lang] as const);
  return context;
}

const by = (page: Page, ...ids: string[]): Key[] => ids.map((id) => ({ el: page.getByTestId(id) }));
const h1 = (page: Page): Key => ({ el: page.locator('h1') });

/** A fresh PayBy authCode the simulator pays at once (`OK` + digits). */
function paybyInstantCode(): string {
  return `OK${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
}

async function pinIn(page: Page): Promise<void> {
  await page.getByTestId('pin-input').fill('1234');
  await page.getByTestId('pin-submit').click();
}

interface KioskTrail {
  eReceipt: string;
  /** The merchant QR the kiosk showed (cancelled since): the wallet page still shows what it asked. */
  merchantQr: string;
}

/** The kiosk, from unpaired to Day close; returns what the phone opens next. */
async function tourKiosk(o: TourOptions, visit: Visitor): Promise<KioskTrail> {
  const context = await newContext(o);
  try {
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByTestId('pair-code-input')).toBeVisible();
    await visit({ name: 'pair', page, keys: [h1(page), ...by(page, 'pair-status', 'pair-code-input', 'pair-submit')] });

    await pairKioskAt(page, 'demo-ae', o.lang ?? 'en');
    // The widest amount the store allows (limit AED 10,000.00): AED 9,956.54 with the two items.
    await ringUpOpenAmount(page, 987654);
    await addItems(page, ...LONG_ITEMS);
    await expect(page.getByTestId('cart-line')).toHaveCount(3);
    const saleKeys = (): Key[] => [
      ...by(page, 'keypad-display', 'add-amount', 'cart-total', 'pay-wallet', 'pay-qr', 'park-order'),
      { el: page.getByTestId('cart-line') },
      { el: page.locator('[data-testid^="item-"]'), scroll: true },
    ];
    await visit({ name: 'sale', page, keys: saleKeys() });

    // The proxy unreachable at start: the saved-settings banner takes room, the three lines must still show.
    await waitForServiceWorkerControl(page);
    const unreachable = /\/(healthz|api\/)/;
    await context.route(unreachable, (route) => route.abort('connectionrefused'));
    await page.reload();
    await expect(page.getByTestId('saved-settings-banner')).toBeVisible();
    await expect(page.getByTestId('cart-line')).toHaveCount(3);
    await visit({ name: 'sale with banner', page, keys: [...saleKeys(), ...by(page, 'saved-settings-banner')] });
    await context.unroute(unreachable);
    await expect(page.getByTestId('saved-settings-banner')).toHaveCount(0, { timeout: 15_000 });

    await page.getByTestId('pay-qr').click();
    await expect(page.getByTestId('mpm-qr')).toBeVisible();
    const merchantQr = (await page.getByTestId('mpm-qr').getAttribute('data-payload'))!;
    await visit({ name: 'mpm', page, keys: by(page, 'mpm-amount', 'mpm-provider', 'mpm-status', 'mpm-countdown', 'mpm-qr', 'mpm-cancel') });
    await page.getByTestId('mpm-cancel').click();
    await expect(page.getByTestId('pay-wallet')).toBeEnabled();

    await page.getByTestId('pay-wallet').click();
    await expect(page.getByTestId('pay-status')).toHaveText(message(o.lang, 'status_ready'));
    await visit({
      name: 'pay',
      page,
      keys: [...by(page, 'pay-amount', 'pay-status', 'manual-open', 'pay-cancel'), { el: page.locator('.pay .summary') }],
    });
    // Paid at once: the Pay screen goes straight to Paid.
    await wedgeScan(page, paybyInstantCode());
    await expect(page.getByTestId('paid-banner')).toBeVisible();
    const eReceipt = (await page.getByTestId('ereceipt').getAttribute('data-url'))!;
    await visit({ name: 'paid', page, keys: by(page, 'paid-banner', 'receipt-print', 'new-sale') });
    await page.getByTestId('new-sale').click();

    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('settings-store-name')).toBeVisible();
    await visit({ name: 'settings', page, keys: by(page, 'settings-store-name', 'open-diagnostics', 'open-dayclose') });

    await page.getByTestId('open-diagnostics').click();
    await expect(page.getByTestId('diag-back')).toBeVisible();
    await visit({ name: 'diagnostics', page, keys: [h1(page), ...by(page, 'diag-back', 'camera-select')] });
    await page.getByTestId('diag-back').click();

    await page.getByTestId('nav-orders').click();
    await expect(page.getByTestId('orders-list')).toBeVisible();
    await visit({ name: 'orders', page, keys: [h1(page), ...by(page, 'orders-sync')] });

    await page.getByTestId('nav-attention').click();
    await expect(page.getByTestId('attention-list')).toBeAttached();
    await visit({ name: 'attention', page, keys: [h1(page), ...by(page, 'attention-refresh')] });

    await page.getByTestId('nav-history').click();
    await expect(page.getByTestId('history-row').first()).toBeVisible();
    await visit({ name: 'history', page, keys: [h1(page), ...by(page, 'history-search', 'history-row')] });
    await page.getByTestId('history-row').first().click();
    await expect(page.getByTestId('detail-amount')).toBeVisible();
    await visit({ name: 'history detail', page, keys: [h1(page), ...by(page, 'detail-back', 'detail-amount', 'reprint')] });

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('open-dayclose').click();
    await expect(page.getByTestId('pin-input')).toBeVisible();
    await visit({ name: 'day close PIN', page, keys: by(page, 'pin-input', 'pin-submit', 'pin-cancel') });
    await pinIn(page);
    await expect(page.getByTestId('dayclose-report')).toBeVisible({ timeout: 30_000 });
    await visit({ name: 'day close', page, keys: [h1(page), ...by(page, 'dayclose-refresh', 'dayclose-z')] });

    // The customer display, next to a sale in progress (same browser: BroadcastChannel).
    await page.getByTestId('nav-sale').click();
    await addItems(page, ...LONG_ITEMS);
    const display = await context.newPage();
    await display.goto('/display');
    await expect(display.getByTestId('display-total')).toBeVisible();
    await visit({ name: 'display', page: display, keys: by(display, 'display-store', 'display-total') });
    return { eReceipt, merchantQr };
  } finally {
    await context.close();
  }
}

/** The customer's phone: the demo wallet and the e-receipt. */
async function tourPhone(o: TourOptions, { eReceipt, merchantQr }: KioskTrail, visit: Visitor): Promise<void> {
  const context = await newContext(o, true);
  try {
    const page = await context.newPage();
    await page.goto('/wallet');
    await expect(page.getByTestId('wallet-vendor-payby')).toBeVisible();
    await visit({ name: 'wallet', page, keys: [h1(page), ...by(page, 'wallet-status', 'wallet-vendor-payby')] });
    await page.getByTestId('wallet-vendor-payby').click();
    await expect(page.getByTestId('wallet-status')).not.toHaveText(/init/i);
    await visit({ name: 'wallet with a code', page, keys: [h1(page), ...by(page, 'wallet-status')] });

    await page.goto(`/wallet?qr=${encodeURIComponent(merchantQr)}`);
    await expect(page.getByTestId('wallet-mpm-amount')).toBeVisible();
    // Where the payment stands in words, not the provider's raw status word (it said "Pockyt · status init").
    await expect(page.getByTestId('wallet-mpm-via')).toHaveText(/^PayBy · /);
    await expect(page.getByTestId('wallet-mpm-via')).not.toHaveText(/status|\b[A-Z_]{4,}\b/);
    await visit({ name: 'wallet merchant QR', page, keys: [h1(page), { el: page.locator('details.mpm') }] });

    await page.goto(eReceipt);
    await expect(page.getByTestId('e-receipt')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', o.lang ?? 'en');
    await visit({ name: 'e-receipt', page, keys: [h1(page), ...by(page, 'e-receipt')] });
  } finally {
    await context.close();
  }
}

/** Walks every screen; `phoneViewport` (default 390×844) sizes the wallet and the e-receipt. */
export async function tourAllScreens(o: TourOptions, visit: Visitor, phoneViewport = { width: 390, height: 844 }): Promise<void> {
  const trail = await tourKiosk(o, visit);
  await tourPhone({ ...o, viewport: phoneViewport }, trail, visit);
}
