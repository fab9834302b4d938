/// <reference types="vite-plugin-pwa/vanillajs" />
// New app versions (issue 5 §6). The service worker is registered with registerType 'prompt': a new version
// installs in the background and waits; the cashier is offered "Update" and nothing reloads on its own.
// A payment in progress holds the offer back (holdUpdates('payment')), in this tab and — through a shared Web
// Lock — in every other kiosk tab, since applying an update in one tab reloads them all. If a reload is
// requested while held anyway (another tab without Web Locks applied it), it waits until the hold ends.
import { registerSW } from 'virtual:pwa-register';
import { UpdateGate, type GateState } from '../offline/update-gate';
import { m } from '../../paraglide/messages.js';

const HOLD_LOCK = 'kiosk-update-hold';
const CHECK_EVERY_MS = 60 * 60_000;

class UpdateState {
  /** A new version is installed and waiting. */
  updateAvailable = $state(false);
  /** Reasons holding the prompt back in this tab. */
  holds = $state<string[]>([]);
  /** Show the "new version" prompt now. */
  offerUpdate = $state(false);
  /** The app shell is cached: the kiosk will start without network. */
  offlineReady = $state(false);
  /** The service worker is registered (it precaches the shell so the kiosk can start offline). */
  registered = $state(false);
  error = $state<string | null>(null);

  #gate = new UpdateGate();
  #update: ((reload?: boolean) => Promise<void>) | null = null;
  #releaseShared = new Map<string, () => void>();
  #reloadWhenFree = false;

  constructor() {
    this.#gate.subscribe((s: GateState) => {
      this.updateAvailable = s.available;
      this.holds = s.holds;
      this.offerUpdate = s.offer;
      if (this.#reloadWhenFree && s.holds.length === 0) location.reload();
    });
  }

  /** Registers the service worker (call once at boot; a no-op without service worker support). */
  start(): void {
    if (this.#update || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onNeedRefresh: () => this.#gate.setAvailable(true),
      onOfflineReady: () => {
        this.offlineReady = true;
      },
      // The new version took control (maybe applied from another tab): reload, unless a payment holds us.
      onNeedReload: () => {
        if (this.#gate.state.holds.length === 0) location.reload();
        else this.#reloadWhenFree = true;
      },
      onRegisteredSW: (_url, reg) => {
        this.registered = !!reg;
        if (reg) setInterval(() => void (navigator.onLine && reg.update().catch(() => {})), CHECK_EVERY_MS);
      },
      onRegisterError: (e: unknown) => {
        this.error = m.offline_support_unavailable({ error: e instanceof Error ? e.message : String(e) });
      },
    });
  }

  /** Holds the update offer back (e.g. 'payment' from the first send until the outcome is known). */
  holdUpdates(reason: string): void {
    this.#gate.hold(reason);
    const locks = globalThis.navigator?.locks;
    if (!locks || this.#releaseShared.has(reason)) return;
    const held = new Promise<void>((resolve) => this.#releaseShared.set(reason, resolve));
    void locks.request(HOLD_LOCK, { mode: 'shared' }, () => held).catch(() => {});
  }

  releaseUpdates(reason: string): void {
    this.#releaseShared.get(reason)?.();
    this.#releaseShared.delete(reason);
    this.#gate.release(reason);
  }

  /** Switches to the waiting version (the page reloads). False when nothing waits or a payment holds it. */
  async applyUpdate(): Promise<boolean> {
    if (!this.#update || !this.#gate.canApply) return false;
    const locks = globalThis.navigator?.locks;
    if (locks?.query) {
      const q = await locks.query();
      if (q.held?.some((l) => l.name === HOLD_LOCK)) return false;
    }
    // workbox-window only reports the switch as an update when the page had a controller when it registered,
    // which is not the case in the first session after installing; so we watch the switch ourselves.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    await this.#update(true);
    return true;
  }
}

export const appUpdate = new UpdateState();
export const holdUpdates = (reason: string): void => appUpdate.holdUpdates(reason);
export const releaseUpdates = (reason: string): void => appUpdate.releaseUpdates(reason);
export const applyUpdate = (): Promise<boolean> => appUpdate.applyUpdate();
