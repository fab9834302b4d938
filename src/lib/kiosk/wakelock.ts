// Keeps a till's screen on. The lock is dropped by the browser whenever the page is hidden, so it is
// re-requested when the page becomes visible again.
let sentinel: WakeLockSentinel | null = null;

async function request(): Promise<void> {
  try {
    if (document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    sentinel = await navigator.wakeLock.request('screen');
  } catch {
    sentinel = null; // denied (battery saver, no gesture yet): the screen may dim, nothing else breaks
  }
}

export function keepScreenOn(): () => void {
  const onVisible = () => {
    if (document.visibilityState === 'visible') void request();
  };
  document.addEventListener('visibilitychange', onVisible);
  void request();
  return () => {
    document.removeEventListener('visibilitychange', onVisible);
    void sentinel?.release();
    sentinel = null;
  };
}

/** Asks again now (a user gesture, e.g. self-checkout's "Tap to start", may succeed where the first ask failed). */
export function renewScreenLock(): void {
  if (!sentinel || sentinel.released) void request();
}
