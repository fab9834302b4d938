import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { readFileSync, readdirSync } from 'node:fs';
prepareZXingModule({ overrides: { wasmBinary: readFileSync('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm').buffer } as any });
const base = '/work/shared/datasets/zxing-blackbox-dev';
for (const d of ['qrcode-1','qrcode-2','code128-1']) {
  let ok = 0, n = 0;
  for (const f of readdirSync(`${base}/${d}`).filter(f => f.endsWith('.png'))) {
    n++;
    const want = readFileSync(`${base}/${d}/${f.replace('.png','.txt')}`, 'utf8');
    const t = performance.now();
    const r = await readBarcodes(new Uint8Array(readFileSync(`${base}/${d}/${f}`)), { formats: ['QRCode','Code128'], tryHarder: true });
    const hit = r.some(x => x.text === want);
    if (hit) ok++;
    if (d==='code128-1' || !hit) console.log(d, f, hit, r.map(x=>[x.format, x.text.slice(0,30)]), (performance.now()-t).toFixed(0), JSON.stringify(want.slice(0,30)));
  }
  console.log(d, ok, '/', n);
}
