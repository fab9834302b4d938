// What both camera benches (camera-run.ts: shown → decoded from opening the camera; latency-run.ts: from a
// code appearing in a running stream) do alike: build their page, walk the photographed codes, give each
// photo a fresh Chromium whose fake camera plays a .y4m made from it, and summarise the times.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { PNG } from 'pngjs';
import { build } from 'vite';
import type { CameraContender } from './contenders';
import { CHROMIUM_ARGS } from './serve';

export const ROOT = resolve(import.meta.dirname, '../..');
export const args = process.argv.slice(2);
export const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** The dev photos, or (`--fixtures <dir>`) one family of the variant set written by variants-write.ts. */
const FIXTURES = opt('--fixtures') ?? join(ROOT, 'tests/fixtures/zxing-blackbox');
const ALL: CameraContender[] = ['kiosk', 'zxing-wasm-live', 'zxing-wasm-defaults', '@zxing/browser', 'html5-qrcode'];
export const CONTENDERS: CameraContender[] = opt('--contenders') ? ALL.filter((c) => opt('--contenders')!.split(',').includes(c)) : ALL;
export const folders = opt('--only') ? [opt('--only')!] : ['qrcode-1', 'qrcode-2', 'code128-1'];

/** Nearest-rank quantile (BENCHMARKS.md's camera figures were measured this way; bench/lib/stats interpolates). */
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

/** The bench page (`html` beside this file) built into a fresh temp folder. */
export async function buildBenchPage(html: string, prefix: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), prefix));
  await build({
    root: import.meta.dirname,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true, target: 'es2022', rollupOptions: { input: join(import.meta.dirname, html) } },
    worker: { format: 'es' },
  });
  return out;
}

/** A pixel of a decoded PNG as luma over white (transparent parts are paper). */
export function lumaOverWhite(data: Buffer, i: number): number {
  const a = data[i + 3] / 255;
  const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  return Math.round(lum * a + 255 * (1 - a));
}

export const readPng = (file: string) => PNG.sync.read(readFileSync(file));

export interface Photo {
  folder: string;
  name: string;
  file: string;
  expected: string;
  /** 0, 1, 2 … over the whole run: which contender goes first on this photo. */
  index: number;
}

/** Every photo of the chosen folders, in number order. */
export function* photos(root = FIXTURES): Generator<Photo> {
  let index = 0;
  for (const folder of folders) {
    const names = readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => parseInt(a) - parseInt(b));
    for (const name of names) {
      const expected = readFileSync(join(root, folder, name.replace(/\.png$/, '.txt')), 'utf8');
      yield { folder, name, file: join(root, folder, name), expected, index: index++ };
    }
  }
}

/** A fresh Chromium whose camera plays `y4m`. */
export function launchWithCamera(y4m: string): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ],
  });
}

/** The contenders in turn, starting with a different one on each photo: the first camera opened in a fresh
 *  browser is slower, and load on this shared machine should hit all alike. */
export const contendersInTurn = (index: number) => {
  const turn = index % CONTENDERS.length;
  return [...CONTENDERS.slice(turn), ...CONTENDERS.slice(0, turn)];
};
