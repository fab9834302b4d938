// For npm test's in-flight reporter (scripts/vitest-in-flight.mjs): which process runs this test file, so
// that a file whose worker stopped answering (its event loop blocked: no timeout can fire there) can be
// stopped alone, failing that file instead of hanging the whole run. Nothing happens outside npm test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { workerPidFile } from '../../scripts/vitest-worker-pids.mjs';

const dir = process.env.VITEST_IN_FLIGHT_DIR;
const file = expect.getState().testPath;
if (dir && file) writeFileSync(join(dir, workerPidFile(inject('project'), file)), String(process.pid));
