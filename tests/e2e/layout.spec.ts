// Every screen at the kiosk's usual sizes (issue 12, "a screen that never lies, at any size"): no sideways
// scrolling, and the key elements — amounts, the cart's lines, the pay buttons, titles — fully on screen and
// not cut by their containers, with the longest strings we have (the AED store). The wallet page and the
// e-receipt at a phone's 390×844. Languages: E2E_LANGS (default en,zh-CN,ar). English walks every size; the
// other languages walk the tightest landscape one (where Arabic's longer words first broke the Paid banner),
// and every size with E2E_LAYOUT=full — each walk is a whole tour, and npm test has a time budget.
import { expect, test } from '@playwright/test';
import { layoutProblems } from './layout-checks';
import { TOUR_SCREENS, tourAllScreens, tourLanguages } from './screen-tour';

const VIEWPORTS = [
  { name: 'landscape 1280×800', width: 1280, height: 800 },
  { name: 'landscape 1024×768', width: 1024, height: 768 },
  { name: 'portrait 768×1024', width: 768, height: 1024 },
];

const TIGHTEST = VIEWPORTS.filter((vp) => vp.width === 1024);

for (const lang of tourLanguages()) {
  for (const vp of lang === 'en' || process.env.E2E_LAYOUT === 'full' ? VIEWPORTS : TIGHTEST) {
    test(`[${lang}] every screen fits ${vp.name}; wallet and e-receipt fit 390×844`, async ({ browser }) => {
      test.setTimeout(180_000);
      const problems: string[] = [];
      const seen: string[] = [];
      await tourAllScreens({ browser, viewport: { width: vp.width, height: vp.height }, lang }, async ({ name, page, keys }) => {
        seen.push(name);
        // E2E_SHOTS=1: keep a screenshot of each screen (.test-tmp/shots) to look at the layouts by eye.
        if (process.env.E2E_SHOTS) await page.screenshot({ path: `.test-tmp/shots/${lang}-${vp.width}x${vp.height}-${name}.png` });
        for (const p of await layoutProblems(page, keys)) problems.push(`${name}: ${p}`);
      });
      expect(seen).toEqual(TOUR_SCREENS);
      expect(problems).toEqual([]);
    });
  }
}
