// Two real apps in this process on one database (two proxies of a chain), with one set of simulators: A's. B's
// provider requests go through a recording forwarder to A's simulators, so a test can tell which proxy asked.
// (helpers/multi.ts runs instances as separate processes, for tests that kill one.)
import { startForwarder, type Forwarder } from '../../../bench/lib/forwarder.ts';
import { startServer, type TestServer } from './app.ts';
import { durableDatabases } from './databases.ts';

export interface TwoApps {
  a: TestServer;
  b: TestServer;
  /** What B sent the provider, with times. */
  viaB: Forwarder;
}

/** Call in a test file's body: `pair()` starts A and B on a fresh database of that name; `close()` (in
 *  afterEach) stops every app and forwarder it started and drops the databases. */
export function twoAppsOnOneDatabase(prefix: string) {
  const servers: TestServer[] = [];
  const forwarders: Forwarder[] = [];
  const databases = durableDatabases(prefix);

  const start = async (env: Record<string, string>, store?: string): Promise<TestServer> => {
    const s = await startServer(env, store ? { store } : {});
    servers.push(s);
    return s;
  };

  /** `baseUrlVar`: the env variable of the provider's base URL (POCKYT_BASE_URL…); `sim`: its simulator's path. */
  const pair = async (name: string, env: Record<string, string>, baseUrlVar: string, sim: string, store?: string): Promise<TwoApps> => {
    const url = await databases.url(name);
    const a = await start({ ...env, DATABASE_URL: url }, store);
    const viaB = await startForwarder(`${a.baseUrl}/sim/${sim}`);
    forwarders.push(viaB);
    const b = await start({ ...env, DATABASE_URL: url, [baseUrlVar]: viaB.url }, store);
    return { a, b, viaB };
  };

  /** Stops one app before the test ends. */
  const stop = async (s: TestServer): Promise<void> => {
    servers.splice(servers.indexOf(s), 1);
    await s.close();
  };

  const close = async (): Promise<void> => {
    for (const s of servers.splice(0).reverse()) await s.close();
    await Promise.all(forwarders.splice(0).map((f) => f.close()));
    await databases.drop();
  };

  return { databases, start, pair, stop, close };
}
