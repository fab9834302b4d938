// Fullscreen for the self-checkout kiosk. Browsers grant it only from a user gesture (the "Tap to start" tap
// or the supervisor's switch), and a refusal changes nothing else.
export function enterFullscreen(): void {
  if (typeof document === 'undefined' || document.fullscreenElement || !document.documentElement.requestFullscreen) return;
  document.documentElement.requestFullscreen().catch(() => {});
}

export function leaveFullscreen(): void {
  if (typeof document === 'undefined' || !document.fullscreenElement) return;
  document.exitFullscreen().catch(() => {});
}
