// The store's logo for the top of the paper: /logos/<store id>.png when the operator put one there, else
// the kiosk's icon. Scaled to a third of the paper's width, flattened onto white (thermal paper has no alpha).
import { PAPER, type ImageLike, type PaperWidth } from './layout';

const cache = new Map<string, Promise<ImageLike | null>>();

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`logo ${src} did not load`));
    img.src = src;
  });
}

async function render(storeId: string, width: PaperWidth): Promise<ImageLike | null> {
  let img: HTMLImageElement;
  try {
    img = await loadImage(`/logos/${encodeURIComponent(storeId)}.png`);
  } catch {
    try {
      img = await loadImage('/icons/icon-192.png');
    } catch {
      return null;
    }
  }
  const w = Math.floor(PAPER[width].dots / 3 / 8) * 8;
  const h = Math.max(8, Math.round(((img.naturalHeight / img.naturalWidth) * w) / 8) * 8);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(img, 0, 0, w, h);
  return { width: w, height: h, data: ctx.getImageData(0, 0, w, h).data };
}

export function storeLogo(storeId: string, width: PaperWidth): Promise<ImageLike | null> {
  const key = `${storeId}:${width}`;
  let p = cache.get(key);
  if (!p) cache.set(key, (p = render(storeId, width)));
  return p;
}
