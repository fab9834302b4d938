import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two stores. `sqlite`: every unit and server test on SQLite. `postgres` (only when TEST_DATABASE_URL names
// a Postgres server — `npm test` starts one): the server suites again, plus the unit tests that read
// TEST_DATABASE_URL, each test app on a fresh database (tests/server/helpers/app.ts `freshPostgres`).
//
// Test files share their worker's modules (`isolate: false`): importing the server's module graph afresh for
// every file cost more CPU than the tests themselves (measured: the SQLite project took 220 s and 4m15 of CPU
// isolated, 137 s and 2m03 shared). Every test builds its own app, store and clock, so nothing a test relies on
// lives in a module. The files in ISOLATED do — a vi.mock of a module the server imports, or the module state
// under test — and run in an `-isolated` twin of their project, each on a fresh module graph.
const pgAdmin = process.env.TEST_DATABASE_URL;
const unitOnPostgres = readdirSync('tests/unit')
  .filter((f) => f.endsWith('.test.ts') && readFileSync(`tests/unit/${f}`, 'utf8').includes('TEST_DATABASE_URL'))
  .map((f) => `tests/unit/${f}`);
const ISOLATED = ['tests/server/staff-pin-lockout.test.ts', 'tests/unit/scan-worker-passes.test.ts', 'tests/unit/i18n-split.test.ts'];

/** The project over `include`, and its `-isolated` twin over the files of ISOLATED it would hold. */
function shareModules(name: string, include: string[], isolated: string[], env: Record<string, string>) {
  return [
    { extends: true as const, test: { name, include, exclude: ISOLATED, isolate: false, env, provide: { project: name } } },
    {
      extends: true as const,
      test: { name: `${name}-isolated`, include: isolated, isolate: true, env, provide: { project: `${name}-isolated` } },
    },
  ];
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Notes each worker's pid for npm test's in-flight reporter (scripts/vitest-in-flight.mjs).
    setupFiles: ['tests/helpers/worker-pid.ts'],
    projects: [
      // Empty, not absent, hides a developer's TEST_DATABASE_URL from this project (tests read it with ||).
      ...shareModules('sqlite', ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'], ISOLATED, { TEST_DATABASE_URL: '' }),
      ...(pgAdmin
        ? shareModules(
            'postgres',
            ['tests/server/**/*.test.ts', ...unitOnPostgres],
            ISOLATED.filter((f) => f.startsWith('tests/server/') || unitOnPostgres.includes(f)),
            { TEST_DATABASE_URL: pgAdmin },
          )
        : []),
    ],
  },
});

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project a test file runs in (tests/helpers/worker-pid.ts). */
    project: string;
  }
}
