// What the catalogue shows: everything, or — once the catalogue is long enough that scrolling for an item is
// slow — the items whose name or SKU contains every word typed (any case, any accents), and, when the store
// groups its items, only the chosen category's.
import type { CatalogueItem } from '../../shared/api';

/** From this many items on, the customer gets a search field. */
export const SEARCH_FROM = 13;

/** Category chips show from this many categories on: one category is no choice at all. */
export const CATEGORIES_FROM = 2;

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** The store's categories in the order they first appear in its catalogue (the store's own order). */
export function categoriesOf(items: readonly CatalogueItem[]): string[] {
  return [...new Set(items.flatMap((item) => (item.category ? [item.category] : [])))];
}

/**
 * The chosen category while its chip is on screen (the catalogue still has it — a store switch may take it away —
 * and has at least CATEGORIES_FROM categories), else null: all. A filter without its chip would hide items.
 */
export function chosenCategory(items: readonly CatalogueItem[], category: string | null): string | null {
  if (category === null) return null;
  const categories = categoriesOf(items);
  return categories.length >= CATEGORIES_FROM && categories.includes(category) ? category : null;
}

/**
 * The items to show. A query searches within the chosen category, not across all: the pressed chip always
 * tells the truth about what is on screen, and "All" is one tap away when the item is elsewhere.
 * `category` null (or one the catalogue no longer has, e.g. after a store switch): every category.
 */
export function filterCatalogue(items: readonly CatalogueItem[], query: string, category: string | null = null): CatalogueItem[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const inCategory = chosenCategory(items, category);
  return items.filter((item) => {
    if (inCategory !== null && item.category !== inCategory) return false;
    const hay = fold(`${item.name} ${item.sku}`);
    return words.every((w) => hay.includes(w));
  });
}
