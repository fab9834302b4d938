// Bench child: the Pockyt simulator on its own port and event loop (standalone.ts). BENCH_SIM_IPN=none
// turns IPNs off so a bench compares the same provider calls with and without the proxy in front.
import { DEMO_CREDENTIALS, startPockytSimulator } from '../../sandbox/pockyt/standalone.ts';
import { childGuard, report } from './child.ts';

export interface SimChildInfo {
  baseUrl: string;
  credentials: { merchantNo: string; storeNo: string; token: string };
}

try {
  const ipn = process.env.BENCH_SIM_IPN === 'none' ? [] : undefined;
  const sim = await startPockytSimulator({ host: '127.0.0.1', port: 0, ipnRetryScheduleMs: ipn, storeName: 'Bench Store' });
  childGuard(() => sim.close());
  const info: SimChildInfo = { baseUrl: sim.baseUrl, credentials: { ...DEMO_CREDENTIALS } };
  report({ ready: info });
} catch (err) {
  report({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
