import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { E2E_DB } from '../../playwright.config';

export const DB_URL = `sqlite:./${E2E_DB}`;

/** Runs the pairing CLI (`npm run pair [-- --store <id>]`) on the e2e database and returns the link it printed:
 *  a pairing made the way an IT admin makes one. Started with node + tsx directly, not through npx: the test's
 *  worker waits for it, and npx's own start cost about a second of CPU per pairing (~45 a run). */
export function pairingPathFromCli(args: string[] = []): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/pair.ts', ...args], {
    encoding: 'utf8',
    // A blocked call would block the test's worker, where no test timeout can fire.
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: DB_URL, PORT: process.env.E2E_PORT ?? '18080' },
  });
  const m = /\?pair=([A-Za-z0-9_-]+)/.exec(r.stdout);
  if (!m) throw new Error(`npm run pair -- ${args.join(' ')} printed no link:\n${r.stdout}\n${r.stderr}`);
  return `/?pair=${m[1]}`;
}

/** A fresh one-time pairing link for the default store. */
export function newPairingPath(): string {
  return pairingPathFromCli();
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
    .poll(
      async () => {
        const s = await codeState(request, code);
        txn = s.transaction?.transactionNo;
        return s.transaction?.status;
      },
      { timeout: 10_000 },
    )
    .toBe('pending');
  return txn!;
}

/** Types like a keyboard-wedge scanner: ~15 ms per character, Enter suffix, nothing focused. */
export async function wedgeScan(page: Page, text: string, opts: { handOverMs?: number } = {}): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await scannerType(page, text, opts);
}

const SCANNER_MS_PER_KEY = 15;

function keyFields(ch: string) {
  if (ch === '\r') return { key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 };
  const digit = /^\d$/.test(ch);
  const vk = digit || /^[a-z]$/i.test(ch) ? ch.toUpperCase().charCodeAt(0) : 0;
  return { key: ch, code: digit ? `Digit${ch}` : '', text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk };
}

/**
 * A scanner's keystrokes, then Enter. A USB scanner sends keys on its own clock and the OS stamps each one;
 * it never waits for the page. Playwright's keyboard.type waits for every key to be handled before it
 * sends the next, so on a loaded machine its "scanner" pauses for hundreds of ms between keys (measured:
 * 320 ms between two keys with the page idle, 630 ms when the test runner paced keys itself) and looks
 * like a person. Here the keys carry the scanner's own times (CDP `timestamp`, 15 ms apart, the last one
 * now) and go out together: what the page sees is a scan typed while it was busy, delivered late and
 * bunched — the hard case for the wedge detector, and one a loaded test runner cannot stretch.
 */
export async function scannerType(page: Page, text: string, opts: { handOverMs?: number } = {}): Promise<void> {
  const keys = [...text, '\r'];
  const cdp = await page.context().newCDPSession(page);
  try {
    const start = Date.now() - keys.length * SCANNER_MS_PER_KEY;
    const send = (ch: string, i: number) => {
      const at = start + i * SCANNER_MS_PER_KEY;
      const { text: typed, unmodifiedText, ...key } = keyFields(ch);
      return [
        cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key, text: typed, unmodifiedText, timestamp: at / 1000 }),
        cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, timestamp: (at + 5) / 1000 }),
      ];
    };
    if (opts.handOverMs === undefined) {
      await Promise.all(keys.flatMap(send));
      return;
    }
    // A loaded machine handing the page one key at a time, each long after the scanner typed it.
    for (const [i, ch] of keys.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, opts.handOverMs));
      await Promise.all(send(ch, i));
    }
  } finally {
    await cdp.detach();
  }
}
