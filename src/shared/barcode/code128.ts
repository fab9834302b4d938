// Code 128 encoder: wallet payment codes are shown as QR and Code 128 (the wallet page, test videos).
// Digit-only input of even length uses code set C (two digits per symbol, compact like real wallet
// barcodes); anything else uses code set B.

const PATTERNS = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];
const START_B = 104;
const START_C = 105;
const STOP = 106;

/** Symbol values including start, data and checksum (stop excluded). */
export function code128Symbols(text: string): number[] {
  if (text.length === 0) throw new Error('Code 128 needs at least one character');
  const useC = /^\d+$/.test(text) && text.length % 2 === 0;
  const symbols: number[] = [useC ? START_C : START_B];
  if (useC) {
    for (let i = 0; i < text.length; i += 2) symbols.push(Number(text.slice(i, i + 2)));
  } else {
    for (const ch of text) {
      const c = ch.charCodeAt(0);
      if (c < 32 || c > 126) throw new Error(`Code 128 set B cannot encode ${JSON.stringify(ch)}`);
      symbols.push(c - 32);
    }
  }
  let sum = symbols[0];
  for (let i = 1; i < symbols.length; i++) sum += symbols[i] * i;
  symbols.push(sum % 103);
  return symbols;
}

/** Module sequence (true = bar) with a 10-module quiet zone on each side. */
export function code128Modules(text: string, quiet = 10): boolean[] {
  const out: boolean[] = new Array<boolean>(quiet).fill(false);
  for (const s of [...code128Symbols(text), STOP]) {
    const widths = PATTERNS[s];
    for (let i = 0; i < widths.length; i++) {
      const bar = i % 2 === 0;
      for (let w = 0; w < Number(widths[i]); w++) out.push(bar);
    }
  }
  for (let i = 0; i < quiet; i++) out.push(false);
  return out;
}

/** An SVG string of the barcode (crisp at any size; prints well on receipts). */
export function code128Svg(text: string, opts: { moduleWidth?: number; height?: number } = {}): string {
  const mw = opts.moduleWidth ?? 2;
  const h = opts.height ?? 80;
  const modules = code128Modules(text);
  let rects = '';
  for (let i = 0; i < modules.length;) {
    if (!modules[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < modules.length && modules[j]) j++;
    rects += `<rect x="${i * mw}" y="0" width="${(j - i) * mw}" height="${h}"/>`;
    i = j;
  }
  const w = modules.length * mw;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" shape-rendering="crispEdges"><rect width="${w}" height="${h}" fill="#fff"/><g fill="#000">${rects}</g></svg>`;
}
