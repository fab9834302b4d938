import { describe, expect, it } from 'vitest';
import { categoriesOf, chosenCategory, filterCatalogue } from '../../src/lib/selfco/catalogue.ts';

const item = (sku: string, name: string, category?: string) => ({
  sku,
  name,
  price: { value: 100, currency: 'USD' },
  ...(category ? { category } : {}),
});
const items = [item('latte', 'Caffè Latte'), item('flat-white', 'Flat White'), item('croissant', 'Butter Croissant')];
const skus = (list: { sku: string }[]) => list.map((i) => i.sku);

describe('the self-checkout catalogue search', () => {
  it('matches every typed word in the name or SKU, ignoring case and accents', () => {
    expect(filterCatalogue(items, '').map((i) => i.sku)).toEqual(['latte', 'flat-white', 'croissant']);
    expect(filterCatalogue(items, 'caffe').map((i) => i.sku)).toEqual(['latte']);
    expect(filterCatalogue(items, 'WHITE flat').map((i) => i.sku)).toEqual(['flat-white']);
    expect(filterCatalogue(items, 'croissant butter').map((i) => i.sku)).toEqual(['croissant']);
    expect(filterCatalogue(items, 'latte white')).toEqual([]);
  });
});

describe('catalogue categories', () => {
  const grouped = [
    item('latte', 'Caffè Latte', 'Coffee'),
    item('croissant', 'Butter Croissant', 'Bakery'),
    item('espresso', 'Espresso', 'Coffee'),
    item('almond', 'Almond Croissant', 'Bakery'),
    item('gift-card', 'Gift Card'),
    item('beans', 'House Beans', 'Beans'),
  ];

  it('lists each category once, in the order it first appears, leaving out items without one', () => {
    expect(categoriesOf(grouped)).toEqual(['Coffee', 'Bakery', 'Beans']);
    expect(categoriesOf(items)).toEqual([]);
  });

  it('shows only the chosen category, and everything (uncategorised items too) for All', () => {
    expect(skus(filterCatalogue(grouped, '', 'Bakery'))).toEqual(['croissant', 'almond']);
    expect(skus(filterCatalogue(grouped, '', 'Coffee'))).toEqual(['latte', 'espresso']);
    expect(skus(filterCatalogue(grouped, '', null))).toEqual(['latte', 'croissant', 'espresso', 'almond', 'gift-card', 'beans']);
  });

  it('searches within the chosen category, across all for All', () => {
    expect(skus(filterCatalogue(grouped, 'croissant', 'Bakery'))).toEqual(['croissant', 'almond']);
    expect(skus(filterCatalogue(grouped, 'almond', 'Bakery'))).toEqual(['almond']);
    expect(filterCatalogue(grouped, 'croissant', 'Coffee')).toEqual([]);
    expect(skus(filterCatalogue(grouped, 'latte', null))).toEqual(['latte']);
  });

  it('forgets a category the catalogue no longer has, or one whose chip is not shown (a single category)', () => {
    expect(chosenCategory(grouped, 'Tea')).toBeNull();
    expect(skus(filterCatalogue(grouped, '', 'Tea'))).toHaveLength(grouped.length);
    const oneCategory = [item('latte', 'Caffè Latte', 'Coffee'), item('gift-card', 'Gift Card')];
    expect(chosenCategory(oneCategory, 'Coffee')).toBeNull();
    expect(skus(filterCatalogue(oneCategory, '', 'Coffee'))).toEqual(['latte', 'gift-card']);
    expect(chosenCategory(grouped, 'Beans')).toBe('Beans');
  });
});
