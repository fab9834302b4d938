// Runs inside Chromium whose fake camera loops a 720p clip: blank frames, then one photographed code, then
// blank again (made by latency-run.ts). A probe watches the same camera on its own <video> and notes when the
// code first appears (the frame's capture time); each contender has its camera running and reading before
// that moment, so "appeared → decoded" leaves out opening the camera and loading the decoder.
import { prepareContender, type CameraContender } from './contenders';

export interface Appearance {
  /** Code on screen → the expected text decoded, or null when it was not read while the code was shown. */
  ms: number | null;
}

const video = document.getElementById('video') as HTMLVideoElement;
const probe = document.getElementById('probe') as HTMLVideoElement;
/** Capture times (performance.now() timebase) of the first frame of each appearance of the code. */
const appeared: number[] = [];
let clock: 'captureTime' | 'presentationTime' = 'captureTime';

async function startProbe(): Promise<void> {
  probe.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
  await probe.play();
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  ctx.canvas.width = 32;
  ctx.canvas.height = 18;
  let showing = false;
  const onFrame = (now: number, meta: VideoFrameCallbackMetadata) => {
    ctx.drawImage(probe, 0, 0, 32, 18);
    const px = ctx.getImageData(0, 0, 32, 18).data;
    let code = false;
    for (let i = 0; i < px.length; i += 4) if (px[i] < 235) code = true;
    if (code && !showing) {
      // The camera's own timestamp when Chromium gives one that makes sense, else when the frame was composed.
      const captured = meta.captureTime;
      const ok = captured !== undefined && captured <= now && captured > now - 500;
      if (!ok) clock = 'presentationTime';
      appeared.push(ok ? captured : meta.presentationTime);
    }
    showing = code;
    probe.requestVideoFrameCallback(onFrame);
  };
  probe.requestVideoFrameCallback(onFrame);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `times` appearances of the code, each at least `settleMs` after the contender started reading. */
async function run(contender: CameraContender, expected: string, times: number, showMs: number, settleMs: number): Promise<Appearance[]> {
  const start = await prepareContender(contender, video, 'html5qr');
  const hits: number[] = [];
  const stop = await start((text) => text === expected && hits.push(performance.now()));
  const out: Appearance[] = [];
  try {
    let after = performance.now() + settleMs;
    while (out.length < times) {
      let at: number | undefined;
      while ((at = appeared.find((t) => t >= after)) === undefined) await sleep(20);
      // Wait out the whole appearance: a read after the code left the screen does not count.
      while (performance.now() < at + showMs) await sleep(20);
      const hit = hits.find((t) => t >= at);
      out.push({ ms: hit !== undefined && hit <= at + showMs ? hit - at : null });
      after = at + showMs;
    }
  } finally {
    stop();
  }
  return out;
}

(window as unknown as { latencyBench: unknown }).latencyBench = { run, startProbe, clock: () => clock };
