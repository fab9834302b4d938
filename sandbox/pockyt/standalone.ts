// Runs the Pockyt simulator on its own port: `npx tsx sandbox/pockyt/standalone.ts`.
// Env: PORT (default 8081), HOST (127.0.0.1), POCKYT_MERCHANT_NO / POCKYT_STORE_NO / POCKYT_TOKEN (demo values).
// Also used by tests: startPockytSimulator() listens on a free port and returns the base URL.
import Fastify, { type FastifyInstance } from 'fastify';
import { pockytSimulator, type PockytSimOptions } from './plugin.ts';

export const DEMO_CREDENTIALS = {
  merchantNo: '200043',
  storeNo: '303660',
  token: '359c05eb811c7c8576f4a8a277dc6f6b',
} as const;

export interface RunningSimulator {
  app: FastifyInstance;
  /** Origin + prefix: the adapter's `baseUrl`. */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startPockytSimulator(
  opts: Partial<PockytSimOptions> & { host?: string; port?: number; prefix?: string } = {},
): Promise<RunningSimulator> {
  const { host = '127.0.0.1', port = 0, prefix = '/sim/pockyt', ...sim } = opts;
  const app = Fastify({ logger: false });
  await app.register(pockytSimulator, { prefix, ...DEMO_CREDENTIALS, ...sim });
  const address = await app.listen({ host, port });
  return { app, baseUrl: `${address}${prefix}`, close: () => app.close() };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const sim = await startPockytSimulator({
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 8081),
    merchantNo: process.env.POCKYT_MERCHANT_NO ?? DEMO_CREDENTIALS.merchantNo,
    storeNo: process.env.POCKYT_STORE_NO ?? DEMO_CREDENTIALS.storeNo,
    token: process.env.POCKYT_TOKEN ?? DEMO_CREDENTIALS.token,
    storeName: process.env.POCKYT_STORE_NAME ?? 'Demo Store',
  });
  console.log(`Pockyt simulator: ${sim.baseUrl}  (control: ${sim.baseUrl}/control/)`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void sim.close().then(() => process.exit(0)));
}
