#!/usr/bin/env node
// `npm run soak [-- --runs 10]`: the whole `npm test`, again and again, on a machine kept busy by `bench:chaos`
// (seed after seed, its books checked each time) — issue 9's bar for a suite that holds under load: N runs in a
// row with no failure and no test that needed Playwright's retry. Stops at the first run that fails or is
// flaky and says which. One line per run in soak/soak.log as well as on the terminal; each run's whole output in
// soak/run-<n>.log (git-ignored).
import { spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 10);
mkdirSync(resolve(root, 'soak'), { recursive: true });
const logFile = resolve(root, 'soak/soak.log');
const log = (line) => {
  console.log(`[soak] ${line}`);
  appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
};

/** Runs a command to its end (its whole output into `outFile` when given); resolves with its exit code and
 *  the tail of what it printed. */
const running = new Set();
// Each command runs in a process group of its own: stopping the soak stops `npm test` and the chaos load with
// everything they started (a gate's linter, a chaos seed's proxies), instead of leaving them running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    for (const child of running) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    process.exit(1);
  });
}

function exec(cmd, cmdArgs, env = {}, outFile) {
  return new Promise((done) => {
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    const out = outFile ? createWriteStream(outFile) : undefined;
    let tail = '';
    const keep = (chunk) => {
      out?.write(chunk);
      tail = (tail + chunk).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      running.delete(child);
      // Resolved once the output file is complete: the run's whole log is read next.
      const result = { code: code ?? 1, tail };
      if (out) out.end(() => done(result));
      else done(result);
    });
  });
}

let stopLoad = false;
let chaosSeeds = 0;
let chaosFailures = 0;
async function chaosLoad() {
  for (let seed = 1000; !stopLoad; seed += 1) {
    const r = await exec('npx', ['tsx', 'bench/chaos/run.ts', '--seed', String(seed), '--no-write']);
    chaosSeeds += 1;
    if (r.code !== 0) {
      chaosFailures += 1;
      log(`bench:chaos seed ${seed} FAILED an invariant:\n${r.tail.slice(-3000)}`);
    }
  }
}

const load = chaosLoad();
let passedRuns = 0;
for (let i = 1; i <= RUNS; i += 1) {
  const started = Date.now();
  const loadAtStart = loadavg()[0].toFixed(1);
  const runLog = resolve(root, `soak/run-${i}.log`);
  const r = await exec('npm', ['test'], { CI: 'true' }, runLog);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const summary = r.tail.trim().split('\n').at(-1);
  // The whole run's output, not its tail: a flake named mid-run must stop the soak even if the summary did not
  // repeat it (it once went unseen, the Vitest suite's output after it pushing it out of the tail).
  const flaky = [...new Set([...readFileSync(runLog, 'utf8').matchAll(/\[test\] FLAKY[^\n]*/g)].map((m) => m[0]))];
  log(`run ${i}/${RUNS}: ${summary} in ${minutes} min (1-min load ${loadAtStart} at start)`);
  if (r.code !== 0 || flaky.length > 0) {
    for (const f of flaky) log(f);
    log(`stopped: run ${i} ${r.code !== 0 ? 'failed' : 'needed a retry'}; its whole output is in ${runLog}`);
    break;
  }
  passedRuns += 1;
}
stopLoad = true;
await load;
log(`${passedRuns} of ${RUNS} runs in a row passed with no retry; bench:chaos ran ${chaosSeeds} seeds alongside, ${chaosFailures} failed`);
process.exit(passedRuns === RUNS && chaosFailures === 0 ? 0 : 1);
