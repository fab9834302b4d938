// Settings shows what a store needs (issue 12): store, this terminal's name, the app's version and the
// connection — not the browser's User-Agent or raw ids, which live in Scanner diagnostics → This device.
// The home-screen icon is a PNG and the wallet page has a favicon.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { kioskToken, pairKioskAt } from './store-helpers';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

test('Settings: store, terminal name, version and connection; raw ids only in diagnostics', async ({ page, request }) => {
  await pairKioskAt(page, 'demo-ae');
  const token = await kioskToken(page);
  const info = (await (await request.get('/api/terminal', { headers: { Authorization: `Bearer ${token}` } })).json()) as {
    terminalId: string;
    terminalName?: string;
  };
  expect(info.terminalName).toBeTruthy();

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-store-name')).toHaveText('Demo Souk (Dubai)');
  await expect(page.getByTestId('settings-terminal-name')).toHaveText(info.terminalName!);
  await expect(page.getByTestId('settings-app-version')).toHaveText(VERSION);
  await expect(page.getByTestId('settings-tablet-connection')).toHaveText('Online');
  const settingsText = await page.locator('main').innerText();
  const userAgent = await page.evaluate(() => navigator.userAgent);
  expect(settingsText).not.toContain(userAgent);
  expect(settingsText).not.toContain(info.terminalId);

  await page.getByTestId('open-diagnostics').click();
  await page.getByTestId('diag-device').locator('summary').click();
  await expect(page.getByTestId('diag-terminal-id')).toHaveText(info.terminalId);
});

test('the home-screen icon is a PNG and the wallet page has a favicon', async ({ page, request }) => {
  await page.goto('/');
  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect(touchIcon).toMatch(/\.png$/);
  const png = await request.get(touchIcon!);
  expect(png.headers()['content-type']).toBe('image/png');
  expect((await png.body()).subarray(1, 4).toString()).toBe('PNG');

  await page.goto('/wallet');
  const favicon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(favicon).toBeTruthy();
  const icon = await request.get(favicon!);
  expect(icon.ok()).toBeTruthy();
  expect(icon.headers()['content-type']).toMatch(/^image\//);
});
