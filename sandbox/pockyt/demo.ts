// The Pockyt simulator in demo mode: the values the production module uses when POCKYT_* are unset, the
// SIM_POCKYT_* knobs, and mounting under /sim/pockyt on our own port.
import { int, msList, type Env } from '../../server/config/env.ts';
import type { PockytDemo, PockytSettings } from '../../server/providers/pockyt/config.ts';
import type { DemoSimulator } from '../mount.ts';
import { pockytSimulator } from './plugin.ts';

const PREFIX = '/sim/pockyt';

/** Sandbox credentials our Pockyt simulator accepts in demo mode. Not secret: they only open the local simulator. */
export const DEMO_POCKYT = { merchantNo: '200043', storeNo: '300014', token: 'demo0pockyt0sandbox0token0000000' } as const;

export interface PockytSimSettings {
  pendingMs: number;
  slowMs: number;
  codeTtlMs: number;
  /** Delay before each IPN attempt by the simulator ([] = the simulator sends none). */
  ipnScheduleMs: number[] | undefined;
}

export const pockytDemo: DemoSimulator<PockytSettings, PockytDemo, PockytSimSettings> = {
  name: 'pockyt',
  demo: { path: PREFIX, ...DEMO_POCKYT },
  loadSettings: (env: Env) => ({
    pendingMs: int(env, 'SIM_POCKYT_PENDING_MS', 3_000, 0, 3_600_000),
    slowMs: int(env, 'SIM_POCKYT_SLOW_MS', 25_000, 0, 3_600_000),
    codeTtlMs: int(env, 'SIM_CODE_TTL_MS', 60_000, 100, 3_600_000),
    ipnScheduleMs: msList(env, 'SIM_POCKYT_IPN_SCHEDULE_MS'),
  }),
  async mount(app, { settings, sim, storeName, phoneOrigin }) {
    await app.register(pockytSimulator, {
      prefix: PREFIX,
      merchantNo: settings.merchantNo,
      storeNo: settings.storeNo,
      token: settings.token,
      pendingMs: sim.pendingMs,
      slowMs: sim.slowMs,
      codeTtlMs: sim.codeTtlMs,
      ipnRetryScheduleMs: sim.ipnScheduleMs,
      storeName,
      payUrlBase: phoneOrigin,
    });
  },
};
