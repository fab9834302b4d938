// "Install as an app" for Settings (issue 5 §1). Chromium fires beforeinstallprompt once, early, when the
// kiosk is installable; we keep the event so staff can install later from Settings. Safari/iOS have no
// such event: there `canInstall` stays false and Settings should explain "Share → Add to Home Screen".

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

class InstallState {
  canInstall = $state(false);
  /** Running as the installed app (standalone window), where installing again makes no sense. */
  installed = $state(
    typeof window !== 'undefined' &&
      (window.matchMedia?.('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true),
  );
  #event: BeforeInstallPromptEvent | null = null;

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.#event = e as BeforeInstallPromptEvent;
      this.canInstall = true;
    });
    window.addEventListener('appinstalled', () => {
      this.#event = null;
      this.canInstall = false;
      this.installed = true;
    });
  }

  /** Shows the browser's install dialog; resolves true when the user accepted. */
  async install(): Promise<boolean> {
    const e = this.#event;
    if (!e) return false;
    this.#event = null;
    this.canInstall = false;
    await e.prompt();
    return (await e.userChoice).outcome === 'accepted';
  }
}

export const appInstall = new InstallState();
