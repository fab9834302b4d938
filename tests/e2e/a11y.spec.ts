// Accessibility on every screen (issue 12): exactly one h1, and axe-core finds no critical or serious
// violation (contrast, names, labels, landmarks). Languages: E2E_LANGS (default en,zh-CN,ar).
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { TOUR_SCREENS, tourAllScreens, tourLanguages } from './screen-tour';

for (const lang of tourLanguages()) {
  test(`[${lang}] every screen has one h1 and no critical or serious axe violation`, async ({ browser }) => {
    test.setTimeout(180_000);
    const problems: string[] = [];
    const seen: string[] = [];
    await tourAllScreens({ browser, viewport: { width: 1280, height: 800 }, lang }, async ({ name, page }) => {
      seen.push(name);
      const h1s = await page.locator('h1').count();
      if (h1s !== 1) problems.push(`${name}: ${h1s} h1 elements`);
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((x) => x.impact === 'critical' || x.impact === 'serious')) {
        const where = v.nodes.map((n) => n.target.join(' ')).join(', ');
        problems.push(`${name}: ${v.impact} ${v.id} (${v.help}) at ${where}`);
      }
    });
    expect(seen).toEqual(TOUR_SCREENS);
    expect(problems).toEqual([]);
  });
}
