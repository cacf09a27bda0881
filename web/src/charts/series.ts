// Normalises the stats endpoints' series into one shape the charts and CSV downloads use.

/** One named line of points, periods as ISO-like strings. */
export interface Series {
  name: string;
  points: Array<{ period: string; value: number }>;
}

type Row = Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) || 0 : 0;
}

function firstString(r: Row, keys: string[]): string | undefined {
  for (const k of keys) if (typeof r[k] === 'string' || typeof r[k] === 'number') return String(r[k]);
  return undefined;
}

/** Accepts `{series:[{name,points|data}]}`, `[{name,points|data}]` or flat rows `[{period,key,count}]`. */
export function toSeries(raw: unknown): Series[] {
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) && Array.isArray((raw as Row).series) ? (raw as Row).series : raw;
  if (!Array.isArray(body)) return [];
  const rows = body.filter((x): x is Row => typeof x === 'object' && x !== null);
  if (rows.some((r) => Array.isArray(r.points) || Array.isArray(r.data))) {
    return rows.map((r) => {
      const pts = (Array.isArray(r.points) ? r.points : r.data) as unknown[];
      return {
        name: firstString(r, ['name', 'key', 'group']) ?? '—',
        points: pts.map((p) =>
          Array.isArray(p)
            ? { period: String(p[0]), value: num(p[1]) }
            : { period: firstString(p as Row, ['period', 'date', 'bucket', 't']) ?? '', value: num((p as Row).count ?? (p as Row).value ?? (p as Row).n) },
        ),
      };
    });
  }
  const by = new Map<string, Series>();
  for (const r of rows) {
    const name = firstString(r, ['key', 'group', 'name', 'esp', 'incidentType', 'tier']) ?? '—';
    const period = firstString(r, ['period', 'date', 'bucket', 't']) ?? '';
    const s = by.get(name) ?? { name, points: [] };
    s.points.push({ period, value: num(r.count ?? r.value ?? r.n) });
    by.set(name, s);
  }
  return [...by.values()];
}

/** All periods across series, sorted. */
export function periods(series: readonly Series[]): string[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
}

/** A wide table (period, one column per series) for CSV. */
export function wideRows(series: readonly Series[]): { header: string[]; rows: Array<Array<string | number>> } {
  const ps = periods(series);
  const idx = series.map((s) => new Map(s.points.map((p) => [p.period, p.value])));
  return { header: ['period', ...series.map((s) => s.name)], rows: ps.map((p) => [p, ...idx.map((m) => m.get(p) ?? 0)]) };
}

/** Totals per series name over every period. */
export function totals(series: readonly Series[]): Map<string, number> {
  return new Map(series.map((s) => [s.name, s.points.reduce((n, p) => n + p.value, 0)]));
}
