// Short audible cues so the cashier knows a code was read (or paid) without looking at the screen.
// Staff can mute sound and vibration on a tablet (Settings); the choice is kept on the device.
let ctx: AudioContext | null = null;
const MUTE_KEY = 'kiosk.muted';

export function isMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export function setMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTE_KEY, '1');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // storage unavailable: the choice lasts until reload at most
  }
}

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    return ctx;
  } catch {
    return null;
  }
}

function tone(freq: number, startOffset: number, durationMs: number, type: OscillatorType = 'square'): void {
  if (isMuted()) return;
  const ac = audio();
  if (!ac) return;
  const t0 = ac.currentTime + startOffset;
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, t0);
  gain.gain.exponentialRampToValueAtTime(0.15, t0 + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, t0 + durationMs / 1000);
  osc.connect(gain).connect(ac.destination);
  osc.start(t0);
  osc.stop(t0 + durationMs / 1000 + 0.02);
}

function vibrate(pattern: number | number[]): void {
  if (isMuted()) return;
  try {
    navigator.vibrate?.(pattern);
  } catch {
    // not supported
  }
}

export function beepScan(): void {
  tone(1760, 0, 70);
  vibrate(30);
}

export function chimePaid(): void {
  tone(880, 0, 120, 'sine');
  tone(1320, 0.12, 220, 'sine');
  vibrate([40, 60, 120]);
}

export function buzzError(): void {
  tone(220, 0, 220, 'sawtooth');
  vibrate([60, 40, 60]);
}

/** Browsers only allow audio after a user gesture; call this from the first tap. */
export function unlockAudio(): void {
  audio();
}
