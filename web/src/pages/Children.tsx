// The children: every child the reports name or imply, the child in most danger now first, each
// with the reasons for its place; a child's page lists its reports with their tiers, the people
// around it and the rescue workflow (forward only, each step with a note, in the audit trail).
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { Empty, ErrorBox, Loading, Pager, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';

/** The rescue workflow, in order (docs/children.md §4). */
export const RESCUE_STEPS = ['identified', 'located', 'referred', 'rescued', 'aftercare'] as const;

/** A child as `GET /api/children` lists it. */
export interface ChildSummary {
  id: string;
  name: string | null;
  handle: string | null;
  school: string | null;
  band: string;
  age: number | null;
  ageNow: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
  reports: string[];
  hiddenReports: number;
  subjects: string[];
  place: { text: string | null; provinceCode: string | null; municipalityCode: string | null };
  ongoing: { recent: boolean; livestream: boolean; escalation: boolean; payments: boolean; lastPaymentAt: string | null };
  identified: string[];
  people: Array<{ name: string | null; handle: string | null }>;
  household: boolean;
  annotations: string[];
  status: string;
  steps: Array<{ id: number; step: string; at: string; username: string | null; note: string }>;
  danger: string[];
}

/** `GET /api/children/:id`: the child with its visible reports' tiers. */
export interface ChildDetail extends ChildSummary {
  reportRows: Array<{ reportId: string; receivedAt: string | null; incidentType: string | null; tier: string | null; score: number | null; status: string }>;
}

/** The steps still open to a child: those after its current one (a step may be skipped, never undone). */
export function nextSteps(status: string): string[] {
  const at = RESCUE_STEPS.indexOf(status as (typeof RESCUE_STEPS)[number]);
  return RESCUE_STEPS.slice(at + 1);
}

function who(c: Pick<ChildSummary, 'name' | 'handle' | 'id'>, unnamed: string): string {
  return c.name ?? (c.handle ? `@${c.handle}` : unnamed);
}

function Reasons({ danger }: { danger: string[] }): ReactNode {
  const { t } = useTranslation();
  if (danger.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="reasons inline">
      {danger.map((d) => (
        <li key={d} className={`reason reason-${d}`}>
          {t(`children.reason.${d}`, { defaultValue: d })}
        </li>
      ))}
    </ul>
  );
}

/** The children in danger order. */
export default function Children(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const LIMIT = 50;
  const list = useApi(() => get<{ total: number; items: ChildSummary[] }>('/children', { status, limit: LIMIT, offset }), [status, offset]);
  return (
    <section className="children-page">
      <div className="page-head">
        <h1>{t('children.title')}</h1>
        <span className="spacer" />
        <label>
          {t('children.status')}
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('common.any')}</option>
            <option value="open">{t('children.step.open')}</option>
            {RESCUE_STEPS.map((s) => (
              <option key={s} value={s}>
                {t(`children.step.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t('children.help')}</p>
      {list.loading && !list.data && <Loading />}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{t('children.empty')}</Empty>
        ) : (
          <>
            <table className="grid children-table">
              <caption>{t('children.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('children.child')}</th>
                  <th scope="col">{t('children.age')}</th>
                  <th scope="col">{t('children.status')}</th>
                  <th scope="col">{t('children.why')}</th>
                  <th scope="col">{t('children.lastSeen')}</th>
                  <th scope="col">{t('children.place')}</th>
                  <th scope="col">{t('children.reports')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} data-child={c.id}>
                    <th scope="row">
                      <Link to={`/children/${encodeURIComponent(c.id)}`}>{who(c, t('children.unnamed'))}</Link> <span className="muted small">{c.id}</span>
                    </th>
                    <td>
                      {c.ageNow ?? c.age ?? '—'} <span className="muted small">{t(`children.band.${c.band}`, { defaultValue: c.band })}</span>
                    </td>
                    <td>{t(`children.step.${c.status}`, { defaultValue: c.status })}</td>
                    <td>
                      <Reasons danger={c.danger} />
                    </td>
                    <td>{fmt.date(c.lastSeen)}</td>
                    <td>{c.place.text ?? '—'}</td>
                    <td className="num">
                      {fmt.num(c.reports.length)}
                      {c.hiddenReports > 0 && (
                        <span className="muted small"> {t('children.hidden', { count: c.hiddenReports, n: fmt.num(c.hiddenReports) })}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager offset={offset} limit={LIMIT} total={list.data.total} onChange={setOffset} />
          </>
        ))}
    </section>
  );
}

/** One child: facts, reasons, reports with tiers, people, and the rescue workflow. */
export function ChildPage(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const detail = useApi(() => get<ChildDetail>(`/children/${encodeURIComponent(id)}`), [id]);
  const [saved, setSaved] = useState<Pick<ChildSummary, 'status' | 'steps'> | undefined>();
  const [step, setStep] = useState('');
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  if (detail.error) return <ErrorBox error={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Loading />;
  const c = { ...detail.data, ...saved };
  const open = nextSteps(c.status);
  const chosen = open.includes(step) ? step : (open[0] ?? '');

  const record = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await post<ChildSummary>(`/children/${encodeURIComponent(id)}/steps`, { step: chosen, note: note.trim() });
      setSaved({ status: r.status, steps: r.steps });
      setNote('');
      setStep('');
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="child-page" data-child={c.id} data-status={c.status}>
      <div className="page-head">
        <h1>{who(c, t('children.unnamed'))}</h1>
        <span className="muted">{c.id}</span>
        <span className="spacer" />
        <Link to="/children">{t('children.back')}</Link>
      </div>
      <dl className="facts">
        <dt>{t('children.age')}</dt>
        <dd>
          {c.ageNow ?? c.age ?? '—'} ({t(`children.band.${c.band}`, { defaultValue: c.band })})
        </dd>
        <dt>{t('children.status')}</dt>
        <dd data-testid="child-status">{t(`children.step.${c.status}`, { defaultValue: c.status })}</dd>
        <dt>{t('children.why')}</dt>
        <dd>
          <Reasons danger={c.danger} />
        </dd>
        <dt>{t('children.seen')}</dt>
        <dd>
          {fmt.date(c.firstSeen)} – {fmt.date(c.lastSeen)}
        </dd>
        <dt>{t('children.place')}</dt>
        <dd>
          {c.place.text ?? '—'}
          {c.place.municipalityCode && (
            <>
              {' '}
              · <Link to={`/queue?municipality=${c.place.municipalityCode}`}>{c.place.municipalityCode}</Link>
            </>
          )}
        </dd>
        {c.school && (
          <>
            <dt>{t('children.school')}</dt>
            <dd>{c.school}</dd>
          </>
        )}
        <dt>{t('children.identified')}</dt>
        <dd>{c.identified.length ? c.identified.join(', ') : t('children.notIdentified')}</dd>
        <dt>{t('children.subjects')}</dt>
        <dd>
          {c.subjects.length
            ? c.subjects.map((s) => (
                <Link key={s} to={`/subjects/${encodeURIComponent(s)}`} className="chip">
                  {s}
                </Link>
              ))
            : '—'}
        </dd>
      </dl>

      <h2 id="child-reports">{t('children.reports')}</h2>
      {c.hiddenReports > 0 && <p className="muted small">{t('children.hiddenLong', { count: c.hiddenReports, n: fmt.num(c.hiddenReports) })}</p>}
      <table className="grid child-reports" aria-labelledby="child-reports">
        <thead>
          <tr>
            <th scope="col">{t('queue.col.report')}</th>
            <th scope="col">{t('queue.col.tier')}</th>
            <th scope="col">{t('children.received')}</th>
            <th scope="col">{t('queue.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {c.reportRows.map((r) => (
            <tr key={r.reportId} data-report={r.reportId}>
              <td>
                <Link to={`/reports/${encodeURIComponent(r.reportId)}`}>{r.reportId}</Link> <span className="muted small">{r.incidentType ?? ''}</span>
              </td>
              <td>
                <TierBadge tier={r.tier} />
              </td>
              <td>{fmt.dateTime(r.receivedAt)}</td>
              <td>{t(`status.${r.status}`, { defaultValue: r.status })}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('children.people')}</h2>
      {c.people.length === 0 ? (
        <Empty>{t('children.noPeople')}</Empty>
      ) : (
        <ul>
          {c.people.map((p, i) => (
            <li key={i}>
              {p.name ?? '—'}
              {p.handle && <span className="muted"> @{p.handle}</span>}
            </li>
          ))}
        </ul>
      )}
      {c.household && <p className="muted small">{t('children.household')}</p>}

      <h2 id="rescue">{t('children.rescue')}</h2>
      <ol className="rescue-steps">
        {c.steps.map((s) => (
          <li key={s.id} data-step={s.step}>
            <strong>{t(`children.step.${s.step}`, { defaultValue: s.step })}</strong> · {fmt.dateTime(s.at)} · {s.username ?? '—'}
            <br />
            <span>{s.note}</span>
          </li>
        ))}
      </ol>
      {c.steps.length === 0 && <p className="muted">{t('children.noSteps')}</p>}
      {open.length > 0 ? (
        <form
          className="card rescue-form"
          aria-labelledby="rescue"
          onSubmit={(e) => {
            e.preventDefault();
            void record();
          }}
        >
          <label>
            {t('children.nextStep')}
            <select name="step" value={chosen} onChange={(e) => setStep(e.target.value)}>
              {open.map((s) => (
                <option key={s} value={s}>
                  {t(`children.step.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('children.note')}
            <textarea
              name="note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              required
              rows={3}
              maxLength={4000}
              placeholder={t('children.noteHelp')}
            />
          </label>
          <p className="muted small">{t('children.forwardOnly')}</p>
          {failure && <ErrorBox error={failure} />}
          <button type="submit" disabled={busy || !note.trim()}>
            {t('children.record')}
          </button>
        </form>
      ) : (
        <p className="muted">{t('children.done')}</p>
      )}
    </section>
  );
}
