// Geometry checks for one screen: nothing wider than the viewport, and every key element (and every piece of
// text inside it) fully inside the viewport and inside each ancestor that clips it — no text cut by
// `overflow: hidden`, an ellipsis, or the edge of the screen — and nothing inside a key element reaching out of its content box.
import type { Page } from '@playwright/test';
import type { Key } from './screen-tour';

/** Problems on the page as a list of sentences; empty when the layout holds. */
export async function layoutProblems(page: Page, keys: Key[]): Promise<string[]> {
  const problems: string[] = [];
  // <body> is overflow: hidden on the kiosk, so a too-wide screen shows in its scrollWidth, not the root's.
  const overflow = await page.evaluate(() => ({
    scroll: Math.max(document.scrollingElement!.scrollWidth, document.body.scrollWidth),
    inner: window.innerWidth,
  }));
  if (overflow.scroll > overflow.inner) problems.push(`page is ${overflow.scroll}px wide in a ${overflow.inner}px viewport`);
  for (const key of keys) {
    const count = await key.el.count();
    if (count === 0) problems.push(`${key.el.toString()} is missing`);
    for (let i = 0; i < count; i++) {
      const el = key.el.nth(i);
      if (key.scroll) await el.scrollIntoViewIfNeeded();
      problems.push(...(await el.evaluate(clippedInside)).map((p) => `${key.el.toString()}${count > 1 ? ` #${i + 1}` : ''}: ${p}`));
    }
  }
  return problems;
}

/** Runs in the page: the element and its text-bearing descendants against the viewport and clipping ancestors. */
function clippedInside(root: Element): string[] {
  const out: string[] = [];
  const SLACK = 1;
  const label = (el: Element) => {
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}>${text ? ` "${text}"` : ''}`;
  };
  const hasOwnText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
  const check = (el: Element) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    if (el.closest('.visually-hidden')) return;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.left < -SLACK || r.top < -SLACK || r.right > innerWidth + SLACK || r.bottom > innerHeight + SLACK) {
      out.push(
        `${label(el)} at [${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}] leaves the ${innerWidth}×${innerHeight} viewport`,
      );
      return;
    }
    if (
      el !== root &&
      (r.left < box.left - SLACK || r.right > box.right + SLACK || r.top < box.top - SLACK || r.bottom > box.bottom + SLACK)
    ) {
      out.push(`${label(el)} sticks out of ${label(root).slice(0, 60)}`);
      return;
    }
    for (let a = el.parentElement; a && a !== document.documentElement && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      const clipX = s.overflowX !== 'visible' && (r.left < c.left - SLACK || r.right > c.right + SLACK);
      const clipY = s.overflowY !== 'visible' && (r.top < c.top - SLACK || r.bottom > c.bottom + SLACK);
      if (clipX || clipY) {
        out.push(`${label(el)} is cut by its container ${label(a).slice(0, 60)}`);
        return;
      }
    }
    const inline = style.display === 'inline' || style.display === 'contents';
    if (
      !inline &&
      hasOwnText(el) &&
      (el.scrollWidth > el.clientWidth + SLACK || (style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + SLACK))
    ) {
      out.push(`${label(el)} text is ${el.scrollWidth}×${el.scrollHeight} in a ${el.clientWidth}×${el.clientHeight} box`);
    }
  };
  // The root's content box: a child reaching into its padding already looks broken (a phone's panel edge).
  const outer = root.getBoundingClientRect();
  const rs = getComputedStyle(root);
  const px = (v: string) => parseFloat(v) || 0;
  const box = {
    left: outer.left + px(rs.borderLeftWidth) + px(rs.paddingLeft),
    right: outer.right - px(rs.borderRightWidth) - px(rs.paddingRight),
    top: outer.top + px(rs.borderTopWidth) + px(rs.paddingTop),
    bottom: outer.bottom - px(rs.borderBottomWidth) - px(rs.paddingBottom),
  };
  check(root);
  for (const el of root.querySelectorAll('*')) check(el);
  return out;
}
