// Several proxy instances on one database, as a chain would run them behind a load balancer: each its own
// process and port, any of them SIGKILLed and restarted at random. Every instance reaches each provider
// simulator through its own recording forwarder (bench/lib/forwarder.ts), so the bench can count which
// instance sent which provider request. Kiosk requests go to a random live instance (no sticky sessions).
import { ProxyProcess } from '../chaos/chaos.ts';
import type { Rng } from '../chaos/plan.ts';
import type { Child } from '../lib/child.ts';
import { startForwarder, type Forwarder, type Sent } from '../lib/forwarder.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { freePort, providerEnv, type SimEndpoints } from '../lib/sims.ts';

export interface Slot {
  name: string;
  url: string;
  proxy: ProxyProcess;
  up: boolean;
  forwarders: Forwarder[];
}

/** The provider-URL variables of providerEnv(), pointed at forwarders of this slot (one per origin). */
async function forwardedEnv(sims: SimEndpoints, forwarders: Forwarder[]): Promise<Record<string, string>> {
  const env = providerEnv(sims);
  const byOrigin = new Map<string, Forwarder>();
  for (const [k, v] of Object.entries(env)) {
    if (!/_URL$/.test(k) || !URL.canParse(v)) continue;
    const u = new URL(v);
    let f = byOrigin.get(u.origin);
    if (!f) {
      f = await startForwarder(u.origin);
      byOrigin.set(u.origin, f);
      forwarders.push(f);
    }
    env[k] = `${f.url}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  }
  return env;
}

export class Cluster {
  kills = 0;
  readonly downMs: number[] = [];

  private constructor(readonly slots: Slot[]) {}

  /** Starts `size` instances at once on `env` (its DATABASE_URL is shared); the first pairs terminals. */
  static async start(size: number, env: Record<string, string>, sims: SimEndpoints, pairing: Record<string, string>): Promise<Cluster> {
    const slots: Slot[] = [];
    for (let i = 0; i < size; i++) {
      const forwarders: Forwarder[] = [];
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const slotEnv = { ...env, ...(await forwardedEnv(sims, forwarders)), PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url };
      slots.push({
        name: `i${i + 1}`,
        url,
        proxy: new ProxyProcess(i === 0 ? { ...slotEnv, ...pairing } : slotEnv),
        up: false,
        forwarders,
      });
    }
    // Together, as a deploy would: their migrations meet on the database (Kysely's lock lets one run them).
    await Promise.all(
      slots.map(async (s) => {
        await s.proxy.start();
        s.up = true;
      }),
    );
    return new Cluster(slots);
  }

  first(): Child<ProxyChildInfo> {
    return this.slots[0].proxy.child!;
  }

  /** A random instance that is up (the load balancer's pick); any, if none is. */
  pick(r: Rng): string {
    const up = this.slots.filter((s) => s.up);
    const from = up.length ? up : this.slots;
    return from[Math.floor(r() * from.length)].url;
  }

  /** SIGKILL one random instance that is up and start it again on the same port and database. */
  async killOne(r: Rng): Promise<void> {
    const up = this.slots.filter((s) => s.up);
    if (up.length === 0) return;
    const s = up[Math.floor(r() * up.length)];
    s.up = false;
    const t0 = Date.now();
    await s.proxy.killAndRestart();
    s.up = true;
    this.kills++;
    this.downMs.push(Date.now() - t0);
  }

  /** Every provider request every instance has sent, with the instance that sent it. */
  sent(): (Sent & { slot: string })[] {
    return this.slots.flatMap((s) => s.forwarders.flatMap((f) => f.sent.map((x) => ({ ...x, slot: s.name }))));
  }

  async stop(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.proxy.stop().catch(() => {})));
    for (const s of this.slots) for (const f of s.forwarders) await f.close();
  }
}
