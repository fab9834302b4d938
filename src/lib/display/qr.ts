// Merchant QR as SVG with whole-pixel modules: a drawing scaled by the browser to a fractional module size
// blurs module edges, which cheap tablet cameras and phones at an angle read badly. Black on white with the
// 4-module quiet zone the QR spec requires, so it scans from the cashier's screen or a customer display.
import QRCode from 'qrcode';

export const QUIET_ZONE = 4;

/** Modules per side (without the quiet zone) of the QR for `payload`. */
export function qrModuleCount(payload: string): number {
  return QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules.size;
}

/** The largest whole-pixel module size that fits `box` CSS px (never below 2, or phones cannot read it). */
export function fitModulePx(box: number, modules: number): number {
  return Math.max(2, Math.floor(box / (modules + 2 * QUIET_ZONE)));
}

/** SVG markup; dark modules merged into horizontal runs to keep the path short. */
export function qrSvg(payload: string, modulePx: number): string {
  const { size, data } = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
  const total = size + 2 * QUIET_ZONE;
  let d = '';
  for (let r = 0; r < size; r++) {
    let c = 0;
    while (c < size) {
      if (!data[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && data[r * size + c]) c++;
      const run = c - start;
      d += `M${start + QUIET_ZONE} ${r + QUIET_ZONE}h${run}v1h-${run}z`;
    }
  }
  const px = total * modulePx;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${total}" width="${px}" height="${px}" shape-rendering="crispEdges" role="img" aria-label="Payment QR code"><rect width="${total}" height="${total}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

/** "m:ss" left until `expiresAt` (clamped at 0:00). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
