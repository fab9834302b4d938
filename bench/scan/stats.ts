// Summaries of a bench run: decode rate per folder and time per image, per engine.
// Percentiles use the one interpolation rule all benches share (bench/lib/stats.ts).
import { quantile } from '../lib/stats.ts';
import type { EngineRun } from './page';

export interface FolderStats {
  folder: string;
  decoded: number;
  total: number;
  medianMs: number;
  p90Ms: number;
}
export interface EngineStats {
  engine: string;
  available: boolean;
  reason?: string;
  folders: FolderStats[];
  decoded: number;
  total: number;
  medianMs: number;
  p90Ms: number;
  emptyMedianMs: number;
}

export function summarise(run: EngineRun, folders: readonly string[]): EngineStats {
  // One number per image: the median of its repeats (robust against a stray GC pause).
  const perImage = (items: EngineRun['items']) => items.map((i) => quantile(i.ms, 0.5));
  const fs = folders.map((folder) => {
    const items = run.items.filter((i) => i.folder === folder);
    const ms = perImage(items);
    return {
      folder,
      decoded: items.filter((i) => i.ok).length,
      total: items.length,
      medianMs: quantile(ms, 0.5),
      p90Ms: quantile(ms, 0.9),
    };
  });
  const all = perImage(run.items);
  return {
    engine: run.engine,
    available: run.available,
    reason: run.reason,
    folders: fs,
    decoded: run.items.filter((i) => i.ok).length,
    total: run.items.length,
    medianMs: quantile(all, 0.5),
    p90Ms: quantile(all, 0.9),
    emptyMedianMs: quantile(run.emptyMs, 0.5),
  };
}
