import { describe, expect, it } from 'vitest';
import { betterThan, pickDefaultCamera } from '../../src/lib/scan/camera.ts';
import { Deduper } from '../../src/lib/scan/dedupe.ts';
import { asciiDigit, keyChar } from '../../src/lib/scan/keys.ts';

const cams = (...labels: string[]) => labels.map((label, i) => ({ deviceId: `id${i}`, label }));

describe('default camera', () => {
  it('prefers a rear camera that is not ultra-wide', () => {
    expect(pickDefaultCamera(cams('Front Camera', 'Back Ultra Wide Camera', 'Back Camera'))?.deviceId).toBe('id2');
    expect(pickDefaultCamera(cams('camera2 1, facing front', 'camera2 2, facing back wide', 'camera2 0, facing back'))?.deviceId).toBe(
      'id2',
    );
  });

  it('falls back to any camera when labels say nothing (before permission)', () => {
    expect(pickDefaultCamera(cams('', ''))?.deviceId).toBe('id0');
    expect(pickDefaultCamera([])).toBeUndefined();
  });

  it('swaps away from an ultra-wide lens only when a plain rear camera exists', () => {
    const list = cams('Front Camera', 'Back Ultra Wide Camera', 'Back Camera');
    expect(betterThan(list[1], list)).toBe('id2');
    expect(betterThan(list[2], list)).toBeUndefined();
    expect(betterThan(list[1], cams('Front Camera', 'Back Ultra Wide Camera'))).toBeUndefined();
  });
});

describe('Deduper', () => {
  it('reports a code once while it stays in view, again after it has been gone for the window', () => {
    const d = new Deduper(1500);
    expect(d.accept('A', 0)).toBe(true);
    expect(d.accept('A', 100)).toBe(false);
    expect(d.accept('A', 1500)).toBe(false); // still in view: the window restarts at each sighting
    expect(d.accept('B', 1500)).toBe(true);
    expect(d.accept('A', 3100)).toBe(true);
  });
});

describe('key normalisation', () => {
  it('maps non-ASCII digits and leaves other characters alone', () => {
    expect([...'٠١٢٣٤٥٦٧٨٩'].map(asciiDigit).join('')).toBe('0123456789');
    expect([...'０９۰۹०९'].map(asciiDigit).join('')).toBe('090909');
    expect(asciiDigit('é')).toBe('é');
  });

  it('uses the physical key only for damaged digits', () => {
    expect(keyChar({ key: 'é', code: 'Digit2' })).toBe('2');
    expect(keyChar({ key: '!', code: 'Digit1', shiftKey: true })).toBe('!');
    expect(keyChar({ key: 'End', code: 'Numpad1' })).toBe('1');
    expect(keyChar({ key: 'a', code: 'KeyA' })).toBe('a');
    expect(keyChar({ key: 'ArrowLeft', code: 'ArrowLeft' })).toBeNull();
  });
});
