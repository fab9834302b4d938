// What every simulator route shares. Built once per plugin registration (one in-memory world each).
import type { FaultBook } from '../common/faults.ts';
import type { SimTimers } from '../common/timers.ts';
import type { Ledger } from './ledger.ts';

export interface SimContext {
  merchantNo: string;
  storeNo: string;
  token: string;
  storeName?: string;
  payUrlBase?: string;
  pendingMs: number;
  slowMs: number;
  codeTtlMs: number;
  ledger: Ledger;
  timers: SimTimers;
  faults: FaultBook;
  /** The plugin's mount point (e.g. '/sim/pockyt'), for deepLink / qrcodeUrl. */
  prefix: string;
}
