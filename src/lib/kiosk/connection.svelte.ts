// The connection indicator's state (issue 5 §2): browser online/offline plus proxy reachability via /healthz.
// When the proxy becomes reachable again, the order queue is nudged so queued orders upload at once.
import { monitorReachability, type Reachability, type ReachabilityMonitor } from '../offline/reachability';
import { orderQueue } from '../offline/queue';
import { m } from '../../paraglide/messages.js';

const LABELS: Record<Reachability, () => string> = {
  online: m.conn_online,
  offline: m.conn_offline_long,
  'proxy-down': m.conn_proxy_down_long,
};

/** What the top bar shows (`conn-status`). */
const SHORT: Record<Reachability, () => string> = {
  online: m.conn_online,
  offline: m.conn_offline,
  'proxy-down': m.conn_proxy_down,
};

class ConnectionState {
  state = $state<Reachability>(globalThis.navigator?.onLine === false ? 'offline' : 'online');
  checkedAt = $state<number | null>(null);
  latencyMs = $state<number | null>(null);
  label: string = $derived(LABELS[this.state]());
  short: string = $derived(SHORT[this.state]());
  /** Wallet payments need the proxy; everything else works without it. */
  canPay: boolean = $derived(this.state === 'online');

  #monitor: ReachabilityMonitor | null = null;
  #onRecover = new Set<() => void>();

  /** Called whenever the proxy becomes reachable again (after offline / proxy-down). */
  onRecover(fn: () => void): () => void {
    this.#onRecover.add(fn);
    return () => this.#onRecover.delete(fn);
  }

  start(): void {
    if (this.#monitor) return;
    this.#monitor = monitorReachability({
      onChange: (state, d) => {
        const recovered = state === 'online' && this.state !== 'online';
        this.state = state;
        this.checkedAt = d.checkedAt;
        this.latencyMs = d.latencyMs;
        if (recovered) {
          void orderQueue.nudge();
          for (const fn of this.#onRecover) fn();
        }
      },
    });
  }

  /** Re-probe now (e.g. after a request failed): resolves with the fresh state. */
  check(): Promise<Reachability> {
    if (!this.#monitor) this.start();
    return this.#monitor!.check();
  }

  stop(): void {
    this.#monitor?.stop();
    this.#monitor = null;
  }
}

export const connection = new ConnectionState();
export type { Reachability };
