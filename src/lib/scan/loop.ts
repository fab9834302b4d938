// Pulls frames from a playing <video> and feeds the decoder, one frame in flight at a time: on a 2-core
// tablet a backlog of frames would only add latency and heat, never reads.
import type { DecodeEngine } from './engines/engine';
import type { ScanResult } from './types';
import { Deduper } from './dedupe';

export interface ScanLoopOptions {
  engine: DecodeEngine;
  video: HTMLVideoElement;
  onResult(r: ScanResult): void;
  onError?(err: unknown): void;
  /** Every decode attempt (with or without a read): diagnostics show the engine's pace. */
  onFrame?(info: { decodeMs: number; found: number }): void;
  /** Frames are scaled down to at most this width (720p is plenty for a phone screen at 20 cm). */
  maxWidth?: number;
  /** Minimum time between the starts of two decodes, to leave CPU for the UI. */
  minIntervalMs?: number;
  dedupeMs?: number;
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function makeContext(w: number, h: number): Canvas2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available');
  return ctx;
}

export function startScanLoop(opts: ScanLoopOptions): { stop(): void } {
  const { engine, video } = opts;
  const maxWidth = opts.maxWidth ?? 1280;
  const minInterval = opts.minIntervalMs ?? 60;
  const dedupe = new Deduper(opts.dedupeMs ?? 1500);
  let stopped = false;
  let ctx: Canvas2D | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frameHandle: number | undefined;

  function grab(): ImageData | undefined {
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh || video.readyState < 2) return undefined;
    const scale = Math.min(1, maxWidth / vw);
    const w = Math.round(vw * scale);
    const h = Math.round(vh * scale);
    if (!ctx || ctx.canvas.width !== w || ctx.canvas.height !== h) ctx = makeContext(w, h);
    ctx.drawImage(video, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h);
  }

  async function tick() {
    frameHandle = undefined;
    if (stopped) return;
    const started = performance.now();
    try {
      const frame = grab();
      if (frame) {
        const t0 = performance.now();
        const found = await engine.decode(frame);
        const decodeMs = performance.now() - t0;
        if (stopped) return;
        opts.onFrame?.({ decodeMs, found: found.length });
        const at = Date.now();
        for (const d of found) {
          if (d.text && dedupe.accept(d.text, at)) {
            opts.onResult({ text: d.text, format: d.format, engine: engine.name, decodeMs: Math.round(decodeMs * 10) / 10, at });
          }
        }
      }
    } catch (err) {
      if (!stopped) opts.onError?.(err);
    }
    if (stopped) return;
    const wait = Math.max(0, minInterval - (performance.now() - started));
    timer = setTimeout(next, wait);
  }

  function next() {
    timer = undefined;
    if (stopped) return;
    // Wait for a fresh frame where the browser can say when one arrives; decoding the same frame twice is waste.
    if ('requestVideoFrameCallback' in video) frameHandle = video.requestVideoFrameCallback(() => void tick());
    else timer = setTimeout(() => void tick(), 0);
  }

  next();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (frameHandle !== undefined && 'cancelVideoFrameCallback' in video) video.cancelVideoFrameCallback(frameHandle);
    },
  };
}
