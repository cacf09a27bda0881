import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import type { QueueItem, QueuePage, Reason } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading, Pager, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { provinceName, PROVINCES } from '../map/provinces.ts';
import { deleteView, filtersFromParams, loadViews, paramsFromFilters, saveView, type FilterKey, type Filters, type SavedView } from '../queue/filters.ts';
import { actionForKey, moveCursor, QUEUE_KEYS } from '../queue/keys.ts';
import { CAREFUL_TIERS, CloseDialog } from '../components/CloseDialog.tsx';
import { useWorkActions, WorkMessages } from '../work/actions.tsx';

/** Where the compact mode is remembered (per browser). */
const COMPACT_KEY = 'bantay.queue.compact';

/** The highest careful tier among some queue rows (IMMEDIATE before HIGH), if any. */
function carefulTier(rows: ReadonlyArray<{ tier: string | null }>): string | undefined {
  return CAREFUL_TIERS.find((t) => rows.some((r) => r.tier === t));
}
import { evidenceText, ruleText } from '../rules/texts.ts';
import { Deadline } from '../components/Deadline.tsx';

const LIMIT = 50;
/** Tier names of the default ruleset (docs/triage.md), highest first. */
const TIERS = ['IMMEDIATE', 'HIGH', 'STANDARD', 'LOW', 'NOISE', 'PAUSED'];
const STATUSES = ['new', 'in_review', 'escalated', 'referred', 'closed'];

/** The viral batch a queue row belongs to (its key), if any. */
export function batchKey(item: QueueItem | undefined): string | undefined {
  return item?.viralBatch ?? undefined;
}

/** A batch key short enough for a chip: the hash type and the first 10 characters of the value. */
export function shortBatch(key: string): string {
  const i = key.indexOf(':');
  const value = key.slice(i + 1);
  return `${key.slice(0, i + 1)}${value.length > 12 ? `${value.slice(0, 10)}…` : value}`;
}

/** A province filter in words: one name, or the first name and how many more codes (a map unit with its cities). */
function provinceLabel(v: string): string {
  const codes = v.split(',');
  return codes.length === 1 ? provinceName(v) : `${provinceName(codes[0])} + ${codes.length - 1}`;
}

let optionCache: Promise<{ esp: string[]; incidentType: string[] }> | undefined;

/** ESP names and incident types present in the database, asked once per page load (the volume figures carry them). */
function filterOptions(): Promise<{ esp: string[]; incidentType: string[] }> {
  const keys = async (by: string): Promise<string[]> => {
    const rows = await get<Array<{ key: string }>>('/stats/volume', { by, interval: 'month' });
    return [...new Set(rows.map((r) => r.key))].filter((k) => k && k !== 'unknown').sort();
  };
  optionCache ??= Promise.all([keys('esp'), keys('incidentType')]).then(
    ([esp, incidentType]) => ({ esp, incidentType }),
    () => {
      optionCache = undefined;
      return { esp: [], incidentType: [] };
    },
  );
  return optionCache;
}

/** The reasons that moved a report most, largest effect first. */
export function topReasons(reasons: readonly Reason[], n = 3): Reason[] {
  const size = (r: Reason): number => Math.abs(typeof r.effect === 'number' ? r.effect : Number.parseFloat(r.effect) || 0);
  return [...reasons].sort((a, b) => size(b) - size(a)).slice(0, n);
}

function ReasonText({ r }: { r: Reason }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className="reason" title={evidenceText(t, r.evidence)}>
      {ruleText(t, r)}
    </span>
  );
}

