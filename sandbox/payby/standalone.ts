// Runs the PayBy simulator on its own port: `npx tsx sandbox/payby/standalone.ts`.
// Env: PORT (default 8083), HOST (127.0.0.1), PAYBY_PARTNER_ID (demo 200000000888), PAYBY_MERCHANT_PUBLIC_KEY_FILE
// (default: the DEMO ONLY fixture). Prints the platform public key file it wrote (for PAYBY_PUBLIC_KEY_FILE).
// Also used by tests: startPayBySimulator() listens on a free port and returns what an adapter needs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { API_BASE } from './context.ts';
import { DEMO_MERCHANT_PRIVATE_KEY_FILE, DEMO_MERCHANT_PUBLIC_KEY_FILE, DEMO_PARTNER_ID, generatePayByKeyPair } from './keys.ts';
import { paybySimulator, type PayBySimOptions } from './plugin.ts';

export interface RunningPayBySimulator {
  app: FastifyInstance;
  /** Origin + prefix + /sgs/api: the adapter's `baseUrl`. */
  baseUrl: string;
  /** Origin + prefix: control routes live under `${simUrl}/control`. */
  simUrl: string;
  partnerId: string;
  /** The DEMO ONLY merchant key the simulator trusts (for the adapter's privateKeyPem). */
  merchantPrivateKeyPem: string;
  /** The simulator's platform public key (for the adapter's platformPublicKeyPem). */
  platformPublicKeyPem: string;
  close(): Promise<void>;
}

export async function startPayBySimulator(
  opts: Partial<PayBySimOptions> & { host?: string; port?: number; prefix?: string } = {},
): Promise<RunningPayBySimulator> {
  const { host = '127.0.0.1', port = 0, prefix = '/sim/payby', ...sim } = opts;
  const platform = sim.platformPrivateKeyPem ? undefined : generatePayByKeyPair();
  const app = Fastify({ logger: false });
  await app.register(paybySimulator, {
    prefix,
    partnerId: DEMO_PARTNER_ID,
    merchantPublicKeyPem: readFileSync(DEMO_MERCHANT_PUBLIC_KEY_FILE, 'utf8'),
    platformPrivateKeyPem: platform?.privateKeyPem,
    ...sim,
  });
  const address = await app.listen({ host, port });
  const platformPublicKeyPem = platform?.publicKeyPem ?? (await (await fetch(`${address}${prefix}/control/platform-key`)).text());
  return {
    app,
    baseUrl: `${address}${prefix}${API_BASE}`,
    simUrl: `${address}${prefix}`,
    partnerId: sim.partnerId ?? DEMO_PARTNER_ID,
    merchantPrivateKeyPem: readFileSync(DEMO_MERCHANT_PRIVATE_KEY_FILE, 'utf8'),
    platformPublicKeyPem,
    close: () => app.close(),
  };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const keyFile = process.env.PAYBY_MERCHANT_PUBLIC_KEY_FILE ?? DEMO_MERCHANT_PUBLIC_KEY_FILE;
  const sim = await startPayBySimulator({
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 8083),
    partnerId: process.env.PAYBY_PARTNER_ID ?? DEMO_PARTNER_ID,
    merchantPublicKeyPem: readFileSync(keyFile, 'utf8'),
    storeName: process.env.PAYBY_STORE_NAME ?? 'Demo Store',
  });
  mkdirSync(resolve('data'), { recursive: true });
  const out = resolve('data', 'payby-sim-platform-public.pem');
  writeFileSync(out, sim.platformPublicKeyPem);
  console.log(`PayBy simulator: ${sim.baseUrl}  (control: ${sim.simUrl}/control/)`);
  console.log(`Platform public key (this run only) written to ${out} — use it as PAYBY_PUBLIC_KEY_FILE`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void sim.close().then(() => process.exit(0)));
}
