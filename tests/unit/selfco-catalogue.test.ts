import { describe, expect, it } from 'vitest';
import { filterCatalogue } from '../../src/lib/selfco/catalogue.ts';

const item = (sku: string, name: string) => ({ sku, name, price: { value: 100, currency: 'USD' } });
const items = [item('latte', 'Caffè Latte'), item('flat-white', 'Flat White'), item('croissant', 'Butter Croissant')];

describe('the self-checkout catalogue search', () => {
  it('matches every typed word in the name or SKU, ignoring case and accents', () => {
    expect(filterCatalogue(items, '').map((i) => i.sku)).toEqual(['latte', 'flat-white', 'croissant']);
    expect(filterCatalogue(items, 'caffe').map((i) => i.sku)).toEqual(['latte']);
    expect(filterCatalogue(items, 'WHITE flat').map((i) => i.sku)).toEqual(['flat-white']);
    expect(filterCatalogue(items, 'croissant butter').map((i) => i.sku)).toEqual(['croissant']);
    expect(filterCatalogue(items, 'latte white')).toEqual([]);
  });
});
