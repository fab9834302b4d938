// The proxy serving HTTPS itself (TLS_CERT_FILE/TLS_KEY_FILE) with a throwaway self-signed certificate: Chromium
// gets a secure context (the camera is allowed off localhost) and a demo sale completes end to end over TLS.
// Its own server on a free port: the shared E2E server is plain HTTP.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate, type SelfSigned } from '../server/helpers/self-signed';
import { ringUpOpenAmount } from './helpers';
import { alipayTestCode, enterCode } from './offline-helpers';

let PORT = 0;
let tls: SelfSigned;
let server: ChildProcess;
let dataDir: string;
let pairLink: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

test.beforeAll(async () => {
  PORT = await freePort();
  tls = selfSignedCertificate();
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-https-'));
  // node itself (not npx → tsx → node) so the SIGTERM in afterAll reaches the server and nothing outlives the test.
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DEMO: '1',
      DATABASE_URL: `sqlite:${join(dataDir, 'kiosk.db')}`,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      // The demo's adapters call their simulators on this same HTTPS port: Node must trust the certificate too.
      NODE_EXTRA_CA_CERTS: tls.certFile,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  pairLink = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no pairing link within 60 s:\n${out}`)), 60_000);
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(https:\/\/localhost:\d+\/\?pair=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    server.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    server.on('exit', (code) => fail(new Error(`server exited (${code}):\n${out}`)));
  });
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
  tls?.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.use({ ignoreHTTPSErrors: true });

test('the kiosk runs over HTTPS: secure context, camera API, a paid sale', async ({ page }) => {
  expect(pairLink).toMatch(new RegExp(`^https://localhost:${PORT}/`));
  await page.goto(pairLink);
  await expect(page.getByTestId('pay-wallet')).toBeVisible();
  expect(
    await page.evaluate(() => ({ secure: isSecureContext, protocol: location.protocol, camera: !!navigator.mediaDevices?.getUserMedia })),
  ).toEqual({
    secure: true,
    protocol: 'https:',
    camera: true,
  });

  await ringUpOpenAmount(page, 1250);
  await page.getByTestId('pay-wallet').click();
  await enterCode(page, alipayTestCode('0001'));
  await expect(page.getByTestId('paid-banner')).toBeVisible({ timeout: 15_000 });
});
