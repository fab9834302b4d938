import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Two projects. `sqlite`: every unit and server test on SQLite. `postgres` (only when TEST_DATABASE_URL names
// a Postgres server — `npm test` starts one): the server suites again, plus the unit tests that read
// TEST_DATABASE_URL, each test app on a fresh database (tests/server/helpers/app.ts `freshPostgres`).
const pgAdmin = process.env.TEST_DATABASE_URL;
const unitOnPostgres = readdirSync('tests/unit')
  .filter((f) => f.endsWith('.test.ts') && readFileSync(`tests/unit/${f}`, 'utf8').includes('TEST_DATABASE_URL'))
  .map((f) => `tests/unit/${f}`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Notes each worker's pid for npm test's in-flight reporter (scripts/vitest-in-flight.mjs).
    setupFiles: ['tests/helpers/worker-pid.ts'],
    projects: [
      {
        extends: true as const,
        // Empty, not absent, hides a developer's TEST_DATABASE_URL from this project (tests read it with ||).
        test: {
          name: 'sqlite',
          include: ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'],
          env: { TEST_DATABASE_URL: '' },
          provide: { project: 'sqlite' },
        },
      },
      ...(pgAdmin
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['tests/server/**/*.test.ts', ...unitOnPostgres],
                env: { TEST_DATABASE_URL: pgAdmin },
                provide: { project: 'postgres' },
              },
            },
          ]
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
