import { describe, expect, it } from 'vitest';
import { WedgeDetector, median, type WedgeKey } from '../../src/lib/scan/wedge.ts';
import type { WedgeBurst } from '../../src/lib/scan/types.ts';

function setup(opts: ConstructorParameters<typeof WedgeDetector>[1] = {}) {
  const bursts: WedgeBurst[] = [];
  const gaveBack: string[] = [];
  const events: string[] = [];
  const d = new WedgeDetector(
    {
      burst: (b) => bursts.push(b),
      giveBack: (t) => gaveBack.push(t),
      intercept: () => events.push('intercept'),
      takeBack: () => events.push('takeBack'),
    },
    opts,
  );
  let t = 1000;
  /** Types keys with fixed or per-key gaps; returns which were prevented. */
  const type = (keys: (string | WedgeKey)[], gap: number | number[]) => {
    const prevented: boolean[] = [];
    keys.forEach((k, i) => {
      if (i > 0 || t > 1000) t += Array.isArray(gap) ? (gap[i] ?? gap[gap.length - 1]) : gap;
      prevented.push(d.key(typeof k === 'string' ? { key: k } : k, t).prevent);
    });
    return prevented;
  };
  const wait = (ms: number) => {
    t += ms;
    d.idle(t);
  };
  return { d, bursts, gaveBack, events, type, wait, now: () => t };
}

const chars = (s: string) => [...s];

