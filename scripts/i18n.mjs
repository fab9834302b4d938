#!/usr/bin/env node
// `npm run i18n`: paraglide's compiler, then the per-language split (i18n-split.mjs), into src/paraglide/.
// Both run in a directory of this run's own, and only files whose content changed are then moved into
// src/paraglide/, each by an atomic rename. Paraglide's compiler empties its output directory first, and
// `npm test` (its typecheck gate), `vite build` and `npm install` all run this while something else may be
// reading the messages — a proxy starting (`npm start`, a bench's proxy, the E2E server) once failed with
// "Cannot find module src/paraglide/locale-loader.js" that way. Readers now see the old file or the new one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const OUT = join(root, 'src/paraglide');
// Inside the repository, not /tmp: a rename is atomic only within one file system.
const work = mkdtempSync(join(root, '.i18n-build-'));

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

function sameContent(a, b) {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

try {
  const compiler = join(root, 'node_modules/.bin/paraglide-js');
  step(compiler, [
    'compile',
    '--project',
    './project.inlang',
    '--outdir',
    work,
    '--strategy',
    'localStorage',
    'preferredLanguage',
    'baseLocale',
    '--silent',
  ]);
  step(process.execPath, [join(root, 'scripts/i18n-split.mjs'), work]);
  const fresh = new Set();
  let changed = 0;
  for (const file of filesUnder(work)) {
    const rel = relative(work, file);
    const target = join(OUT, rel);
    fresh.add(rel);
    if (sameContent(file, target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    const staged = `${target}.${process.pid}.tmp`;
    writeFileSync(staged, readFileSync(file));
    renameSync(staged, target);
    changed++;
  }
  // Messages removed from the catalogue: their modules go too (nothing imports them any more).
  // (Another run's staged files, *.tmp, are its own to rename.)
  for (const file of filesUnder(OUT)) if (!file.endsWith('.tmp') && !fresh.has(relative(OUT, file))) rmSync(file, { force: true });
  if (changed > 0) console.log(`[i18n] ${changed} file(s) of src/paraglide/ updated`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
