// A throwaway Postgres for `npm test`: Debian's server binaries (installed with apt-get when missing and we
// may), a fresh cluster in a temp dir, on a free loopback port, run by a non-root user (Postgres refuses
// root), tuned for speed rather than durability. Stopped and deleted when the test run ends, also on
// failure or a signal. Used by scripts/test.mjs; runnable alone to debug: `node scripts/postgres.mjs`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';
export const INSTALL_HINT = 'sudo apt-get install postgresql';

// The cluster exists only for this run and is deleted after it: durability settings are pure cost here.
// max_connections: every test app opens a pool of up to 10, and a few suites run two or three apps at once.
const SPEED = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'wal_level=minimal',
  'max_wal_senders=0',
  'max_connections=300',
  'shared_buffers=64MB',
  'log_min_messages=warning',
  'log_min_error_statement=panic',
];

/** The newest Debian server binaries (/usr/lib/postgresql/<major>/bin), or undefined. Never PATH: a CI
 *  machine has nothing there, and what someone linked into /usr/local/bin by hand is not what CI gets. */
export function findPostgresBin() {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : undefined;
  if (!existsSync(PG_ROOT)) return undefined;
  const majors = readdirSync(PG_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(PG_ROOT, major, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((f) => existsSync(join(bin, f)))) return bin;
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs Debian's `postgresql` when we are root with apt-get (CI); returns the binaries or undefined. */
export function provisionPostgresBin(log = console.log) {
  const found = findPostgresBin();
  if (found) return found;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot() && hasApt && process.env.KIOSK_NO_APT !== '1') {
    log('[test] Postgres server not found: installing Debian package "postgresql" with apt-get…');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null'], {
      stdio: 'inherit',
    });
    return findPostgresBin();
  }
  return undefined;
}

function uidOf(user) {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  return r.status === 0
    ? { uid: Number(r.stdout.trim()), gid: Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim()) }
    : undefined;
}

/** As root: the package's `postgres` system user, else `nobody`. Not root: ourselves. */
function serverUser() {
  if (!isRoot()) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const ids = uidOf(name);
    if (ids) return { name, ...ids };
  }
  throw new Error('no non-root user (postgres, nobody) to run Postgres as');
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a cluster and returns { url, stop }. `url` is the admin URL tests use as TEST_DATABASE_URL (they
 * create one database per test app). stop() is idempotent and also runs on exit, SIGINT, SIGTERM and SIGHUP.
 */
export async function startPostgres(bin, log = console.log) {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const asServer = (cmd, args) => {
    const full = join(bin, cmd);
    const r = user
      ? spawnSync('runuser', ['-u', user.name, '--', full, ...args], { cwd: dir, encoding: 'utf8' })
      : spawnSync(full, args, { cwd: dir, encoding: 'utf8' });
    return r;
  };

  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // immediate: the data is thrown away anyway, and a smart shutdown would wait for stray test connections.
    if (existsSync(join(data, 'postmaster.pid'))) asServer('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      stop();
      process.exit(code);
    });
  }

  try {
    // A password even on loopback: other users of this machine cannot reach the throwaway cluster.
    const password = randomBytes(18).toString('base64url');
    const pwFile = join(dir, 'pw');
    writeFileSync(pwFile, password, { mode: 0o600 });
    if (user) chownSync(pwFile, user.uid, user.gid);
    const init = asServer('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--pwfile',
      pwFile,
      '--auth',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--locale',
      'C',
      '--no-sync',
      '--no-instructions',
    ]);
    rmSync(pwFile, { force: true });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);

    const port = await freePort();
    const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', ...SPEED.flatMap((s) => ['-c', s])].join(' ');
    const start = asServer('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    if (start.status !== 0) {
      const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`pg_ctl start failed: ${start.stderr || start.stdout}\n${serverLog}`);
    }
    const version = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
    log(`[test] Postgres up: ${version} on 127.0.0.1:${port} as ${user?.name ?? 'this user'} (data in ${dir}, fsync off)`);
    return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

// `node scripts/postgres.mjs`: start one and keep it up until Ctrl-C (prints the URL for TEST_DATABASE_URL).
if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = provisionPostgresBin();
  if (!bin) {
    console.log(`[test] No Postgres server binaries under ${PG_ROOT}: ${INSTALL_HINT}`);
    process.exit(1);
  }
  const { url } = await startPostgres(bin);
  console.log(`TEST_DATABASE_URL=${url}`);
  setInterval(() => {}, 1 << 30);
}
