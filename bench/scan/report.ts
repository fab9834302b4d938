// Renders bench results as a console table and as the "Scanning" section of BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { EngineStats } from './stats';

export const LABELS: Record<string, string> = {
  native: 'native BarcodeDetector',
  'zxing-wasm': 'zxing-wasm (ZXing-C++ WebAssembly, worker)',
  'zxing-js': "kiosk's zxing-js engine (@zxing/library MultiFormatReader; baseline)",
  'zxing-wasm-thorough': 'ref: zxing-wasm with tryHarder + tryInvert',
  'zxing-js-harder': 'ref: @zxing/library with TRY_HARDER',
};

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

export interface BenchMeta {
  date: string;
  chromium: string;
  cpu: string;
  cores: number;
  load: number;
  node: string;
  repeats: number;
  emptyRuns: number;
}

export function markdown(stats: EngineStats[], folders: readonly string[], meta: BenchMeta): string {
  const base = stats.find((s) => s.engine === 'zxing-js' && s.available);
  const head = `| engine | ${folders.map((f) => `${f} decoded`).join(' | ')} | all decoded | median ms/image | p90 ms/image | empty 1280×720 frame, median ms | decode rate vs baseline | speed on empty frame vs baseline |`;
  const sep = `|${'---|'.repeat(folders.length + 7)}`;
  const rows = stats.map((s) => {
    if (!s.available) return `| ${LABELS[s.engine]} | ${folders.map(() => 'unavailable').join(' | ')} | unavailable | – | – | – | – | – |`;
    const rate = base ? s.decoded / s.total / (base.decoded / base.total) : NaN;
    const speed = base ? base.emptyMedianMs / s.emptyMedianMs : NaN;
    return `| ${LABELS[s.engine]} | ${s.folders.map((f) => `${f.decoded}/${f.total}`).join(' | ')} | ${s.decoded}/${s.total} | ${f1(s.medianMs)} | ${f1(s.p90Ms)} | ${f1(s.emptyMedianMs)} | ${ratio(rate)} | ${ratio(speed)} |`;
  });
  const perFolder = stats
    .filter((s) => s.available)
    .flatMap((s) =>
      s.folders.map((f) => `| ${LABELS[s.engine]} | ${f.folder} | ${f.decoded}/${f.total} | ${f1(f.medianMs)} | ${f1(f.p90Ms)} |`),
    );
  const chain = stats.find((s) => s.engine === 'zxing-wasm' && s.available);
  const verdict =
    chain && base
      ? `Budget check (DESIGN §13): the chain's engine here (zxing-wasm) ${chain.decoded > base.decoded && chain.emptyMedianMs < base.emptyMedianMs ? 'beats' : 'does NOT beat'} the kiosk's zxing-js engine alone on both decode rate (${chain.decoded}/${chain.total} vs ${base.decoded}/${base.total}) and time per empty 720p frame (${f1(chain.emptyMedianMs)} vs ${f1(base.emptyMedianMs)} ms).`
      : 'Budget check (DESIGN §13): not computed (an engine was unavailable).';
  const unavailable = stats.filter((s) => !s.available).map((s) => `- ${LABELS[s.engine]}: unavailable here (${s.reason}).`);
  return [
    '## Scanning',
    '',
    `Measured ${meta.date} with \`npm run bench:scan\` (\`bench/scan/run.ts\`): ${meta.chromium} (Debian, headless,`,
    `\`--disable-gpu\`), ${meta.cores} cores (${meta.cpu}; 1-min load average ${meta.load.toFixed(1)} at start: the machine is shared,`,
    `so expect ±30% between runs), Node ${meta.node}. Images: \`tests/fixtures/zxing-blackbox\``,
    '(ZXing black-box photos, upright only). Each image is decoded ' + `${meta.repeats}× per engine; its time is the median of those,`,
    'and the table gives the median/p90 over images. Time is measured around `engine.decode()` as the camera loop',
    'calls it (zxing-wasm: including the round trip to its Web Worker). The empty frame is 1280×720 sensor-like',
    `noise with no code (${meta.emptyRuns} runs). Engines take turns image by image, so background load hits all alike.`,
    "Baseline: the kiosk's own zxing-js engine — @zxing/library's MultiFormatReader (the decoder @zxing/browser wraps)",
    "with @zxing/browser's default hints and the kiosk formats, as the chain's last resort runs it — measured in the same",
    'run. It is not @zxing/browser itself (its reader, which is slower; the real library is compared through the camera',
    'below), and earlier versions of this table wrongly labelled it "@zxing/browser". zxing-wasm runs with the',
    'chain\'s live-video settings (tryHarder and tryInvert off); "ref:" rows show each library\'s thorough mode for',
    'comparison. Ratios >1 mean better than the baseline.',
    '',
    head,
    sep,
    ...rows,
    '',
    '| engine | folder | decoded | median ms/image | p90 ms/image |',
    '|---|---|---|---|---|',
    ...perFolder,
    '',
    verdict,
    '',
    ...unavailable,
    '',
  ].join('\n');
}

/** Replaces (or appends) the section between `<!-- name:begin -->` markers, leaving other sections alone. */
export function writeSection(path: string, section: string, name = 'scan-bench') {
  const BEGIN = `<!-- ${name}:begin -->`;
  const END = `<!-- ${name}:end -->`;
  const block = `${BEGIN}\n${section}${END}\n`;
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const a = old.indexOf(BEGIN);
  const b = old.indexOf(END);
  const next = a >= 0 && b > a ? old.slice(0, a) + block + old.slice(b + END.length + 1) : `${old.trimEnd()}\n\n${block}`;
  writeFileSync(path, next);
}
