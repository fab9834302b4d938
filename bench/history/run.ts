// History search bench (issue 11): `npm run bench:history` (= npx tsx bench/history/run.ts)
//   [--payments 100000] [--n 200] [--no-write]
// The real proxy (bench/lib/proxy-child.ts, SQLite file, WAL) with 100,000 payments seeded straight into its
// database (seed.ts), then typical history searches over HTTP, each timed n times with varying values:
// today's sales of one till, the whole store (supervisor PIN per request; a supervisor signed in at the till;
// and a store-view grant bought with the PIN once, as the kiosk's History screen does: no PIN check per page),
// q as amount / code suffix / receipt number / provider reference (whole and its printed end), a status
// filter, and the 5th page by cursor.
// Each search is also timed in-process (payments/history.ts searchHistory on the same file: the queries
// alone, no HTTP, no PIN). Baselines in the same run: GET /api/terminal (HTTP + auth alone), a store-scope
// request whose q can match nothing (HTTP + auth + the PIN's scrypt check, no query), and each search as
// one naive SQL query that ignores every index (SQLite NOT INDEXED, i.e. a full scan).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import type { ListPaymentsQuery } from '../../src/shared/api.ts';
import { searchHistory } from '../../server/payments/history.ts';
import { openStore } from '../../server/store/db.ts';
import { loadStoreConfigs } from '../../server/store/store-config.ts';
import { startChild, REPO_ROOT, type Child } from '../lib/child.ts';
import { pairTerminal } from '../lib/kiosk.ts';
import { LOAD_GENERATOR_LIMITS } from '../lib/limits.ts';
import { machineInfo, describeMachine } from '../lib/machine.ts';
import { table, writeSection } from '../lib/markdown.ts';
import type { ProxyChildInfo } from '../lib/proxy-child.ts';
import { summarise, type Summary } from '../lib/stats.ts';
import { seed } from './seed.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const TOTAL = Number(arg('payments', '100000'));
const N = Number(arg('n', '200'));
const PIN = '1234';

const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
const dbFile = join(dir, 'bench.db');
let proxy: Child<ProxyChildInfo> | undefined;

interface Case {
  name: string;
  query: () => string;
  store?: boolean;
  /** Store scope by the supervisor signed in at the till (staff session) instead of a PIN per request. */
  session?: boolean;
  /** Store scope by a store-view grant (POST /api/staff/grants, bought once per case) instead of the PIN. */
  grant?: boolean;
  /** The same search as one SQL query with no index (baseline); params from the same value. */
  naive?: () => { sql: string; params: unknown[] };
}

function queryOf(qs: string): ListPaymentsQuery {
  const q: Record<string, unknown> = { limit: 25 };
  for (const [k, v] of new URLSearchParams(qs)) if (k !== 'scope') q[k] = v;
  return q;
}

