// The variant bench's tables: decode rate per family and contender, frames needed, cost on an empty frame,
// and the photos a contender reads that ZXing-C++ alone does not (and the other way round).
import type { Family } from './variants';
import type { VariantResult } from './variants-page';
import { CANDIDATES } from './variant-candidates';

export interface Row extends VariantResult {
  family: string;
  photo: string;
}
interface Input {
  rows: Row[];
  emptyMs: Record<string, number[]>;
  names: string[];
  families: readonly Family[];
  frames: number;
  env: string;
  on720p: boolean;
}

const BASE = 'zxing-wasm-defaults';
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const nearestRank = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

export function variantsMarkdown({ rows, emptyMs, names, families, frames, env, on720p }: Input): string {
  const read = (c: string, fam?: string, within = frames) =>
    rows.filter((r) => r.candidate === c && (!fam || r.family === fam) && r.frame !== null && r.frame <= within).length;
  const total = (fam?: string) => rows.filter((r) => r.candidate === names[0] && (!fam || r.family === fam)).length;
  const harder = families.filter((f) => f.name !== 'original').map((f) => f.name);
  const readHarder = (c: string) => harder.reduce((s, f) => s + read(c, f), 0);
  const totalHarder = harder.reduce((s, f) => s + total(f), 0);
  const baseEmpty = mean(emptyMs[BASE] ?? []);
  const ok = new Set(rows.filter((r) => r.frame !== null).map((r) => `${r.candidate}|${r.family}|${r.photo}`));
  const lostOriginals = (c: string) =>
    rows.filter((r) => r.candidate === BASE && r.family === 'original' && r.frame !== null && !ok.has(`${c}|original|${r.photo}`)).length;
  const table = [
    `| contender | ${families.map((f) => f.name).join(' | ')} | all harder (${totalHarder}) | vs baseline | read in frame 1 | ≤ 4 frames | empty 720p mean ms/frame | p95 ms | added ms vs baseline | originals the baseline reads, missed |`,
    `|---|${families.map(() => '---|').join('')}---|---|---|---|---|---|---|---|`,
    ...names.map((c) => {
      const h = readHarder(c);
      const e = emptyMs[c] ?? [];
      const r1 = harder.reduce((s, f) => s + read(c, f, 1), 0);
      const r4 = harder.reduce((s, f) => s + read(c, f, 4), 0);
      return `| ${c} | ${families.map((f) => `${read(c, f.name)}/${total(f.name)}`).join(' | ')} | ${h} | ${(h / readHarder(BASE)).toFixed(2)}× | ${r1} | ${r4} | ${mean(e).toFixed(1)} | ${nearestRank(e, 0.95).toFixed(1)} | ${(mean(e) - baseEmpty).toFixed(1)} | ${lostOriginals(c)} |`;
    }),
  ];
  const what = names.map((c) => `- \`${c}\`: ${CANDIDATES[c]?.what ?? c}`);
  const fams = families.map((f) => `- \`${f.name}\`: ${f.what}`);
  const intro = on720p
    ? [
        '## Scanning: harder variants, on a 720p frame',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:scan:variants -- --on720p\`: ${env}. The same variant`,
        "set and contenders as the section above, but each image is centred on a white 1280×720 frame, as the kiosk's camera",
        'frames a code (and as the latency bench plays it): the code is small in a large frame, and whole-frame passes cost',
        'what they cost on a real camera frame.',
      ]
    : [
        '## Scanning: harder variants of the dev photos',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:scan:variants\` (\`bench/scan/variants-run.ts\`): ${env}.`,
        'The 62 dev photos are too near the ceiling to tell decoders apart (ZXing-C++ alone reads 60), so `bench/scan/variants.ts`',
        'derives harder versions of each at bench time (written to a temp folder, never committed), every random choice seeded',
        "by the photo's and the family's index so each run decodes the same pixels; each keeps its photo's text. Families:",
        '',
        ...fams,
      ];
  return [
    ...intro,
    '',
    `Each contender reads each image as a still camera view delivers it — the same frame again — up to ${frames} frames`,
    `(≈ ${((frames * 60) / 1000).toFixed(1)} s at the kiosk loop's 60 ms pace), with a fresh schedule per image; fixed-setting`,
    "contenders read the same on every frame. Decoding runs on the bench page thread with the worker's own pass code",
    '(`src/lib/scan/engines/worker-passes.ts`). Empty 720p: mean and p95 ms per frame over a run of frames of sensor-like',
    `noise with no code (idle follow-ups included), all schedules interleaved frame by frame. Baseline: \`${BASE}\`, same run.`,
    '',
    ...what,
    '',
    ...table,
    '',
  ].join('\n');
}