/** The ranked queue: filters, saved views, keyboard work, bulk close of viral batches. */
export default function Queue(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const key = JSON.stringify(filters) + offset;
  const page = useApi(() => get<QueuePage>('/queue', { ...filters, limit: LIMIT, offset }), [key]);
  const work = useWorkActions(page.reload);
  const { setMessage, setFailure, setCanUndo, act } = work;
  const items = page.data?.items ?? [];
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // `careful`: the tier the server named when it asked for the careful confirmation (CONFIRM_REQUIRED).
  const [dialog, setDialog] = useState<
    | { kind: 'one'; id: string; tier: string | null; careful?: string }
    | { kind: 'batch'; batch: string; total: number; ids: string[] }
    | { kind: 'selection'; ids: string[]; careful?: string }
    | undefined
  >();
  const [help, setHelp] = useState(false);
  const [compact, setCompact] = useState(() => localStorage.getItem(COMPACT_KEY) === '1');
  useEffect(() => {
    localStorage.setItem(COMPACT_KEY, compact ? '1' : '0');
  }, [compact]);
  const mine = filters.assigned === 'me';
  const [views, setViews] = useState<SavedView[]>(() => loadViews());
  const [known, setKnown] = useState<{ esp: string[]; incidentType: string[] } | undefined>();
  useEffect(() => {
    void filterOptions().then(setKnown);
  }, []);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const filterRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    setCursor(0);
    setSelected(new Set());
  }, [key]);
  useEffect(() => {
    const row = tableRef.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${cursor}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  const setFilter = (k: FilterKey, v: string): void => {
    setParams(paramsFromFilters({ ...filters, [k]: v || undefined }));
  };
  const setOffset = (o: number): void => setParams(paramsFromFilters(filters, o));

  const current: QueueItem | undefined = items[cursor];

  const openNext = useCallback(async () => {
    setFailure(undefined);
    try {
      const r = await post<{ reportId: string | null }>('/queue/next');
      if (r.reportId) navigate(`/reports/${encodeURIComponent(r.reportId)}`);
      else setMessage(t('queue.nothingNext'));
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  }, [navigate, t]);

  const startBatch = useCallback(
    async (item: QueueItem | undefined) => {
      const key = batchKey(item);
      if (!key) {
        setMessage(t('queue.noBatch'));
        return;
      }
      // The whole batch, whatever the view's filters: that is what closing it closes.
      setFailure(undefined);
      try {
        const all = await get<QueuePage>('/queue', { status: 'open', viralBatch: key, limit: 500, offset: 0 });
        setDialog({ kind: 'batch', batch: key, total: all.total, ids: all.items.map((i) => i.reportId) });
      } catch (e) {
        setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
      }
    },
    [t],
  );

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      if (dialog) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
        if (e.key === 'Escape') target.blur();
        return;
      }
      const action = actionForKey(e.key, { ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey });
      if (!action) return;
      if (action === 'open' && target?.tagName === 'BUTTON') return;
      e.preventDefault();
      switch (action) {
        case 'down':
          setCursor((c) => moveCursor(c, 1, items.length));
          break;
        case 'up':
          setCursor((c) => moveCursor(c, -1, items.length));
          break;
        case 'first':
          setCursor(0);
          break;
        case 'last':
          setCursor(Math.max(0, items.length - 1));
          break;
        case 'open':
          if (current) navigate(`/reports/${encodeURIComponent(current.reportId)}`);
          break;
        case 'next':
          void openNext();
          break;
        case 'assign':
          if (current && user)
            void act(() => post(`/reports/${encodeURIComponent(current.reportId)}/assign`, { userId: user.id }), t('queue.assigned', { id: current.reportId }));
          break;
        case 'close':
          if (current) setDialog({ kind: 'one', id: current.reportId, tier: current.tier });
          break;
        case 'select':
          if (current)
            setSelected((s) => {
              const n = new Set(s);
              if (n.has(current.reportId)) n.delete(current.reportId);
              else n.add(current.reportId);
              return n;
            });
          break;
        case 'batch':
          void startBatch(current);
          break;
        case 'filter':
          filterRef.current?.focus();
          break;
        case 'pageNext':
          if (page.data && offset + LIMIT < page.data.total) setOffset(offset + LIMIT);
          break;
        case 'pagePrev':
          if (offset > 0) setOffset(Math.max(0, offset - LIMIT));
          break;
        case 'help':
          setHelp((h) => !h);
          break;
      }
    },
    [dialog, items, current, navigate, openNext, act, user, t, startBatch, page.data, offset],
  );

  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onKey]);

  const closeOne = (id: string, tier: string | null, reason: string, confirm: boolean): void => {
    setDialog(undefined);
    void act(
      () => post(`/reports/${encodeURIComponent(id)}/status`, { status: 'closed', reason, confirm }),
      t('queue.closed', { count: 1 }),
      (careful) => setDialog({ kind: 'one', id, tier, careful }),
    ).then(setCanUndo);
  };
  const closeMany = (ids: string[], reason: string, confirm: boolean): void => {
    setDialog(undefined);
    void act(
      () => post('/reports/close-batch', { reportIds: ids, reason, confirm }),
      t('queue.closed', { count: ids.length }),
      (careful) => setDialog({ kind: 'selection', ids, careful }),
    ).then(setCanUndo);
  };
  // The server closes the batch as it stands (reports assigned to others stay open for an analyst).
  const closeBatch = (batch: string, reason: string): void => {
    setDialog(undefined);
    setFailure(undefined);
    void post<{ closed: number }>('/reports/close-batch', { viralBatch: batch, reason }).then(
      (r) => {
        setMessage(t('queue.closed', { count: r.closed }));
        setCanUndo(r.closed > 0);
        page.reload();
      },
      (e: unknown) => setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e))),
    );
  };

  const filterSelect = (k: FilterKey, options: string[], label: (v: string) => string, ref?: React.Ref<HTMLSelectElement>): ReactNode => (
    <label key={k}>
      {t(`queue.filter.${k}`)}
      <select ref={ref} name={k} value={filters[k] ?? ''} onChange={(e) => setFilter(k, e.target.value)}>
        <option value="">{k === 'sort' ? t('queue.sortOpt.priority') : t('common.any')}</option>
        {(filters[k] && !options.includes(filters[k]) ? [filters[k], ...options] : options).map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
    </label>
  );

  const espOptions = [
    ...new Set([...(known?.esp ?? []), ...items.map((i) => i.esp).filter((x): x is string => !!x), ...(filters.esp ? [filters.esp] : [])]),
  ].sort();
  const typeOptions = [
    ...new Set([
      ...(known?.incidentType ?? []),
      ...items.map((i) => i.incidentType).filter((x): x is string => !!x),
      ...(filters.incidentType ? [filters.incidentType] : []),
    ]),
  ].sort();

  return (
    <section className={`queue${compact ? ' compact-mode' : ''}`}>
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <span className="muted">{page.data ? t('queue.total', { count: page.data.total, n: fmt.num(page.data.total) }) : ''}</span>
        <span className="spacer" />
        <span className="seg" role="group" aria-label={t('work2.whose')}>
          <button type="button" aria-pressed={!mine} onClick={() => setFilter('assigned', '')}>
            {t('work2.allReports')}
          </button>
          <button
            type="button"
            aria-pressed={mine}
            onClick={() => setParams(paramsFromFilters({ ...filters, assigned: 'me', status: filters.status ?? 'open' }))}
          >
            {t('work2.myQueue')}
          </button>
        </span>
        <button type="button" aria-pressed={compact} onClick={() => setCompact((c) => !c)} title={t('work2.compactHelp')}>
          {t('work2.compact')}
        </button>
        <button
          type="button"
          onClick={() => {
            void openNext();
          }}
          title="n"
        >
          {t('queue.next')}
        </button>
        <button type="button" onClick={() => setHelp((h) => !h)} aria-expanded={help}>
          {t('queue.keysButton')}
        </button>
        <a className="button" href={`/api/exports/queue.csv?${paramsFromFilters(filters).toString()}`}>
          {t('queue.exportCsv')}
        </a>
      </div>

      {help && (
        <div className="help" role="region" aria-label={t('queue.keysTitle')}>
          <h2>{t('queue.keysTitle')}</h2>
          <dl>
            {QUEUE_KEYS.map((k) => (
              <div key={k.action}>
                <dt>
                  {k.keys.map((x) => (
                    <kbd key={x}>{x}</kbd>
                  ))}
                </dt>
                <dd>{t(`keys.${k.action}`)}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}

      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        {filterSelect('tier', TIERS, (v) => t(`tier.${v.toLowerCase()}`), filterRef)}
        {filterSelect('status', ['open', 'all', ...STATUSES], (v) => t(`status.${v}`))}
        {filterSelect('incidentType', typeOptions, (v) => t(`incident.${v}`, { defaultValue: v }))}
        {filterSelect('esp', espOptions, (v) => v)}
        {filterSelect(
          'province',
          PROVINCES.map((p) => p.code),
          provinceLabel,
        )}
        {filterSelect('assigned', ['me', 'none', 'any'], (v) => t(`queue.assignedOpt.${v}`))}
        {filterSelect('sort', ['received_desc', 'received_asc'], (v) => t(`queue.sortOpt.${v}`))}
        <label>
          {t('queue.filter.annotation')}
          <input
            name="annotation"
            defaultValue={filters.annotation ?? ''}
            key={filters.annotation ?? ''}
            onBlur={(e) => {
              if (e.target.value !== (filters.annotation ?? '')) setFilter('annotation', e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setFilter('annotation', e.currentTarget.value);
            }}
          />
        </label>
        <button type="button" onClick={() => setParams(new URLSearchParams())}>
          {t('queue.clearFilters')}
        </button>
      </form>

      <div className="views">
        <span>{t('queue.views')}:</span>
        {views.length === 0 && <span className="muted">{t('queue.noViews')}</span>}
        {views.map((v) => (
          <span key={v.name} className="view">
            <button type="button" onClick={() => setParams(paramsFromFilters(v.filters))}>
              {v.name}
            </button>
            <button type="button" className="link" aria-label={t('queue.deleteView', { name: v.name })} onClick={() => setViews(deleteView(v.name))}>
              ×
            </button>
          </span>
        ))}
        <button
          type="button"
          onClick={() => {
            const name = window.prompt(t('queue.viewName'));
            if (name) setViews(saveView({ name, filters: filters as Filters }));
          }}
        >
          {t('queue.saveView')}
        </button>
      </div>

      {filters.viralBatch && (
        <div className="batch-filter" role="status">
          {t('queue.batchFilter', { batch: filters.viralBatch, count: page.data?.total ?? 0, n: fmt.num(page.data?.total ?? 0) })}{' '}
          <button type="button" onClick={() => setFilter('viralBatch', '')}>
            {t('queue.batchFilterClear')}
          </button>
        </div>
      )}
      {(filters.municipality || filters.trend) && (
        <div className="batch-filter" role="status" data-testid="place-trend-filter" data-total={page.data?.total ?? ''}>
          {filters.trend
            ? t('trends.queueFilter', {
                trend: filters.trend,
                from: filters.from ?? '…',
                to: filters.to ?? '…',
                count: page.data?.total ?? 0,
                n: fmt.num(page.data?.total ?? 0),
              })
            : t('towns.queueFilter', { codes: filters.municipality, count: page.data?.total ?? 0, n: fmt.num(page.data?.total ?? 0) })}{' '}
          <button
            type="button"
            onClick={() => setParams(paramsFromFilters({ ...filters, municipality: undefined, trend: undefined, from: undefined, to: undefined }))}
          >
            {t('queue.batchFilterClear')}
          </button>
        </div>
      )}
      <WorkMessages
        work={work}
        afterUndo={(u) => {
          page.reload();
        }}
      />

      {selected.size > 0 && (
        <div className="bulk" role="region" aria-label={t('queue.bulk')}>
          <span>{t('queue.selected', { count: selected.size })}</span>
          <button type="button" onClick={() => setDialog({ kind: 'selection', ids: [...selected] })}>
            {t('queue.closeSelected')}
          </button>
          <button type="button" onClick={() => setSelected(new Set())}>
            {t('queue.clearSelection')}
          </button>
        </div>
      )}

      {page.loading && !page.data && <Loading />}
      {page.error && <ErrorBox error={page.error} retry={page.reload} />}
      {page.data && items.length === 0 && <Empty>{Object.keys(filters).length ? t('queue.emptyFiltered') : t('queue.empty')}</Empty>}
      {items.length > 0 && (
        <table className={`grid queue-table${compact ? ' compact' : ''}`} aria-label={t('queue.title')} aria-rowcount={page.data?.total}>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">{t('queue.select')}</span>
              </th>
              <th scope="col">{t('queue.col.tier')}</th>
              <th scope="col" title={t('queue.col.harmHelp')}>
                {t('queue.col.harm')}
              </th>
              <th scope="col" title={t('queue.col.actionabilityHelp')}>
                {t('queue.col.actionability')}
              </th>
              <th scope="col">{t('queue.col.report')}</th>
              <th scope="col">{t('queue.col.reasons')}</th>
              <th scope="col">{t('queue.col.age')}</th>
              <th scope="col">{t('queue.col.deadline')}</th>
              <th scope="col">{t('queue.col.where')}</th>
              <th scope="col">{t('queue.col.assignee')}</th>
              <th scope="col">{t('queue.col.status')}</th>
            </tr>
          </thead>
          <tbody ref={tableRef}>
            {items.map((it, i) => (
              <tr
                key={it.reportId}
                data-index={i}
                data-report={it.reportId}
                className={i === cursor ? 'cursor' : undefined}
                aria-selected={i === cursor}
                onClick={() => setCursor(i)}
              >
                <td>
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={t('queue.selectOne', { id: it.reportId })}
                    checked={selected.has(it.reportId)}
                    onChange={() =>
                      setSelected((s) => {
                        const n = new Set(s);
                        if (n.has(it.reportId)) n.delete(it.reportId);
                        else n.add(it.reportId);
                        return n;
                      })
                    }
                  />
                </td>
                <td>
                  <TierBadge tier={it.tier} />
                  {it.firstInTier && (
                    <span className="first-in-tier" title={t('tier.firstTitle')}>
                      {t('tier.first')}
                    </span>
                  )}
                </td>
                <td className="num">{fmt.num(it.harm, 1)}</td>
                <td className="num">{fmt.num(it.actionability, 1)}</td>
                <td>
                  <Link to={`/reports/${encodeURIComponent(it.reportId)}`} tabIndex={i === cursor ? 0 : -1}>
                    {it.reportId}
                  </Link>
                  <div className="muted small">
                    {[it.esp, it.incidentType ? t(`incident.${it.incidentType}`, { defaultValue: it.incidentType }) : null].filter(Boolean).join(' · ')}
                  </div>
                  {it.viralBatch ? (
                    <button
                      type="button"
                      className="chip"
                      tabIndex={-1}
                      data-batch={it.viralBatch}
                      onClick={() => {
                        void startBatch(it);
                      }}
                      title={`${it.viralBatch} · ${t('queue.closeBatchHelp')}`}
                    >
                      {t('queue.viralBatchOpen', { batch: shortBatch(it.viralBatch), count: it.viralBatchOpen ?? 0, n: fmt.num(it.viralBatchOpen ?? 0) })}
                    </button>
                  ) : it.espBatched ? (
                    <span className="flag muted">{t('queue.batchedByEsp')}</span>
                  ) : null}
                  {it.deconflicted && <span className="flag">{t('queue.deconflicted', { caseId: it.deconflicted.caseId })}</span>}
                </td>
                <td className="reasons">
                  {topReasons(it.reasons).map((r, k) => (
                    <ReasonText key={k} r={r} />
                  ))}
                </td>
                <td className="num">{it.ageDays === null || it.ageDays === undefined ? '—' : t('format.days', { count: Math.round(it.ageDays) })}</td>
                <td>
                  <Deadline at={it.preservationDeadline} />
                </td>
                <td>{provinceName(it.provinceCode)}</td>
                <td>{it.assignee ?? <span className="muted">{t('queue.unassigned')}</span>}</td>
                <td>{t(`status.${it.status}`, { defaultValue: it.status })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.data && <Pager offset={offset} limit={LIMIT} total={page.data.total} onChange={setOffset} />}

      {dialog?.kind === 'one' && (
        <CloseDialog
          title={t('queue.closeOne', { id: dialog.id })}
          careful={dialog.careful ?? carefulTier([{ tier: dialog.tier }])}
          onCancel={() => setDialog(undefined)}
          onConfirm={(r, confirm) => closeOne(dialog.id, dialog.tier, r, confirm)}
        />
      )}
      {dialog?.kind === 'batch' && (
        <CloseDialog
          title={t('queue.closeBatch', { batch: dialog.batch })}
          detail={
            <div className="batch-list" data-batch={dialog.batch} data-total={dialog.total}>
              <p>{t('queue.batchCount', { count: dialog.total })}</p>
              <ul>
                {dialog.ids.slice(0, 30).map((id) => (
                  <li key={id}>{id}</li>
                ))}
              </ul>
              {dialog.total > 30 && <p className="muted">{t('queue.andMore', { count: dialog.total - 30 })}</p>}
              <p className="muted small">{t('queue.batchScope')}</p>
            </div>
          }
          onCancel={() => setDialog(undefined)}
          onConfirm={(r) => closeBatch(dialog.batch, r)}
        />
      )}
      {dialog?.kind === 'selection' && (
        <CloseDialog
          title={t('queue.closeSelected')}
          careful={dialog.careful ?? carefulTier(items.filter((i) => dialog.ids.includes(i.reportId)))}
          detail={
            <div className="batch-list">
              <p>{t('queue.batchCount', { count: dialog.ids.length })}</p>
              <ul>
                {dialog.ids.slice(0, 30).map((id) => (
                  <li key={id}>{id}</li>
                ))}
              </ul>
              {dialog.ids.length > 30 && <p className="muted">{t('queue.andMore', { count: dialog.ids.length - 30 })}</p>}
            </div>
          }
          onCancel={() => setDialog(undefined)}
          onConfirm={(r, confirm) => closeMany(dialog.ids, r, confirm)}
        />
      )}
      <p className="muted small">{t('queue.keysHint')}</p>
    </section>
  );
}
