import { describe, expect, it } from 'vitest';
import type { ReaderOptions } from 'zxing-wasm/reader';
import { FOLLOW_UP_PASSES, FramePasses, LIVE_OPTIONS, type PassResult } from '../../src/lib/scan/engines/frame-passes';

const hit = (text: string): PassResult => ({ isValid: true, text, format: 'QRCode' });
const located = (): PassResult => ({ isValid: false, text: '', format: 'QRCode' });

/** A reader that answers per settings object and records which settings each frame was read with. */
function recorder(answer: (o: ReaderOptions) => PassResult[]) {
  const calls: ReaderOptions[] = [];
  const read = async (_frame: number, o: ReaderOptions) => {
    calls.push(o);
    return answer(o);
  };
  return { calls, read };
}

describe('FramePasses', () => {
  it('reads with the live pass only when it finds a code', async () => {
    const r = recorder(() => [hit('A')]);
    const passes = new FramePasses(r.read);
    expect(await passes.decode(1)).toEqual([hit('A')]);
    expect(r.calls).toEqual([LIVE_OPTIONS]);
  });

  it('on frames the live pass cannot read, tries one follow-up per frame, in turn, and wraps around', async () => {
    const r = recorder(() => [located()]);
    const passes = new FramePasses(r.read);
    for (let f = 0; f < FOLLOW_UP_PASSES.length + 1; f++) expect(await passes.decode(f)).toEqual([]);
    const followUps = r.calls.filter((_, i) => i % 2 === 1);
    expect(r.calls.filter((_, i) => i % 2 === 0).every((o) => o === LIVE_OPTIONS)).toBe(true);
    expect(followUps).toEqual([...FOLLOW_UP_PASSES, FOLLOW_UP_PASSES[0]]);
  });

  it('returns what a follow-up reads, and never an invalid (located but unread) symbol', async () => {
    const rescuing = FOLLOW_UP_PASSES[1];
    const r = recorder((o) => (o === rescuing ? [located(), hit('B')] : [located()]));
    const passes = new FramePasses(r.read);
    expect(await passes.decode(0)).toEqual([]);
    expect(await passes.decode(1)).toEqual([hit('B')]);
  });

  it('fixed settings (benchmarks) read every frame with those settings alone', async () => {
    const fixed = { ...LIVE_OPTIONS, tryHarder: true };
    const r = recorder(() => []);
    const passes = new FramePasses(r.read, fixed);
    await passes.decode(0);
    await passes.decode(1);
    expect(r.calls).toEqual([fixed, fixed]);
  });
});
