// The three provider simulators standalone (they play the providers, so they must outlive a proxy that is
// killed and restarted), the proxy environment that points a non-demo proxy at them, and their ledgers
// (GET <sim>/control/ledger) for comparing what the providers did with what the proxy recorded.
// Used in-process by the crash tests and in its own process (sims-child.ts) by the chaos bench.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderName } from '../../src/shared/payment.ts';
import type { SimLedgerEntry } from '../../sandbox/common/ledger.ts';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS as CENTRAPAY, startCentrapaySimulator } from '../../sandbox/centrapay/standalone.ts';
import { DEMO_MERCHANT_PRIVATE_KEY_FILE, DEMO_PARTNER_ID } from '../../sandbox/payby/keys.ts';
import { startPayBySimulator } from '../../sandbox/payby/standalone.ts';
import { DEMO_CREDENTIALS as POCKYT, startPockytSimulator } from '../../sandbox/pockyt/standalone.ts';

export interface SimEndpoints {
  pockyt?: { baseUrl: string; control: string };
  centrapay?: { baseUrl: string; jwksUrl: string; control: string };
  payby?: { baseUrl: string; control: string; platformPublicKeyPem: string };
}

export interface SimTimings {
  /** Test codes' pending time (Pockyt 0002, Centrapay 0003, PayBy PWD…). */
  pendingMs: number;
  /** Notification attempts (delay before each). */
  notifyScheduleMs: number[];
  /** Centrapay: length of one simulated second (request expiry). */
  centrapaySecondMs: number;
  /** Centrapay requests per minute per account before 429. */
  centrapayRateLimit: number;
  /** PayBy REFUNDED_SETTLED → SUCCESS. */
  paybyRefundCompleteMs: number;
}

export interface RunningSims {
  endpoints: SimEndpoints;
  close(): Promise<void>;
}

/** Starts the named simulators on free ports. `proxyUrl` is where webhooks go (the proxy's PUBLIC_URL). */
export async function startSims(providers: readonly ProviderName[], proxyUrl: string, t: SimTimings): Promise<RunningSims> {
  const endpoints: SimEndpoints = {};
  const closers: (() => Promise<void>)[] = [];
  if (providers.includes('pockyt')) {
    const s = await startPockytSimulator({ pendingMs: t.pendingMs, ipnRetryScheduleMs: t.notifyScheduleMs, storeName: 'Bench Store' });
    endpoints.pockyt = { baseUrl: s.baseUrl, control: `${s.baseUrl}/control` };
    closers.push(() => s.close());
  }
  if (providers.includes('centrapay')) {
    const s = await startCentrapaySimulator({
      pendingMs: t.pendingMs,
      secondMs: t.centrapaySecondMs,
      rateLimit: t.centrapayRateLimit,
      notifyRetryScheduleMs: t.notifyScheduleMs,
      webhook: { url: `${proxyUrl}/webhooks/centrapay` },
    });
    endpoints.centrapay = { baseUrl: s.baseUrl, jwksUrl: s.jwksUrl, control: `${s.baseUrl}/control` };
    closers.push(() => s.close());
  }
  if (providers.includes('payby')) {
    const s = await startPayBySimulator({
      pendingMs: t.pendingMs,
      refundCompleteMs: t.paybyRefundCompleteMs,
      notifyRetryScheduleMs: t.notifyScheduleMs,
    });
    endpoints.payby = { baseUrl: s.baseUrl, control: `${s.simUrl}/control`, platformPublicKeyPem: s.platformPublicKeyPem };
    closers.push(() => s.close());
  }
  return {
    endpoints,
    close: async () => {
      await Promise.all(closers.map((c) => c()));
    },
  };
}

/** Environment for a non-demo proxy that talks to these simulators as if they were the real providers. */
export function providerEnv(s: SimEndpoints): Record<string, string> {
  const env: Record<string, string> = { DEMO: '0' };
  if (s.pockyt) {
    Object.assign(env, {
      POCKYT_BASE_URL: s.pockyt.baseUrl,
      POCKYT_MERCHANT_NO: POCKYT.merchantNo,
      POCKYT_STORE_NO: POCKYT.storeNo,
      POCKYT_TOKEN: POCKYT.token,
    });
  }
  if (s.centrapay) {
    Object.assign(env, {
      CENTRAPAY_BASE_URL: s.centrapay.baseUrl,
      CENTRAPAY_API_KEY: CENTRAPAY.apiKey,
      CENTRAPAY_CONFIG_ID: CENTRAPAY.configId,
      CENTRAPAY_JWKS_URL: s.centrapay.jwksUrl,
      CENTRAPAY_MERCHANT_ACCOUNT_ID: DEMO_ACCOUNT_ID,
    });
  }
  if (s.payby) {
    const file = join(mkdtempSync(join(tmpdir(), 'kiosk-payby-key-')), 'platform-public.pem');
    writeFileSync(file, s.payby.platformPublicKeyPem);
    Object.assign(env, {
      PAYBY_BASE_URL: s.payby.baseUrl,
      PAYBY_PARTNER_ID: DEMO_PARTNER_ID,
      PAYBY_PRIVATE_KEY_FILE: DEMO_MERCHANT_PRIVATE_KEY_FILE,
      PAYBY_PUBLIC_KEY_FILE: file,
    });
  }
  return env;
}

export async function ledgerOf(control: string): Promise<SimLedgerEntry[]> {
  const res = await fetch(`${control}/ledger`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${control}/ledger: HTTP ${res.status}`);
  return ((await res.json()) as { items: SimLedgerEntry[] }).items;
}

/** A port nobody listens on right now, so a restarted proxy can come back where the providers notify it.
 *  Taken below the kernel's ephemeral range: servers that listen on port 0 (other tests, running in
 *  parallel) are given ports from that range and so cannot grab this one while our proxy is down. */
export async function freePort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the usual default
  }
  // From 20000 up: fetch refuses some lower ports outright ("bad ports", e.g. 10080).
  const top = Math.max(21_000, Math.min(low, 65_536) - 1);
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * (top - 20_000));
    if (await bindable(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Where each simulator takes faults: the call that charges (or creates the merchant QR). */
export const CHARGE_PATH: Record<ProviderName, { cpm: string; mpm: string }> = {
  pockyt: { cpm: '/app-instore/v3/prepay', mpm: '/app-instore/v3/create-trans-qrcode' },
  centrapay: { cpm: '/api/payment-requests', mpm: '/api/payment-requests' },
  payby: { cpm: '/acquire2/placeOrder', mpm: '/acquire2/placeOrder' },
};

/** The path below the control base where a merchant QR is paid by "the customer". */
export function payQrPath(provider: ProviderName, providerRef: string): string {
  if (provider === 'pockyt') return `/transactions/${providerRef}/pay`;
  if (provider === 'centrapay') return `/requests/${providerRef}/pay`;
  return `/orders/${providerRef}/pay`;
}

export async function control(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const payload = body !== undefined ? JSON.stringify(body) : method === 'POST' ? '{}' : undefined;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    body: payload,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Resolves once no fault for `path` (and `phase`, when given) is left at the simulator, which lists only the
 *  faults no call has taken yet: a call that took a hold is now held there. */
export async function untilFaultTaken(base: string, path: string, phase?: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await control(base, 'GET', '/faults')).body as { path: string; phase: string }[];
    if (!left.some((f) => f.path === path && (phase === undefined || f.phase === phase))) return;
    if (Date.now() > deadline) throw new Error(`no call took the ${phase ?? 'any'} fault on ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
