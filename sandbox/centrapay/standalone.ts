// Runs the Centrapay simulator on its own port: `npx tsx sandbox/centrapay/standalone.ts`.
// Env: PORT (default 8082), HOST (127.0.0.1), CENTRAPAY_API_KEY / CENTRAPAY_CONFIG_ID (demo values),
// CENTRAPAY_WEBHOOK_URL (optional subscription), CENTRAPAY_LUHN_CHECK=0 to accept the docs' example code.
// Also used by tests: startCentrapaySimulator() listens on a free port and returns the base URL.
import Fastify, { type FastifyInstance } from 'fastify';
import { centrapaySimulator, type CentrapaySimOptions } from './plugin.ts';

export const DEMO_CREDENTIALS = {
  apiKey: 'cp-demo-sandbox-0000-merchant-terminal-key',
  configId: 'mc_demo0cafe0config0001',
} as const;

/** The simulator's account id: the adapter's `merchantAccountId` for the externalRef lookup. */
export const DEMO_ACCOUNT_ID = 'SimAcct0Demo0Cafe0001';

export interface RunningSimulator {
  app: FastifyInstance;
  /** Origin + prefix: the adapter's `baseUrl` (API paths start with /api/…). */
  baseUrl: string;
  /** Where the notification intake fetches keys (CENTRAPAY_JWKS_URL). */
  jwksUrl: string;
  close(): Promise<void>;
}

export async function startCentrapaySimulator(
  opts: Partial<CentrapaySimOptions> & { host?: string; port?: number; prefix?: string } = {},
): Promise<RunningSimulator> {
  const { host = '127.0.0.1', port = 0, prefix = '/sim/centrapay', ...sim } = opts;
  const app = Fastify({ logger: false });
  await app.register(centrapaySimulator, { prefix, accountId: DEMO_ACCOUNT_ID, ...DEMO_CREDENTIALS, ...sim });
  const address = await app.listen({ host, port });
  const baseUrl = `${address}${prefix}`;
  return { app, baseUrl, jwksUrl: `${baseUrl}/api/.well-known/jwks.json`, close: () => app.close() };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const webhookUrl = process.env.CENTRAPAY_WEBHOOK_URL;
  const sim = await startCentrapaySimulator({
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 8082),
    apiKey: process.env.CENTRAPAY_API_KEY ?? DEMO_CREDENTIALS.apiKey,
    configId: process.env.CENTRAPAY_CONFIG_ID ?? DEMO_CREDENTIALS.configId,
    merchantName: process.env.CENTRAPAY_MERCHANT_NAME ?? 'Demo Café',
    luhnCheck: process.env.CENTRAPAY_LUHN_CHECK !== '0',
    webhook: webhookUrl ? { url: webhookUrl } : undefined,
  });
  console.log(`Centrapay simulator: ${sim.baseUrl}  (control: ${sim.baseUrl}/control/, JWKS: ${sim.jwksUrl})`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void sim.close().then(() => process.exit(0)));
}
