// The queue's keyboard map, kept apart from the page so it can be read (and tested) as a table.

/** What a key press asks the queue to do. */
export type QueueAction =
  'down' | 'up' | 'open' | 'next' | 'assign' | 'close' | 'select' | 'batch' | 'filter' | 'help' | 'first' | 'last' | 'pageNext' | 'pagePrev';

/** Keys and their actions, in the order the help lists them. */
export const QUEUE_KEYS: ReadonlyArray<{ keys: string[]; action: QueueAction }> = [
  { keys: ['j', 'ArrowDown'], action: 'down' },
  { keys: ['k', 'ArrowUp'], action: 'up' },
  { keys: ['Enter', 'o'], action: 'open' },
  { keys: ['n'], action: 'next' },
  { keys: ['a'], action: 'assign' },
  { keys: ['c'], action: 'close' },
  { keys: ['x'], action: 'select' },
  { keys: ['b'], action: 'batch' },
  { keys: ['/'], action: 'filter' },
  { keys: ['g'], action: 'first' },
  { keys: ['G'], action: 'last' },
  { keys: [']'], action: 'pageNext' },
  { keys: ['['], action: 'pagePrev' },
  { keys: ['?'], action: 'help' },
];

/** The action for a key, or undefined; keys with Ctrl/Alt/Meta never map (they belong to the browser). */
export function actionForKey(key: string, mods: { ctrl?: boolean; alt?: boolean; meta?: boolean } = {}): QueueAction | undefined {
  if (mods.ctrl || mods.alt || mods.meta) return undefined;
  return QUEUE_KEYS.find((k) => k.keys.includes(key))?.action;
}

/** The cursor after moving by `delta` in a list of `length`, clamped to the list. */
export function moveCursor(cursor: number, delta: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, cursor + delta));
}
