// A Vitest reporter for `npm test`: it names the test files (and the test in each) that are still running.
// Why: a file whose worker never finishes leaves Vitest waiting forever, and all a CI log then shows is the
// last file that did finish. This reporter says which file and which test have been running long, as they go,
// and keeps the list in a file that scripts/test.mjs prints when its watchdog stops a suite that hangs.
import { writeFileSync } from 'node:fs';

const WARN_AFTER_MS = Number(process.env.VITEST_IN_FLIGHT_WARN_MS ?? 180_000);
const CHECK_EVERY_MS = 15_000;

export default class InFlightReporter {
  /** key: project + file → what is running there */
  #running = new Map();
  #path = process.env.VITEST_IN_FLIGHT_FILE;
  #timer;

  onInit() {
    this.#timer = setInterval(() => this.#warnLong(), CHECK_EVERY_MS);
    this.#timer.unref();
    this.#save();
  }

  onTestModuleStart(testModule) {
    const now = Date.now();
    this.#running.set(keyOf(testModule), {
      project: testModule.project.name,
      file: relativeFile(testModule.moduleId),
      since: now,
      test: undefined,
      testSince: now,
      warnedAt: 0,
    });
    this.#save();
  }

  onTestCaseReady(testCase) {
    const entry = this.#running.get(keyOf(testCase.module));
    if (!entry) return;
    entry.test = testCase.fullName;
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

  #warnLong() {
    const now = Date.now();
    for (const entry of this.#running.values()) {
      if (now - entry.since < WARN_AFTER_MS || now - entry.warnedAt < WARN_AFTER_MS) continue;
      entry.warnedAt = now;
      console.log(`[in-flight] ${describeInFlight(entry, now)}`);
    }
  }

  #save() {
    if (!this.#path) return;
    writeFileSync(this.#path, JSON.stringify([...this.#running.values()]));
  }
}

function keyOf(testModule) {
  return `${testModule.project.name}\u0000${testModule.moduleId}`;
}

function relativeFile(moduleId) {
  const cwd = `${process.cwd()}/`;
  return moduleId.startsWith(cwd) ? moduleId.slice(cwd.length) : moduleId;
}

/** One line for a file still running: `entry` as the reporter keeps it (and writes to VITEST_IN_FLIGHT_FILE). */
export function describeInFlight(entry, now) {
  const seconds = (ms) => `${Math.round(ms / 1000)} s`;
  const where = entry.test
    ? `in "${entry.test}" for ${seconds(now - entry.testSince)}`
    : `between tests (hooks or loading) for ${seconds(now - entry.testSince)}`;
  return `still running: ${entry.file} (${entry.project}) for ${seconds(now - entry.since)}, ${where}`;
}
