// Where a Vitest worker notes its process id for the test file it runs (tests/helpers/worker-pid.ts), and
// where the in-flight reporter looks it up: one file per project and test file.
import { createHash } from 'node:crypto';

/** @param {string} project @param {string} testFile absolute path */
export function workerPidFile(project, testFile) {
  return `pid-${createHash('sha256').update(`${project}\u0000${testFile}`).digest('hex').slice(0, 32)}`;
}
