// Bench child: the three provider simulators on their own ports and event loop (sims.ts), so that they keep
// running — keeping their ledgers and retrying their notifications — while the proxy is killed and restarted.
// Env: BENCH_PROXY_URL (where webhooks go), BENCH_SIM_PENDING_MS, BENCH_SIM_NOTIFY_MS (comma list, or
// "none": no notifications at all), BENCH_SIM_CENTRAPAY_RATE_LIMIT.
import { childGuard, failAndExit, report } from './child.ts';
import { startSims, type SimEndpoints } from './sims.ts';

export interface SimsChildInfo {
  endpoints: SimEndpoints;
}

function notifySchedule(raw: string): number[] {
  return raw.trim() === 'none' ? [] : raw.split(',').map(Number);
}

try {
  const proxyUrl = process.env.BENCH_PROXY_URL;
  if (!proxyUrl) throw new Error('BENCH_PROXY_URL is required');
  const sims = await startSims(['pockyt', 'centrapay', 'payby'], proxyUrl, {
    pendingMs: Number(process.env.BENCH_SIM_PENDING_MS ?? 500),
    notifyScheduleMs: notifySchedule(process.env.BENCH_SIM_NOTIFY_MS ?? '0,1000,3000,8000'),
    centrapaySecondMs: 1000,
    centrapayRateLimit: Number(process.env.BENCH_SIM_CENTRAPAY_RATE_LIMIT ?? 200),
    paybyRefundCompleteMs: 500,
  });
  childGuard(() => sims.close(), 15 * 60_000);
  const info: SimsChildInfo = { endpoints: sims.endpoints };
  report({ ready: info });
} catch (err) {
  failAndExit(err);
}
