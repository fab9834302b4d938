// attachWedge on a real EventTarget with KeyboardEvent-shaped events; the focused field is a minimal
// text input that behaves like the browser's (typing replaces the selection, setRangeText, input events).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachWedge } from '../../src/lib/scan/wedge.ts';
import type { ScanResult, WedgeBurst } from '../../src/lib/scan/types.ts';

class TextInput extends EventTarget {
  tagName = 'INPUT';
  type = 'text';
  isConnected = true;
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  inputEvents = 0;
  constructor() {
    super();
    this.addEventListener('input', () => this.inputEvents++);
  }
  setSelectionRange(s: number, e: number) {
    this.selectionStart = s;
    this.selectionEnd = e;
  }
  setRangeText(text: string, s: number, e: number, mode: 'end') {
    expect(mode).toBe('end');
    this.value = this.value.slice(0, s) + text + this.value.slice(e);
    this.setSelectionRange(s + text.length, s + text.length);
  }
  /** What the browser does for a keydown nobody prevented. */
  typeDefault(ch: string) {
    this.setRangeText(ch, this.selectionStart, this.selectionEnd, 'end');
    this.dispatchEvent(new Event('input'));
  }
}

let clock = 0;
let doc: EventTarget & { activeElement: unknown };
let detach: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 10_000;
  doc = Object.assign(new EventTarget(), { activeElement: null });
});
afterEach(() => {
  detach?.();
  vi.useRealTimers();
});

/** Moves the fake clock and the fake timers together, 1 ms at a time. */
function advance(ms: number) {
  for (let i = 0; i < ms; i++) {
    clock += 1;
    vi.advanceTimersByTime(1);
  }
}

/** Delivers a key event that happened at `timeStamp` (earlier than now when the page was busy). */
function deliver(type: 'keydown' | 'keyup', key: string, timeStamp: number, extra: Record<string, unknown> = {}): boolean {
  const ev = new Event(type, { cancelable: true, bubbles: true });
  Object.defineProperty(ev, 'timeStamp', { value: timeStamp });
  Object.assign(ev, {
    key,
    code: '',
    shiftKey: false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    repeat: false,
    isComposing: false,
    ...extra,
  });
  doc.dispatchEvent(ev);
  const field = doc.activeElement;
  if (type === 'keydown' && !ev.defaultPrevented && field instanceof TextInput && [...key].length === 1) field.typeDefault(key);
  return ev.defaultPrevented;
}

function press(key: string, gapMs: number, extra: Record<string, unknown> = {}): boolean {
  advance(gapMs);
  return deliver('keydown', key, clock, extra);
}

/** The main thread is blocked for `ms`: time passes, then the timers that came due run — before any input
 *  that queued up meanwhile, which the caller delivers afterwards with the times the keys really happened. */
