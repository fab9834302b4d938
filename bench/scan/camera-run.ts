// Decode rate and shown → decoded time through a real camera path: each ZXing black-box photo is turned into a
// .y4m that Chromium's fake camera plays, and every contender (camera-page.ts) reads that camera until it
// returns the photo's text or `--timeout` ms pass. Same images, same machine, same run for all contenders.
//   npx tsx bench/scan/camera-run.ts [--timeout 2000] [--only qrcode-2]
import { rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { CameraContender, CameraRun } from './camera-page';
import {
  CONTENDERS,
  ROOT,
  args,
  buildBenchPage,
  contendersInTurn,
  folders,
  launchWithCamera,
  lumaOverWhite,
  opt,
  photos,
  quantile,
  readPng,
} from './camera-harness';
import { serve } from './serve';
import { writeSection } from './report';

const timeoutMs = Number(opt('--timeout') ?? 2000);

/** The photo as a camera would film it: its own pixels (padded to even size with white, as 4:2:0 needs). */
function photoToY4m(png: string, out: string): void {
  const img = readPng(png);
  const w = img.width + (img.width % 2);
  const h = img.height + (img.height % 2);
  const y = new Uint8Array(w * h).fill(255);
  for (let r = 0; r < img.height; r++) {
    for (let c = 0; c < img.width; c++) {
      y[r * w + c] = lumaOverWhite(img.data, (r * img.width + c) * 4);
    }
  }
  const chroma = new Uint8Array((w / 2) * (h / 2) * 2).fill(128);
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${w} H${h} F15:1 Ip A1:1 C420jpeg\n`);
    for (let f = 0; f < 15; f++) {
      writeSync(fd, 'FRAME\n');
      writeSync(fd, y);
      writeSync(fd, chroma);
    }
  } finally {
    closeSync(fd);
  }
}

async function main() {
  const load = loadavg()[0];
  const out = await buildBenchPage('camera.html', 'scan-camera-');
  const { server, origin } = await serve({ '/': out });
  const results = new Map<CameraContender, { folder: string; name: string; run: CameraRun }[]>(CONTENDERS.map((c) => [c, []]));
  let chromiumVersion = '';
  try {
    for (const { folder, name, file, expected, index } of photos()) {
      const y4m = join(out, 'photo.y4m');
      photoToY4m(file, y4m);
      const browser = await launchWithCamera(y4m);
      chromiumVersion = browser.version();
      try {
        const page = await browser.newPage();
        page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
        await page.goto(`${origin}/camera.html`);
        await page.waitForFunction(() => 'cameraBench' in window);
        for (const c of contendersInTurn(index)) {
          const run = await page.evaluate(([c, e, t]) => (window as any).cameraBench.run(c, e, t), [c, expected, timeoutMs] as const);
          results.get(c)!.push({ folder, name, run });
        }
      } finally {
        await browser.close();
      }
      process.stderr.write('.');
    }
  } finally {
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  const rows = CONTENDERS.map((c) => {
    const rs = results.get(c)!;
    const hits = rs.filter((r) => r.run.ok).map((r) => r.run.ms);
    return {
      contender: c,
      ...Object.fromEntries(
        folders.map((f) => [f, `${rs.filter((r) => r.folder === f && r.run.ok).length}/${rs.filter((r) => r.folder === f).length}`]),
      ),
      decoded: hits.length,
      'median ms': quantile(hits, 0.5).toFixed(0),
      'p95 ms': quantile(hits, 0.95).toFixed(0),
    };
  });
  console.table(rows);
  for (const c of CONTENDERS) {
    const missed = results.get(c)!.filter((r) => !r.run.ok);
    console.log(
      `${c} missed: ${missed.map((r) => `${r.folder}/${r.name}${r.run.got.length ? ` (read ${r.run.got.join('|').slice(0, 40)})` : ''}`).join(', ') || 'none'}`,
    );
  }
  const base = rows.find((r) => r.contender === 'zxing-wasm-defaults')!.decoded;
  console.log(`kiosk vs zxing-wasm defaults: ${(rows[0].decoded / base).toFixed(2)}× decoded (${rows[0].decoded} vs ${base})`);
  const env = `Chromium ${chromiumVersion}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), 1-min load ${load.toFixed(1)} at start, Node ${process.version}`;
  console.log(`${env}, timeout ${timeoutMs} ms per photo`);
  if (args.includes('--no-write') || opt('--only')) return;
  const table = [
    `| contender | ${folders.join(' | ')} | decoded | vs zxing-wasm defaults | shown → decoded median ms | p95 ms |`,
    `|---|${folders.map(() => '---|').join('')}---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${LABEL[r.contender]} | ${folders.map((f) => (r as Record<string, unknown>)[f]).join(' | ')} | ${r.decoded} | ${(r.decoded / base).toFixed(2)}× | ${r['median ms']} | ${r['p95 ms']} |`,
    ),
  ];
  const misses = CONTENDERS.map(
    (c) =>
      `- ${LABEL[c]} missed: ${
        results
          .get(c)!
          .filter((r) => !r.run.ok)
          .map((r) => `${r.folder}/${r.name}`)
          .join(', ') || 'none'
      }`,
  );
  writeSection(
    join(ROOT, 'BENCHMARKS.md'),
    [
      '## Scanning through the camera',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:scan:camera\` (\`bench/scan/camera-run.ts\`): ${env}.`,
      "Each ZXing black-box photo (upright, its own pixels) is played by Chromium's fake camera; each contender reads that",
      "camera its own way until it returns the photo's text or " + timeoutMs + ' ms pass. "Shown → decoded" runs from asking for the',
      "camera to the read, so it includes opening the camera. The kiosk and the zxing-wasm rows go through the kiosk's own camera",
      'loop (`src/lib/scan/loop.ts`) and worker; @zxing/browser and html5-qrcode use their own camera APIs with their default',
      "settings (the real libraries, not the kiosk's zxing-js engine). Contenders take turns photo by photo.",
      '',
      ...table,
      '',
      ...misses,
      '',
    ].join('\n'),
    'scan-camera-bench',
  );
}

const LABEL: Record<CameraContender, string> = {
  kiosk: 'kiosk (live pass + follow-up passes, src/lib/scan)',
  'zxing-wasm-live': 'zxing-wasm, the live pass alone (the kiosk before)',
  'zxing-wasm-defaults': 'zxing-wasm with its own defaults (baseline)',
  '@zxing/browser': '@zxing/browser (BrowserMultiFormatReader, defaults)',
  'html5-qrcode': 'html5-qrcode (Html5Qrcode.start, defaults)',
};

await main();
