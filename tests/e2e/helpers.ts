import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';

export const DB_URL = 'sqlite:./.test-tmp/e2e.db';

/** A fresh one-time pairing link, made the way an IT admin does: `npm run pair` against the same database. */
export function newPairingPath(): string {
  const r = spawnSync('npx', ['tsx', 'server/cli/pair.ts'], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: DB_URL, PORT: process.env.E2E_PORT ?? '18080' },
  });
  const m = /\?pair=([A-Za-z0-9_-]+)/.exec(r.stdout);
  if (!m) throw new Error(`npm run pair printed no link:\n${r.stdout}\n${r.stderr}`);
  return `/?pair=${m[1]}`;
}

export async function pairKiosk(page: Page): Promise<void> {
  await page.goto(newPairingPath());
  await expect(page.getByTestId('pay-wallet')).toBeVisible();
}

/** Rings up an open amount on the keypad, e.g. 1250 → $12.50. */
export async function ringUpOpenAmount(page: Page, minor: number): Promise<void> {
  for (const d of String(minor)) await page.getByTestId(`key-${d}`).click();
  await page.getByTestId('add-amount').click();
}

export interface WalletCode {
  code: string;
  vendor: string;
  expiresAt: string;
}

export async function issueWalletCode(request: APIRequestContext, vendor: 'alipay' | 'wechatpay'): Promise<WalletCode> {
  const res = await request.post('/sim/pockyt/control/codes', { data: { vendor } });
  expect(res.ok()).toBeTruthy();
  return (await res.json()) as WalletCode;
}

export async function codeState(request: APIRequestContext, code: string) {
  const res = await request.get(`/sim/pockyt/control/codes/${code}`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()) as {
    state: string;
    transaction?: { transactionNo: string; status: string; amount: string; currency: string };
  };
}

/** Waits until the simulator holds a pending charge for the code (the kiosk sent it), returns its transactionNo. */
export async function waitForPendingCharge(request: APIRequestContext, code: string): Promise<string> {
  let txn: string | undefined;
  await expect
    .poll(async () => {
      const s = await codeState(request, code);
      txn = s.transaction?.transactionNo;
      return s.transaction?.status;
    }, { timeout: 10_000 })
    .toBe('pending');
  return txn!;
}

/** Types like a keyboard-wedge scanner: ~15 ms per character, Enter suffix, nothing focused. */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.type(text, { delay: 15 });
  await page.keyboard.press('Enter');
}
