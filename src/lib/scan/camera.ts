// Camera access for scanning: rear camera at ~720p, a picker that avoids ultra-wide lenses (they blur
// a phone held close to the tablet), torch where the track offers it, and a release that really frees
// the device (a tablet whose camera stays on drains its battery and blocks the next screen's camera).

export interface CameraInfo {
  deviceId: string;
  label: string;
}

const AVOID = /ultra|wide/i;
const REAR = /back|rear|environment|facing back/i;

/**
 * The camera to use when the cashier has not picked one: a rear camera whose label does not name an
 * ultra-wide/wide lens. Labels are empty before permission is granted; then there is nothing to prefer.
 */
export function pickDefaultCamera(cams: readonly CameraInfo[]): CameraInfo | undefined {
  const ok = cams.filter((c) => !AVOID.test(c.label));
  return ok.find((c) => REAR.test(c.label)) ?? ok[0] ?? cams[0];
}

/**
 * After opening with facingMode 'environment' the browser may have handed us an ultra-wide lens; if a
 * better rear camera exists, its deviceId, else undefined (keep what we have).
 */
export function betterThan(current: CameraInfo, cams: readonly CameraInfo[]): string | undefined {
  if (!AVOID.test(current.label)) return undefined;
  const alt = cams.find((c) => c.deviceId !== current.deviceId && REAR.test(c.label) && !AVOID.test(c.label));
  return alt?.deviceId;
}

export async function listCameras(): Promise<CameraInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

function constraints(deviceId?: string): MediaStreamConstraints {
  const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
  return {
    audio: false,
    video: deviceId ? { deviceId: { exact: deviceId }, ...size } : { facingMode: { ideal: 'environment' }, ...size },
  };
}

export interface CameraSession {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly camera: CameraInfo;
  torchSupported(): boolean;
  setTorch(on: boolean): Promise<void>;
  /** Stops every track and detaches the video; safe to call twice. */
  stop(): void;
}

function session(video: HTMLVideoElement, stream: MediaStream): CameraSession {
  const track = stream.getVideoTracks()[0];
  const caps = (track.getCapabilities?.() ?? {}) as MediaTrackCapabilities & { torch?: boolean };
  const settings = track.getSettings();
  return {
    stream,
    track,
    camera: { deviceId: settings.deviceId ?? '', label: track.label },
    torchSupported: () => caps.torch === true,
    async setTorch(on: boolean) {
      if (caps.torch !== true) throw new Error('This camera has no torch');
      await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
    },
    stop() {
      for (const t of stream.getTracks()) t.stop();
      if (video.srcObject === stream) video.srcObject = null;
    },
  };
}

async function attach(video: HTMLVideoElement, stream: MediaStream): Promise<void> {
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('playsinline', '');
  await video.play();
}

/** Opens a camera into `video`. Without a deviceId: the rear camera, swapping away from an ultra-wide lens. */
export async function openCamera(video: HTMLVideoElement, opts: { deviceId?: string } = {}): Promise<CameraSession> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot open a camera (a secure origin is required).');
  let stream = await navigator.mediaDevices.getUserMedia(constraints(opts.deviceId));
  let s = session(video, stream);
  if (!opts.deviceId) {
    const swapTo = betterThan(s.camera, await listCameras().catch(() => []));
    if (swapTo) {
      s.stop();
      stream = await navigator.mediaDevices.getUserMedia(constraints(swapTo));
      s = session(video, stream);
    }
  }
  try {
    await attach(video, stream);
  } catch (err) {
    s.stop();
    throw err;
  }
  return s;
}
