// What every simulator route shares. Built once per plugin registration (one in-memory world each).
import type { FaultBook } from '../common/faults.ts';
import type { SimTimers } from '../common/timers.ts';
import type { SimSigner } from './keys.ts';
import type { Ledger } from './ledger.ts';
import type { WebhookTarget } from './notify.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface SimContext {
  apiKey: string;
  configId: string;
  accountId: string;
  merchantId: string;
  merchantName: string;
  luhnCheck: boolean;
  codeTtlMs: number;
  pendingMs: number;
  ledger: Ledger;
  timers: SimTimers;
  faults: FaultBook;
  limiter: RateLimiter;
  signer: SimSigner;
  /** The webhook subscription ("set up by Centrapay support"); changeable on a control route. */
  webhook: { current: WebhookTarget | undefined };
  /** The plugin's mount point (e.g. '/sim/centrapay'), for the pay `url`. */
  prefix: string;
  /** Origin for the pay `url` when the request's own Host is not what a phone can reach. */
  payUrlBase?: string;
}
