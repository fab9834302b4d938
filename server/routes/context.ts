// What route plugins get from buildApp (decorated on the root instance as `app.kiosk`), and the terminal
// that the auth hook attaches to each authenticated request.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { EventBus } from '../events/bus.ts';
import type { Leases } from '../payments/leases.ts';
import type { AdapterRegistry } from '../payments/adapters.ts';
import type { Poller } from '../payments/poller.ts';
import type { RefundService } from '../payments/refunds.ts';
import type { PaymentService } from '../payments/service.ts';
import type { StaffActions } from '../payments/staff-actions.ts';
import type { StaffGate } from '../staff/gate.ts';
import type { LastSeen } from '../staff/last-seen.ts';
import type { StaffSessions } from '../staff/sessions.ts';
import type { Database } from '../store/schema.ts';
import type { Providers } from '../wiring/providers.ts';
import type { StoreConfig } from '../store/store-config.ts';
import type { TerminalRow } from '../store/terminals.ts';
import type { SseStreams } from './sse-streams.ts';

export interface Kiosk {
  config: Config;
  db: Kysely<Database>;
  bus: EventBus;
  adapters: AdapterRegistry;
  /** Each configured provider's module and context (reconciliation reads their transaction lists). */
  providers: Providers;
  service: PaymentService;
  poller: Poller;
  refunds: RefundService;
  staffActions: StaffActions;
  /** Which instance works which payment and refund (row leases; payments/leases.ts). */
  leases: Leases;
  /** Supervisor/cashier PIN check (throttled, audited) for money-moving staff actions. */
  staffGate: StaffGate;
  /** Who is signed in at each tablet (POST /api/staff/sign-in), with the idle sign-out. */
  sessions: StaffSessions;
  /** terminals.last_seen_at, written at most once a minute per tablet. */
  lastSeen: LastSeen;
  stores: Map<string, StoreConfig>;
  /** Open SSE responses, capped per terminal and in total, ended when the server closes (hijacked sockets
   *  would otherwise hold close()). */
  streams: SseStreams;
  /** PUBLIC_URL as providers reach us (with PORT=0, the port we actually got). */
  publicUrl(): string;
  /** Mints a one-time pairing code for a store (default STORE_ID; main.ts prints them; tests use it). */
  createPairingCode(storeId?: string): Promise<{ code: string; expiresAt: string; url: string; storeId: string }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kiosk: Kiosk;
  }
  interface FastifyRequest {
    terminal: TerminalRow | null;
  }
}
