// Exclusive section across every tab of this origin (Web Locks), so two open kiosk tabs never upload the same
// queue at the same time. Where the browser has no Web Locks (old Safari) we still serialise within the tab;
// the server's unique (terminal, order id) key keeps a cross-tab race harmless, only wasteful.

const local = new Map<string, Promise<unknown>>();

function localLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const prev = local.get(name) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => {});
  local.set(name, tail);
  void tail.then(() => {
    if (local.get(name) === tail) local.delete(name);
  });
  return run;
}

export function withLock<T>(name: string, fn: () => Promise<T>, locks: LockManager | undefined = globalThis.navigator?.locks): Promise<T> {
  if (locks?.request) return locks.request(name, { mode: 'exclusive' }, () => fn()) as Promise<T>;
  return localLock(name, fn);
}
