// What every simulator route shares. Built once per plugin registration (one in-memory world each).
import type { KeyObject } from 'node:crypto';
import type { SimClock } from './clock.ts';
import type { SimTimers } from '../common/timers.ts';
import type { FaultBook } from './faults.ts';
import type { Ledger } from './ledger.ts';
import type { Notifier } from './notify.ts';

export interface SimContext {
  partnerId: string;
  /** Our merchant's key as uploaded to "PayBy": requests must verify with it. */
  merchantPublicKey: KeyObject;
  /** The simulator's own "PayBy platform" key: signs responses and notifications. */
  platformPrivateKey: KeyObject;
  platformPublicKeyPem: string;
  storeName?: string;
  payUrlBase?: string;
  pendingMs: number;
  slowMs: number;
  codeTtlMs: number;
  tokenTtlMs: number;
  refundCompleteMs: number;
  clock: SimClock;
  ledger: Ledger;
  timers: SimTimers;
  faults: FaultBook;
  notifier: Notifier;
  /** The plugin's mount point (e.g. '/sim/payby'), for tokenUrl. */
  prefix: string;
}

/** Base of PayBy's API below the mount point (UAT: https://uat.test2pay.com/sgs/api). */
export const API_BASE = '/sgs/api';