describe('WedgeDetector timing', () => {
  it('accepts a 15 ms/char burst ended by Enter and swallows it from the third key on', () => {
    const { bursts, type } = setup();
    const prevented = type([...chars('281234567890120001'), 'Enter'], 15);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ text: '281234567890120001', terminator: 'Enter', durationMs: 17 * 15 });
    expect(bursts[0].intervalsMs).toHaveLength(17);
    expect(bursts[0].intervalsMs.every((x) => x === 15)).toBe(true);
    expect(prevented.slice(0, 2)).toEqual([false, false]);
    expect(prevented.slice(2).every(Boolean)).toBe(true);
  });

  it('ignores a person typing at 150 ms/char and never prevents their keys', () => {
    const { bursts, gaveBack, type } = setup();
    const prevented = type([...chars('281234567890120001'), 'Enter'], 150);
    expect(bursts).toEqual([]);
    expect(gaveBack).toEqual([]);
    expect(prevented.some(Boolean)).toBe(false);
  });

  it('accepts Tab as a terminator', () => {
    const { bursts, type } = setup();
    const prevented = type([...chars('130000000000000002'), 'Tab'], 20);
    expect(bursts.map((b) => [b.text, b.terminator])).toEqual([['130000000000000002', 'Tab']]);
    expect(prevented.at(-1)).toBe(true);
  });

  it('ends a burst without terminator after the timeout, not before', () => {
    const { bursts, type, wait } = setup({ timeoutMs: 100 });
    type(chars('12345678'), 12);
    wait(99);
    expect(bursts).toEqual([]);
    wait(1);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ text: '12345678', terminator: 'timeout' });
  });

  it('a key after a long pause starts a new buffer (the old one ends by timeout)', () => {
    const { bursts, type } = setup();
    type(chars('11111111'), 10);
    type(chars('2'), 500);
    expect(bursts.map((b) => b.text)).toEqual(['11111111']);
  });

  it("silence while the page could not take keys does not end a burst; the timeout counts from the stall's end", () => {
    const { d, bursts, type, now } = setup({ timeoutMs: 100 });
    type(chars('28040521'), 15);
    const last = now();
    d.deaf(last + 400);
    expect(d.deadline()).toBe(last + 500);
    d.idle(last + 450);
    expect(bursts).toEqual([]);
    // Keys typed during the stall (queued) and after it join the burst.
    d.key({ key: '4' }, last + 15);
    d.key({ key: '5' }, last + 470);
    d.key({ key: 'Enter' }, last + 485);
    expect(bursts.map((b) => b.text)).toEqual(['2804052145']);
  });

  it('a key queued during a stall after real silence still starts a new buffer', () => {
    const { d, bursts, type, now } = setup({ timeoutMs: 100 });
    type(chars('11111111'), 10);
    const last = now();
    d.deaf(last + 400);
    d.key({ key: '2' }, last + 150);
    expect(bursts.map((b) => [b.text, b.terminator])).toEqual([['11111111', 'timeout']]);
  });

  it('stalls hold a burst open at most 2 s after its last key', () => {
    const { d, bursts, type, now } = setup({ timeoutMs: 100 });
    type(chars('12345678'), 12);
    const last = now();
    d.deaf(last + 60_000);
    expect(d.deadline()).toBe(last + 2_100);
    d.idle(last + 2_100);
    expect(bursts.map((b) => b.text)).toEqual(['12345678']);
  });

  it('strips the configured prefix and applies minLength after it', () => {
    const a = setup({ prefix: '~', minLength: 6 });
    a.type([...chars('~ABC123'), 'Enter'], 15);
    expect(a.bursts.map((b) => b.text)).toEqual(['ABC123']);
    const b = setup({ prefix: '~', minLength: 6 });
    b.type([...chars('~AB12'), 'Enter'], 15);
    expect(b.bursts).toEqual([]);
    expect(b.gaveBack).toEqual(['~AB12']);
  });

  it('rejects bursts shorter than minLength and gives swallowed keys back', () => {
    const { bursts, gaveBack, type } = setup({ minLength: 6 });
    const prevented = type([...chars('abcd'), 'Enter'], 10);
    expect(bursts).toEqual([]);
    expect(gaveBack).toEqual(['abcd']);
    expect(prevented.at(-1)).toBe(false); // the Enter belongs to the page again
  });

  it('maps Arabic-Indic, Persian and full-width digits to ASCII', () => {
    const { bursts, type } = setup();
    type([...chars('٢٨٠١٢٣۴۵۶٧٨٩０１２３４５'), 'Enter'], 15);
    expect(bursts.map((b) => b.text)).toEqual(['280123456789012345']);
  });

  it('repairs an AZERTY digit row (unshifted Digit keys) from event.code', () => {
    const { bursts, type } = setup();
    const azerty: WedgeKey[] = [...'&é"\'(-è_çà'].map((key, i) => ({ key, code: `Digit${(i + 1) % 10}` }));
    type([...azerty, { key: 'Enter' }], 15);
    expect(bursts.map((b) => b.text)).toEqual(['1234567890']);
  });

  it('ignores modifier keys (Shift for capitals) in text and timing', () => {
    const { bursts, type } = setup();
    const keys: WedgeKey[] = [];
    for (const c of 'PB20007900T4') {
      if (/[A-Z]/.test(c)) keys.push({ key: 'Shift', shiftKey: true });
      keys.push({ key: c, shiftKey: /[A-Z]/.test(c) });
    }
    type([...keys, { key: 'Enter' }], 8);
    expect(bursts.map((b) => b.text)).toEqual(['PB20007900T4']);
    expect(bursts[0].intervalsMs).toHaveLength(11);
  });

  it('does not treat key auto-repeat (a held key) as a scanner', () => {
    const { bursts, type } = setup();
    const held = Array.from({ length: 10 }, (_, i) => ({ key: '0', repeat: i > 0 }));
    const prevented = type([...held, { key: 'Enter' }], 30);
    expect(bursts).toEqual([]);
    expect(prevented.some(Boolean)).toBe(false);
  });

  it('a shortcut (Ctrl+V) is never a scan', () => {
    const { bursts, type } = setup();
    type([...chars('123'), { key: 'v', ctrlKey: true }, ...chars('456'), 'Enter'], 10);
    expect(bursts).toEqual([]);
  });

  it('human typing then a scanner: only the scanner burst is taken, the person is untouched', () => {
    const { bursts, gaveBack, type, wait } = setup();
    const human = type(chars('hello world'), [0, 140, 190, 120, 230, 160, 310, 150, 170, 140, 200]);
    wait(400);
    const scan = type([...chars('130987654321000001'), 'Enter'], 18);
    expect(human.some(Boolean)).toBe(false);
    expect(gaveBack).toEqual([]);
    expect(bursts.map((b) => b.text)).toEqual(['130987654321000001']);
    expect(scan.slice(2).every(Boolean)).toBe(true);
  });

  it('a fast key roll-over inside slow typing is not swallowed', () => {
    const { bursts, type } = setup();
    const prevented = type(chars('thesis'), [0, 25, 180, 160, 30, 200]);
    expect(prevented.some(Boolean)).toBe(false);
    expect(bursts).toEqual([]);
  });

  it('accepts a steady slow scanner (70 ms/char) but not irregular typing with the same median', () => {
    const slow = setup();
    slow.type([...chars('1234567890'), 'Enter'], 70);
    expect(slow.bursts).toHaveLength(1);
    expect(slow.events).toContain('takeBack'); // its first keys reached the page before timing could tell
    const human = setup();
    human.type([...chars('1234567890'), 'Enter'], [0, 30, 120, 70, 140, 35, 70, 110, 40, 70]);
    expect(median([30, 120, 70, 140, 35, 70, 110, 40, 70])).toBe(70);
    expect(human.bursts).toEqual([]);
  });

  it('adapts its threshold to the scanner it has seen', () => {
    const { d, bursts, type, wait } = setup();
    expect(d.thresholdMs()).toBe(50);
    type([...chars('1234567890'), 'Enter'], 45);
    wait(1000);
    type([...chars('1234567890'), 'Enter'], 45);
    expect(bursts).toHaveLength(2);
    expect(d.thresholdMs()).toBeGreaterThan(60);
    expect(d.thresholdMs()).toBeLessThanOrEqual(90);
  });
});