function stall(ms: number) {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

function attach() {
  const bursts: WedgeBurst[] = [];
  const scans: ScanResult[] = [];
  detach = attachWedge(doc as unknown as Document, { onBurst: (b) => bursts.push(b), onScan: (s) => scans.push(s), now: () => clock });
  return { bursts, scans };
}

describe('attachWedge', () => {
  it('reads a scan with nothing focused, prevents its keys and reports a wedge ScanResult', () => {
    const { bursts, scans } = attach();
    const prevented = [...'281111222233330001'].map((c, i) => press(c, i ? 15 : 0));
    expect(press('Enter', 15)).toBe(true);
    expect(prevented.slice(2).every(Boolean)).toBe(true);
    expect(bursts).toHaveLength(1);
    expect(scans).toEqual([{ text: '281111222233330001', format: 'Keyboard', engine: 'wedge', decodeMs: 17 * 15, at: expect.any(Number) }]);
  });

  it('finishes a terminator-less scan on the timer', () => {
    const { scans } = attach();
    for (const c of '130000111122223333') press(c, 12);
    expect(scans).toEqual([]);
    advance(99);
    expect(scans).toEqual([]);
    advance(2);
    expect(scans.map((s) => s.text)).toEqual(['130000111122223333']);
  });

  it('keeps a scan out of a focused field, including the first keys that got through', () => {
    const field = new TextInput();
    field.value = 'note: ';
    field.setSelectionRange(6, 6);
    doc.activeElement = field;
    const { scans } = attach();
    for (const c of '281234123412340001') press(c, 15);
    press('Enter', 15);
    expect(scans.map((s) => s.text)).toEqual(['281234123412340001']);
    expect(field.value).toBe('note: ');
    expect(field.selectionStart).toBe(6);
    expect(field.inputEvents).toBeGreaterThan(0); // bound frameworks saw the correction
  });

  it('leaves slow manual entry in a field alone', () => {
    const field = new TextInput();
    doc.activeElement = field;
    const { scans } = attach();
    const prevented = [...'130000111122223333'].map((c) => press(c, 160));
    press('Enter', 160);
    expect(prevented.some(Boolean)).toBe(false);
    expect(field.value).toBe('130000111122223333');
    expect(scans).toEqual([]);
  });

  it('gives fast-but-short typing back to the field where the caret was', () => {
    const field = new TextInput();
    field.value = 'ab';
    field.setSelectionRange(1, 1);
    doc.activeElement = field;
    const { scans } = attach();
    for (const c of 'xyz') press(c, 20);
    advance(200);
    expect(scans).toEqual([]);
    expect(field.value).toBe('axyzb');
    expect(field.selectionStart).toBe(4);
  });

  describe('on a busy main thread', () => {
    const code = '280405214596318266';

    it('a scanner whose keys queued behind a stall is one scan, even when the burst timer runs first', () => {
      const { scans } = attach();
      for (const c of code.slice(0, 8)) press(c, 15);
      const blockedAt = clock;
      stall(500);
      // The scanner kept typing every 15 ms; its keys carry those times but reach the page only now.
      [...code.slice(8), 'Enter'].forEach((c, i) => deliver('keydown', c, blockedAt + 15 * (i + 1)));
      expect(scans.map((s) => s.text)).toEqual([code]);
    });

    it('a keyboard that waits for the page before its next key (remote control, test driver) is not split', () => {
      const { scans } = attach();
      for (const c of code.slice(0, 8)) press(c, 15);
      const upAt = clock + 5;
      stall(500);
      deliver('keyup', '1', upAt);
      // Its next key is made only once the page took the last one, so its time really is after the stall.
      for (const c of code.slice(8)) press(c, 15);
      press('Enter', 15);
      expect(scans.map((s) => s.text)).toEqual([code]);
    });

    it('a stall that ended before the burst timer is still seen, from a key handled late', () => {
      const { scans } = attach();
      for (const c of code.slice(0, 8)) press(c, 15);
      const upAt = clock + 5;
      stall(80); // ends before the burst timer is due, so the timer itself will run on time
      deliver('keyup', '1', upAt);
      advance(80); // the keyboard is slow to send its next key: the page has been idle past the usual timeout
      for (const c of code.slice(8)) press(c, 15);
      press('Enter', 15);
      expect(scans.map((s) => s.text)).toEqual([code]);
    });

    it('keys handed over one at a time, each late, with the page idle in between, are one scan', () => {
      // A loaded machine: the browser hands the page each key only once the page acknowledged the last one,
      // and each hand-over takes longer than the burst timeout. The page itself is idle, so its timers run on
      // time; only the keys' own times (15 ms apart, long past) say the scanner never paused.
      const { scans } = attach();
      const typedFrom = clock - 400;
      [...code, 'Enter'].forEach((c, i) => {
        advance(i === 0 ? 0 : 130 + (i % 3) * 20);
        deliver('keydown', c, typedFrom + 15 * i);
        advance(5);
        deliver('keyup', c, typedFrom + 15 * i + 5);
      });
      expect(scans.map((s) => s.text)).toEqual([code]);
    });

    it('a terminator-less scan handed over late still ends, once no key came for as long again as they were late', () => {
      const { scans } = attach();
      const typedFrom = clock - 300;
      [...code].forEach((c, i) => {
        advance(i === 0 ? 0 : 120);
        deliver('keydown', c, typedFrom + 15 * i);
      });
      // The last key came 300 + 17 × 105 ms after it happened: waiting is capped at 1 s, plus the timeout.
      advance(1099);
      expect(scans).toEqual([]);
      advance(2);
      expect(scans.map((s) => s.text)).toEqual([code]);
    });

    it('a terminator-less scan still ends one timeout after the stall, and stalls cannot hold it open forever', () => {
      const { scans } = attach();
      for (const c of '130000111122223333') press(c, 12);
      stall(500);
      expect(scans).toEqual([]);
      advance(99);
      expect(scans).toEqual([]);
      advance(2);
      expect(scans.map((s) => s.text)).toEqual(['130000111122223333']);

      for (const c of '130000111122224444') press(c, 12);
      for (let i = 0; i < 8; i++) stall(400);
      expect(scans.map((s) => s.text)).toEqual(['130000111122223333', '130000111122224444']);
    });

    it('two terminator-less scans queued behind one stall stay two scans', () => {
      const { scans } = attach();
      for (const c of '130000111122223333') press(c, 12);
      const lastKeyAt = clock;
      stall(400);
      [...'130000111122224444'].forEach((c, i) => deliver('keydown', c, lastKeyAt + 150 + 12 * i));
      advance(101);
      expect(scans.map((s) => s.text)).toEqual(['130000111122223333', '130000111122224444']);
    });

    it('a person typing through stalls is still left alone', () => {
      const field = new TextInput();
      doc.activeElement = field;
      const { scans } = attach();
      const prevented: boolean[] = [];
      for (const c of 'order 1234') {
        prevented.push(press(c, 160));
        stall(120);
      }
      press('Enter', 160);
      expect(prevented.some(Boolean)).toBe(false);
      expect(field.value).toBe('order 1234');
      expect(scans).toEqual([]);
    });
  });

  it('stops listening after detach', () => {
    const { scans } = attach();
    detach!();
    detach = undefined;
    const prevented = [...'281111222233330001'].map((c) => press(c, 10));
    press('Enter', 10);
    expect(prevented.some(Boolean)).toBe(false);
    expect(scans).toEqual([]);
  });
});
