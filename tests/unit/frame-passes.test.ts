import { describe, expect, it } from 'vitest';
import { cropPixels, regionAround, type Region } from '../../src/lib/scan/engines/frame-crop';
import { FramePasses, type Pass, type PassResult } from '../../src/lib/scan/engines/frame-passes';

const hit = (text: string): PassResult => ({ isValid: true, text, format: 'QRCode' });
const region: Region = { x: 10, y: 20, width: 100, height: 100 };
const located = (): PassResult => ({ isValid: false, text: '', format: 'QRCode', region });

/** A pass that answers with `answer` and records the region it was given for each frame. */
function pass(name: string, log: string[], answer: () => PassResult[] = () => []): Pass<number> {
  return async (frame, r) => {
    log.push(`${name}@${frame}${r ? ' crop' : ''}`);
    return answer();
  };
}

describe('FramePasses', () => {
  it('stops at the live pass when it reads a code', async () => {
    const log: string[] = [];
    const passes = new FramePasses({ live: pass('live', log, () => [hit('A')]), followUps: [pass('a', log)] });
    expect(await passes.decode(1)).toEqual([hit('A')]);
    expect(log).toEqual(['live@1']);
  });

  it('on frames with a located but unread symbol, runs one follow-up per frame on the crop, in turn', async () => {
    const log: string[] = [];
    const passes = new FramePasses({ live: pass('live', log, () => [located()]), followUps: [pass('a', log), pass('b', log)] });
    for (let f = 0; f < 3; f++) expect(await passes.decode(f)).toEqual([]);
    expect(log).toEqual(['live@0', 'a@0 crop', 'live@1', 'b@1 crop', 'live@2', 'a@2 crop']);
  });

  it('with nothing located, a follow-up runs on the full frame only every idleEvery-th frame', async () => {
    const log: string[] = [];
    const passes = new FramePasses({ live: pass('live', log), followUps: [pass('a', log)], idleEvery: 3 });
    for (let f = 1; f <= 6; f++) await passes.decode(f);
    expect(log.filter((l) => !l.startsWith('live'))).toEqual(['a@3', 'a@6']);
  });

  it('returns what a follow-up reads, never an invalid (located but unread) symbol', async () => {
    const log: string[] = [];
    const passes = new FramePasses({
      live: pass('live', log, () => [located()]),
      followUps: [pass('a', log, () => [located()]), pass('b', log, () => [located(), hit('B')])],
    });
    expect(await passes.decode(0)).toEqual([]);
    expect(await passes.decode(1)).toEqual([hit('B')]);
  });

  it('without follow-ups (fixed benchmark settings) every frame gets the live pass alone', async () => {
    const log: string[] = [];
    const passes = new FramePasses({ live: pass('live', log, () => [located()]), followUps: [] });
    await passes.decode(0);
    await passes.decode(1);
    expect(log).toEqual(['live@0', 'live@1']);
  });
});

describe('frame crop', () => {
  it('grows the box around the corners by the margin and clips it to the frame', () => {
    const corners = [
      { x: 100, y: 100 },
      { x: 300, y: 110 },
      { x: 290, y: 300 },
      { x: 95, y: 295 },
    ];
    // Largest side 205 px × 0.35 ≈ 72 px each side.
    expect(regionAround(corners, 1280, 720)).toEqual({ x: 23, y: 28, width: 349, height: 344 });
    expect(regionAround(corners, 320, 320)).toEqual({ x: 23, y: 28, width: 297, height: 292 });
  });

  it('copies exactly the pixels of the region', () => {
    const width = 4;
    const data = new Uint8ClampedArray(width * 3 * 4).map((_, i) => i);
    const crop = cropPixels({ data, width, height: 3 }, { x: 1, y: 1, width: 2, height: 2 });
    const px = (x: number, y: number) => Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
    expect(crop.width).toBe(2);
    expect(Array.from(crop.data)).toEqual([...px(1, 1), ...px(2, 1), ...px(1, 2), ...px(2, 2)]);
  });
});
