// What the self-checkout catalogue shows: everything, or — once the catalogue is long enough that scrolling
// for an item is slow — the items whose name or SKU contains every word typed (any case, any accents).
import type { CatalogueItem } from '../../shared/api';

/** From this many items on, the customer gets a search field. */
export const SEARCH_FROM = 13;

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export function filterCatalogue(items: readonly CatalogueItem[], query: string): CatalogueItem[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const hay = fold(`${item.name} ${item.sku}`);
    return words.every((w) => hay.includes(w));
  });
}
