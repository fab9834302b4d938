import { defineConfig } from '@playwright/test';

// Debian's Chromium (npm test provisions it); Playwright's own browser download cannot work here.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const E2E_PORT = Number(process.env.E2E_PORT ?? 18080);
/** One database per port, fresh for every run: runs on other ports (other worktrees) never share it, and a
 *  targeted re-run does not inherit the attention items and sales of the last one. */
export const E2E_DB = `.test-tmp/e2e-${E2E_PORT}.db`;
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // A fake camera (Chromium's test pattern) so the Pay screen always has a camera; camera tests swap in a .y4m.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  // A run that hangs stops here and names the tests it interrupted, well before CI's own limit (npm test's
  // watchdog, scripts/test.mjs, is the backstop at 30 min). A whole run takes 6-10 minutes.
  globalTimeout: 25 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry in CI only; scripts/test.mjs names every test that needed it, so a flake is reported, not hidden.
  retries: process.env.CI ? 1 : 0,
  outputDir: '.test-tmp/playwright',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -f ${E2E_DB} ${E2E_DB}-wal ${E2E_DB}-shm && npx tsx server/main.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/healthz`,
    // E2E_REUSE=1: run against a server you started yourself (e.g. to read its log while debugging).
    reuseExistingServer: process.env.E2E_REUSE === '1',
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:./${E2E_DB}`,
      DEMO: '1',
      SIM_POCKYT_PENDING_MS: '1500',
      SIM_POCKYT_SLOW_MS: '4000',
      POCKYT_PREPAY_TIMEOUT_MS: '2500',
      POLL_INITIAL_MS: '300',
      POLL_MAX_MS: '1000',
      // PayBy's merchant QR lives this long (ms): short enough for the MPM expiry + "New code" e2e test
      // (tests/e2e/mpm-payby.spec.ts), long enough to scan and pay it in the other tests.
      PAYBY_CONFIRM_WINDOW_MS: '20000',
      // Every test pairs a fresh tablet from this one address, a dozen a minute at times; no person does that
      // (pairing limits and why: server/config/limits.ts).
      RATE_LIMIT_PAIR_PER_IP: '1000',
    },
  },
});
