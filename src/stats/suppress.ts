// Small-count suppression for published tables (docs/statistics.md "Suppression"). Pure.
//
// Primary: every count under the threshold (zero included) is hidden, shown as `<T`.
// Complementary: a line that adds up to a shown total (a column of counts and its total; in a
// two-way table each row and each column with their totals) with exactly one hidden count would
// give that count away by subtraction, so the smallest other count of the line is hidden too (shown
// as `x`: it is not small itself, and saying "<T" would be false);
// repeated until no line has exactly one hidden count. This stops recovery by subtraction within
// a line; it does not claim to stop every inference across lines (see the docs).

/** The default suppression threshold: a count under 10 is shown as "<10". */
export const DEFAULT_THRESHOLD = 10;
/** Below this a threshold protects nobody: a count of 1 or 2 singles a person out. */
export const MIN_THRESHOLD = 3;

/** Cells that add up to a total: indices into the values. */
export interface Line {
  cells: number[];
  total: number;
}

/** Which values to hide: primary (under the threshold) then complementary (one hidden per line never stays alone). */
export function suppress(values: readonly number[], lines: readonly Line[], threshold: number): boolean[] {
  const hidden = values.map((v) => v < threshold);
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const members = [...line.cells, line.total];
      if (members.filter((i) => hidden[i]).length !== 1) continue;
      // The smallest shown count of the line (ties: the first) gives away the least.
      const next = line.cells.filter((i) => !hidden[i]).sort((a, b) => values[a]! - values[b]! || a - b)[0] ?? (hidden[line.total] ? undefined : line.total);
      // A line of no cells whose total is hidden gives nothing away (an empty table).
      if (next === undefined) continue;
      hidden[next] = true;
      changed = true;
    }
  }
  return hidden;
}

/** A count as published: the number; `<T` when under the threshold T; `x` when hidden only to protect another count. */
export type Shown = number | string;

/** The mark of a count hidden only so that a small one cannot be worked out (it is not small itself). */
export const COMPLEMENT_MARK = 'x';

const shown =
  (values: readonly number[], hidden: readonly boolean[], threshold: number) =>
  (i: number): Shown =>
    !hidden[i] ? values[i]! : values[i]! < threshold ? `<${threshold}` : COMPLEMENT_MARK;

/** A one-way table: categories and their total, suppressed. */
export function oneWay(
  counts: readonly { key: string; n: number }[],
  total: number,
  threshold: number,
): { rows: { label: string; value: Shown }[]; total: Shown } {
  const values = [...counts.map((c) => c.n), total];
  const show = shown(values, suppress(values, [{ cells: counts.map((_, i) => i), total: counts.length }], threshold), threshold);
  return { rows: counts.map((c, i) => ({ label: c.key, value: show(i) })), total: show(counts.length) };
}

/** A two-way table (rows × columns) with row, column and grand totals, suppressed. */
export function twoWay(
  rowKeys: readonly string[],
  colKeys: readonly string[],
  count: (row: string, col: string) => number,
  threshold: number,
): { rows: { label: string; values: Shown[] }[]; totals: Shown[] } {
  const R = rowKeys.length;
  const C = colKeys.length;
  // Layout: cell (r, c) at r*(C+1)+c; row total at r*(C+1)+C; column totals then the grand total after the rows.
  const at = (r: number, c: number): number => r * (C + 1) + c;
  const values: number[] = [];
  for (const row of rowKeys) {
    let sum = 0;
    for (const col of colKeys) {
      const n = count(row, col);
      values.push(n);
      sum += n;
    }
    values.push(sum);
  }
  for (let c = 0; c <= C; c++) values.push(rowKeys.reduce((n, _, r) => n + values[at(r, c)]!, 0));
  const colTotal = (c: number): number => R * (C + 1) + c;
  const lines: Line[] = [
    ...rowKeys.map((_, r) => ({ cells: colKeys.map((__, c) => at(r, c)), total: at(r, C) })),
    ...colKeys.map((_, c) => ({ cells: rowKeys.map((__, r) => at(r, c)), total: colTotal(c) })),
    { cells: rowKeys.map((_, r) => at(r, C)), total: colTotal(C) },
    { cells: colKeys.map((_, c) => colTotal(c)), total: colTotal(C) },
  ];
  const show = shown(values, suppress(values, lines, threshold), threshold);
  return {
    rows: rowKeys.map((label, r) => ({ label, values: colKeys.map((_, c) => show(at(r, c))).concat(show(at(r, C))) })),
    totals: [...colKeys.map((_, c) => show(colTotal(c))), show(colTotal(C))],
  };
}
