// A Vitest reporter for `npm test`: it names the test files (and the test in each) that are still running, and
// stops a file whose worker stopped answering. Why: a test that blocks its worker's event loop (a synchronous
// loop, a pathological assertion diff) never reaches its timeout, and Vitest then waits forever: all a CI log
// shows is the last file that did finish. Here a file running long is named as it goes; one whose test has run
// far past its own timeout (or that spends 10 minutes outside any test) has its worker killed, so that file
// fails, says why, and the rest of the run goes on. The list of running files is also kept in a file that
// scripts/test.mjs prints if its own deadline stops the suite.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerPidFile } from './vitest-worker-pids.mjs';

const WARN_AFTER_MS = Number(process.env.VITEST_IN_FLIGHT_WARN_MS ?? 180_000);
/** Past a test's own timeout by this much, its timeout could not fire: the worker's event loop is blocked. */
const BLOCKED_AFTER_MS = Number(process.env.VITEST_BLOCKED_AFTER_MS ?? 120_000);
/** Loading a file and its hooks have timeouts too (hookTimeout), but loading does not: this bounds both. */
const OUTSIDE_TESTS_MAX_MS = Number(process.env.VITEST_OUTSIDE_TESTS_MAX_MS ?? 600_000);
const DEFAULT_TIMEOUT_MS = 30_000;
const CHECK_EVERY_MS = 5_000;

export default class InFlightReporter {
  /** key: project + file → what is running there */
  #running = new Map();
  #dir = process.env.VITEST_IN_FLIGHT_DIR;
  #timer;

  onInit() {
    this.#timer = setInterval(() => this.#check(), CHECK_EVERY_MS);
    this.#timer.unref();
    this.#save();
  }

  onTestModuleStart(testModule) {
    const now = Date.now();
    this.#running.set(keyOf(testModule), {
      project: testModule.project.name,
      moduleId: testModule.moduleId,
      file: relativeFile(testModule.moduleId),
      since: now,
      test: undefined,
      timeoutMs: undefined,
      testSince: now,
      warnedAt: 0,
      killed: false,
    });
    this.#save();
  }

  onTestCaseReady(testCase) {
    const entry = this.#running.get(keyOf(testCase.module));
    if (!entry) return;
    entry.test = testCase.fullName;
    entry.timeoutMs = testCase.options.timeout;
    entry.testSince = Date.now();
    this.#save();
  }

  onTestCaseResult(testCase) {
    const entry = this.#running.get(keyOf(testCase.module));
    if (!entry || entry.test !== testCase.fullName) return;
    entry.test = undefined;
    entry.testSince = Date.now();
    this.#save();
  }

  onTestModuleEnd(testModule) {
    this.#running.delete(keyOf(testModule));
    this.#save();
  }

  onTestRunEnd() {
    clearInterval(this.#timer);
    this.#running.clear();
    this.#save();
  }

  #check() {
    const now = Date.now();
    for (const entry of this.#running.values()) {
      if (entry.killed) continue;
      const stuckFor = now - entry.testSince;
      const limit = entry.test ? (entry.timeoutMs || DEFAULT_TIMEOUT_MS) + BLOCKED_AFTER_MS : OUTSIDE_TESTS_MAX_MS;
      if (stuckFor > limit) {
        entry.killed = true;
        this.#kill(entry, now);
      } else if (now - entry.since >= WARN_AFTER_MS && now - entry.warnedAt >= WARN_AFTER_MS) {
        entry.warnedAt = now;
        console.log(`[in-flight] ${describeInFlight(entry, now)}`);
      }
    }
  }

  #kill(entry, now) {
    const pid = this.#pidOf(entry);
    const why = entry.test
      ? `its test ran ${seconds(now - entry.testSince)}, past its ${seconds(entry.timeoutMs || DEFAULT_TIMEOUT_MS)} timeout, which therefore could not fire: the worker's event loop is blocked`
      : `it spent ${seconds(now - entry.testSince)} outside any test (loading, or hooks)`;
    if (pid === undefined) {
      console.log(`[in-flight] ${entry.file} (${entry.project}) is stuck (${why}), and its worker is unknown: not stopped.`);
      return;
    }
    console.log(`[in-flight] stopping the worker (pid ${pid}) of ${describeInFlight(entry, now)}: ${why}. This file fails.`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      console.log(`[in-flight] could not stop pid ${pid}: ${err.message}`);
    }
  }

  #pidOf(entry) {
    if (!this.#dir) return undefined;
    try {
      const pid = Number(readFileSync(join(this.#dir, workerPidFile(entry.project, entry.moduleId)), 'utf8'));
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  #save() {
    if (!this.#dir) return;
    writeFileSync(join(this.#dir, IN_FLIGHT_FILE), JSON.stringify([...this.#running.values()]));
  }
}

/** In VITEST_IN_FLIGHT_DIR: the files running now, as the reporter keeps them. */
export const IN_FLIGHT_FILE = 'in-flight.json';

function keyOf(testModule) {
  return `${testModule.project.name}\u0000${testModule.moduleId}`;
}

function relativeFile(moduleId) {
  const cwd = `${process.cwd()}/`;
  return moduleId.startsWith(cwd) ? moduleId.slice(cwd.length) : moduleId;
}

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/** One line for a file still running. */
export function describeInFlight(entry, now) {
  const where = entry.test
    ? `in "${entry.test}" for ${seconds(now - entry.testSince)}`
    : `between tests (loading or hooks) for ${seconds(now - entry.testSince)}`;
  return `still running: ${entry.file} (${entry.project}) for ${seconds(now - entry.since)}, ${where}`;
}