try {
  proxy = await startChild<ProxyChildInfo>('./proxy-child.ts', {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${dbFile}`,
    DEMO: '1',
    LOG_LEVEL: 'silent',
    SUPERVISOR_PIN: PIN,
    DIST_DIR: join(dir, 'no-dist'),
    BENCH_TERMINALS: '4',
    BENCH_PAIR_STORES: 'demo-nz',
    ...LOAD_GENERATOR_LIMITS,
  });
  const base = proxy.info.baseUrl;
  const tills = await Promise.all(proxy.info.pairingCodes.map((c) => pairTerminal(base, c)));
  const other = await pairTerminal(base, proxy.info.pairingByStore['demo-nz']);
  const t0 = performance.now();
  const s = seed({
    dbFile,
    storeId: 'demo-us',
    terminals: tills.map((t) => t.terminalId),
    otherStoreId: 'demo-nz',
    otherTerminal: other.terminalId,
    total: TOTAL,
    days: 30,
  });
  const seedMs = performance.now() - t0;
  console.error(`seeded ${TOTAL} payments in ${(seedMs / 1000).toFixed(1)} s`);
  const till = tills[0];
  const naiveDb = new SQLite(dbFile, { readonly: true });
  const at = <T>(xs: T[], i: number) => xs[i % xs.length];
  let i = 0;
  const NAIVE = `select * from payments not indexed where store_id = 'demo-us'`;
  const ORDER = `order by created_at desc, id desc limit 26`;
  const cases: Case[] = [
    { name: 'baseline: GET /api/terminal (HTTP + auth only)', query: () => '' },
    {
      name: 'baseline: whole store, q matching nothing (HTTP + auth + PIN check, no query)',
      store: true,
      query: () => 'q=%25&scope=store',
    },
    {
      name: 'baseline: whole store, q matching nothing (signed-in supervisor: HTTP + auth + session, no query)',
      store: true,
      session: true,
      query: () => 'q=%25&scope=store',
    },
    {
      name: 'baseline: whole store, q matching nothing (store-view grant: HTTP + auth + grant, no query)',
      store: true,
      grant: true,
      query: () => 'q=%25&scope=store',
    },
    {
      name: 'today, this till (first page of 25)',
      query: () => `from=${s.lastDay}&to=${s.lastDay}`,
      naive: () => ({ sql: `${NAIVE} and terminal_id = ? and business_day = ? ${ORDER}`, params: [till.terminalId, s.lastDay] }),
    },
    {
      name: 'today, whole store (supervisor PIN)',
      store: true,
      query: () => `from=${s.lastDay}&to=${s.lastDay}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and business_day = ? ${ORDER}`, params: [s.lastDay] }),
    },
    {
      name: 'today, whole store (signed-in supervisor, no PIN)',
      store: true,
      session: true,
      query: () => `from=${s.lastDay}&to=${s.lastDay}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and business_day = ? ${ORDER}`, params: [s.lastDay] }),
    },
    {
      name: 'today, whole store (PIN once → store-view grant)',
      store: true,
      grant: true,
      query: () => `from=${s.lastDay}&to=${s.lastDay}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and business_day = ? ${ORDER}`, params: [s.lastDay] }),
    },
    {
      name: 'q = amount, this till, all time',
      query: () => `q=${(at(s.amounts, i) / 100).toFixed(2)}`,
      naive: () => ({ sql: `${NAIVE} and terminal_id = ? and amount_value = ? ${ORDER}`, params: [till.terminalId, at(s.amounts, i)] }),
    },
    {
      name: 'q = code suffix (4 digits), whole store',
      store: true,
      query: () => `q=${at(s.codeSuffixes, i)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and code_masked like ? ${ORDER}`, params: [`%${at(s.codeSuffixes, i)}`] }),
    },
    {
      name: 'q = receipt number, whole store',
      store: true,
      query: () => `q=${at(s.receiptNos, i)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and receipt_no = ? ${ORDER}`, params: [at(s.receiptNos, i)] }),
    },
    {
      name: 'q = provider reference, whole store',
      store: true,
      query: () => `q=${at(s.providerRefs, i)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and provider_ref = ? ${ORDER}`, params: [at(s.providerRefs, i)] }),
    },
    {
      name: 'q = end of a provider reference (12 chars), whole store',
      store: true,
      query: () => `q=${at(s.providerRefs, i).slice(-12)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and provider_ref like ? ${ORDER}`, params: [`%${at(s.providerRefs, i).slice(-12)}`] }),
    },
    {
      name: 'q = end of a provider reference (12 chars), whole store (signed-in supervisor)',
      store: true,
      session: true,
      query: () => `q=${at(s.providerRefs, i).slice(-12)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and provider_ref like ? ${ORDER}`, params: [`%${at(s.providerRefs, i).slice(-12)}`] }),
    },
    {
      name: 'q = end of a provider reference (12 chars), whole store (store-view grant)',
      store: true,
      grant: true,
      query: () => `q=${at(s.providerRefs, i).slice(-12)}&scope=store`,
      naive: () => ({ sql: `${NAIVE} and provider_ref like ? ${ORDER}`, params: [`%${at(s.providerRefs, i).slice(-12)}`] }),
    },
    {
      name: 'status = failed, this till, all time',
      query: () => 'status=failed',
      naive: () => ({ sql: `${NAIVE} and terminal_id = ? and status = 'failed' ${ORDER}`, params: [till.terminalId] }),
    },
  ];

  // The supervisor signs in at the second till (a session row; the gate reads it instead of checking a PIN).
  const sessionTill = tills[1];
  const signIn = await fetch(`${base}/api/staff/sign-in`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionTill.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pin: PIN }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  const keepSignedIn = () =>
    fetch(`${base}/api/staff/activity`, { method: 'POST', headers: { authorization: `Bearer ${sessionTill.token}` } }).then((r) =>
      r.body?.cancel(),
    );

  // A store-view grant for `till`, bought with the PIN (one scrypt check); each grant case buys its own (they
  // last two minutes).
  let grant = '';
  const buyGrant = async () => {
    const res = await fetch(`${base}/api/staff/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${till.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: PIN }),
    });
    const body = (await res.json()) as { grant?: string };
    if (res.status !== 200 || !body.grant) throw new Error(`grant: ${res.status} ${JSON.stringify(body)}`);
    grant = body.grant;
  };

  const get = async (path: string, pin: boolean, session = false, useGrant = false) => {
    const staff: Record<string, string> = pin ? { 'x-staff-pin': PIN } : useGrant ? { 'x-staff-grant': grant } : {};
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${(session ? sessionTill : till).token}`, ...staff },
    });
    const body = (await res.json()) as { payments?: { id: string }[]; nextCursor?: string | null; error?: unknown };
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };

  const direct = openStore(`sqlite:${dbFile}`);
  const store = loadStoreConfigs(join(REPO_ROOT, 'config/stores')).get('demo-us')!;
  const rows: { name: string; api: Summary; alone: Summary | null; naive: Summary | null }[] = [];
  for (const c of cases) {
    // Background reads never keep a session alive (staff/sessions.ts): an activity ping, as the kiosk sends.
    if (c.session) await keepSignedIn();
    if (c.grant) await buyGrant();
    const api: number[] = [];
    const alone: number[] = [];
    const naive: number[] = [];
    for (let k = 0; k < N + 10; k++, i++) {
      const qs = c.query();
      const path = qs === '' ? '/api/terminal' : `/api/payments?limit=25&${qs}`;
      const ms = await time(() => get(path, c.store === true && !c.session && !c.grant, c.session, c.grant));
      if (k >= 10) api.push(ms);
      if (qs !== '' && k >= 10) {
        alone.push(await time(() => searchHistory(direct.db, store, c.store ? undefined : till.terminalId, queryOf(qs))));
      }
      if (c.naive && k >= 10 && k < 10 + Math.min(N, 30)) {
        const q = c.naive();
        const t = performance.now();
        naiveDb.prepare(q.sql).all(...q.params);
        naive.push(performance.now() - t);
      }
    }
    rows.push({
      name: c.name,
      api: summarise(api),
      alone: alone.length ? summarise(alone) : null,
      naive: c.naive ? summarise(naive) : null,
    });
  }
  // Paging: the 5th page of this till's sales (all time), following nextCursor.
  const paging: number[] = [];
  const pagingAlone: number[] = [];
  for (let k = 0; k < Math.min(N, 50); k++) {
    let cursor: string | null | undefined = null;
    for (let p = 0; p < 4; p++) cursor = (await get(`/api/payments?limit=25${cursor ? `&cursor=${cursor}` : ''}`, false)).nextCursor;
    paging.push(await time(() => get(`/api/payments?limit=25&cursor=${cursor}`, false)));
    pagingAlone.push(await time(() => searchHistory(direct.db, store, till.terminalId, { limit: 25, cursor: cursor! })));
  }
  rows.push({ name: '5th page by cursor, this till, all time', api: summarise(paging), alone: summarise(pagingAlone), naive: null });
  naiveDb.close();
  await direct.close();

  const f = (x: number) => x.toFixed(1);
  const body = [
    '## History search (`npm run bench:history`)',
    '',
    `${TOTAL.toLocaleString('en-US')} payments (90 % in the searched store over 4 tills, 10 % in another store) over 30 days in SQLite (WAL),`,
    `seeded in ${(seedMs / 1000).toFixed(1)} s; the real proxy over loopback HTTP, one request at a time, ${N} timed requests per row after 10`,
    'warm-up ones, each with a different value from the data. "whole store" API rows include the supervisor PIN check (scrypt) on every',
    'request, except the "signed-in supervisor" rows (a supervisor signed in at the till: the gate reads the staff session instead) and the',
    '"store-view grant" rows (the PIN checked once per row for a grant, `POST /api/staff/grants`, then `X-Staff-Grant` on each request —',
    'what the kiosk\'s History screen does after a typed PIN). "search alone" is the same search in-process (`searchHistory`, the queries only). Baselines in',
    'the same run: `GET /api/terminal` (HTTP and auth alone), a whole-store request that runs no query (HTTP, auth and the PIN check; and',
    'with the session; and with the grant), and per search one naive SQL query with every index ignored (`NOT INDEXED`, 30 runs, in-process).',
    '',
    table(
      ['search', 'API p50 ms', 'API p95 ms', 'search alone p50 ms', 'search alone p95 ms', 'naive SQL p50 ms', 'naive SQL p95 ms'],
      rows.map((r) => [
        r.name,
        f(r.api.p50),
        f(r.api.p95),
        r.alone ? f(r.alone.p50) : '—',
        r.alone ? f(r.alone.p95) : '—',
        r.naive ? f(r.naive.p50) : '—',
        r.naive ? f(r.naive.p95) : '—',
      ]),
    ),
    '',
    `Machine: ${describeMachine(machineInfo())}.`,
  ].join('\n');
  console.log(body);
  if (!args.includes('--no-write')) writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'bench-history', body);
} finally {
  await proxy?.stop();
  rmSync(dir, { recursive: true, force: true });
}
