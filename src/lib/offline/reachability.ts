// Is the payment server reachable? The browser's online flag only says a network interface is up; the proxy
// can still be down or unreachable, and wallet payments need the proxy. So: browser offline → 'offline';
// otherwise GET /healthz (3 s timeout) every ~10 s and on every 'online' event → 'online' | 'proxy-down'.

export type Reachability = 'online' | 'offline' | 'proxy-down';

export interface ReachabilityOptions {
  url?: string;
  intervalMs?: number;
  timeoutMs?: number;
  /** Re-check interval while the proxy is unreachable (capped by intervalMs). */
  retryMs?: number;
  fetch?: typeof fetch;
  isOnline?: () => boolean;
  /** Where 'online'/'offline' events come from (window in the browser). */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  onChange: (state: Reachability, detail: { checkedAt: number; latencyMs: number | null }) => void;
}

export interface ReachabilityMonitor {
  /** Probes now (e.g. after a failed request) and resolves with the fresh state. */
  check(): Promise<Reachability>;
  stop(): void;
}

export async function probe(url: string, timeoutMs: number, doFetch: typeof fetch): Promise<boolean> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await doFetch(url, { cache: 'no-store', signal: ctrl.signal, headers: { Accept: 'application/json' } });
    await res.body?.cancel().catch(() => {});
    return res.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function monitorReachability(opts: ReachabilityOptions): ReachabilityMonitor {
  const url = opts.url ?? '/healthz';
  const intervalMs = opts.intervalMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const retryMs = opts.retryMs ?? 2_000;
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const isOnline = opts.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
  const events = opts.events === undefined ? (globalThis as unknown as EventTarget) : opts.events;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let last: Reachability | null = null;
  let inFlight: Promise<Reachability> | null = null;

  function emit(state: Reachability, latencyMs: number | null): void {
    if (stopped) return;
    const changed = state !== last;
    last = state;
    if (changed) opts.onChange(state, { checkedAt: Date.now(), latencyMs });
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    // While the proxy is unreachable, look again soon: right after the network returns the first probe often
    // fails (routes and the service worker catch up), and every second counted as down blocks payments.
    const ms = last === 'proxy-down' ? Math.min(intervalMs, retryMs) : intervalMs;
    timer = stopped ? null : setTimeout(() => void check(), ms);
  }

  function check(): Promise<Reachability> {
    if (inFlight) return inFlight;
    inFlight = (async () => {
      let state: Reachability;
      let latency: number | null = null;
      if (!isOnline()) {
        state = 'offline';
      } else {
        const t0 = Date.now();
        const ok = await probe(url, timeoutMs, doFetch);
        latency = ok ? Date.now() - t0 : null;
        // The browser may have gone offline while we waited: its word wins.
        state = !isOnline() ? 'offline' : ok ? 'online' : 'proxy-down';
      }
      emit(state, latency);
      schedule();
      return state;
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const onOnline = () => void check();
  const onOffline = () => {
    emit('offline', null);
    schedule();
  };
  events?.addEventListener('online', onOnline);
  events?.addEventListener('offline', onOffline);
  void check();

  return {
    check,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      events?.removeEventListener('online', onOnline);
      events?.removeEventListener('offline', onOffline);
    },
  };
}
