// Queue filters live in the URL (so a view can be bookmarked, shared, and linked from the map);
// saved views are named filter sets kept per browser.

/** The filter fields the queue endpoint accepts. */
export const FILTER_KEYS = [
  'tier',
  'incidentType',
  'esp',
  'province',
  'annotation',
  'viralBatch',
  'assigned',
  'status',
  'sort',
  'municipality',
  'trend',
  'from',
  'to',
] as const;

/** One filter field. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/** A set of filter values (absent = no filter). */
export type Filters = Partial<Record<FilterKey, string>>;

/** Reads filters from URL search params. */
export function filtersFromParams(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** Writes filters (and the page offset) into URL search params. */
export function paramsFromFilters(f: Filters, offset = 0): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v) p.set(k, v);
  }
  if (offset > 0) p.set('offset', String(offset));
  return p;
}

/** A named filter set. */
export interface SavedView {
  name: string;
  filters: Filters;
}

const KEY = 'bantay.queue.views';

/** Saved views of this browser. */
export function loadViews(storage: Pick<Storage, 'getItem'> = localStorage): SavedView[] {
  try {
    const raw = storage.getItem(KEY);
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? v.filter((x): x is SavedView => typeof x === 'object' && x !== null && typeof (x as SavedView).name === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds or replaces a view by name and stores the list. */
export function saveView(view: SavedView, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): SavedView[] {
  const views = loadViews(storage).filter((v) => v.name !== view.name);
  views.push(view);
  views.sort((a, b) => a.name.localeCompare(b.name));
  storage.setItem(KEY, JSON.stringify(views));
  return views;
}

/** Removes a view by name and stores the list. */
export function deleteView(name: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): SavedView[] {
  const views = loadViews(storage).filter((v) => v.name !== name);
  storage.setItem(KEY, JSON.stringify(views));
  return views;
}
