// README's roles table is the code's (server/staff/roles.ts), row for row.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roleTableRows } from '../../server/staff/roles.ts';

function readmeRoleRows(): string[][] {
  const lines = readFileSync('README.md', 'utf8').split('\n');
  const header = lines.findIndex((l) => /^\|\s*action\s*\|\s*routes\s*\|\s*minimum role\s*\|\s*proof\s*\|$/.test(l));
  expect(header, 'README has the roles table').toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('the roles table in README', () => {
  it('equals server/staff/roles.ts', () => {
    expect(readmeRoleRows()).toEqual(roleTableRows());
  });
});
