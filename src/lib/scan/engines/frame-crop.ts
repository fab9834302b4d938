// Cutting a frame down to where a symbol was located, with a margin: a follow-up pass on the crop costs a
// fraction of the full frame, and the binariser's thresholds come from the code and its quiet zone only.
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Point {
  x: number;
  y: number;
}

/** The box around a symbol's corners, grown by `margin` of its size on each side, clipped to the frame. */
export function regionAround(corners: readonly Point[], frameWidth: number, frameHeight: number, margin = 0.35): Region {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Quiet zone and a little drift between frames; at least 32 px so a tiny or degenerate box still has context.
  const grow = Math.max(32, margin * Math.max(x1 - x0, y1 - y0));
  const left = Math.max(0, Math.floor(x0 - grow));
  const top = Math.max(0, Math.floor(y0 - grow));
  const right = Math.min(frameWidth, Math.ceil(x1 + grow));
  const bottom = Math.min(frameHeight, Math.ceil(y1 + grow));
  return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

export interface Pixels {
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/** The region's RGBA pixels as a new frame. */
export function cropPixels(frame: Pixels, r: Region): Pixels {
  const data = new Uint8ClampedArray(r.width * r.height * 4);
  for (let row = 0; row < r.height; row++) {
    const from = ((r.y + row) * frame.width + r.x) * 4;
    data.set(frame.data.subarray(from, from + r.width * 4), row * r.width * 4);
  }
  return { data, width: r.width, height: r.height };
}
