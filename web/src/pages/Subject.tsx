import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post, postAndWait } from '../api/client.ts';
import type { GraphEdge, GraphNode, SubjectDetail } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import ExternalMarks from '../components/ExternalMarks.tsx';
import { CAREFUL_TIERS, CloseDialog } from '../components/CloseDialog.tsx';
import { ReferralPackage } from '../work/ReferralPackage.tsx';
import { useWorkActions, WorkMessages } from '../work/actions.tsx';
import { FlowView } from '../graph/FlowView.tsx';
import type { MoneyFlow } from '../api/types.ts';

const LinkGraph = lazy(() => import('../graph/LinkGraph.tsx'));

function mergeGraph(a: { nodes: GraphNode[]; edges: GraphEdge[] }, b: { nodes: GraphNode[]; edges: GraphEdge[] }): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map(a.nodes.map((n) => [n.id, n]));
  for (const n of b.nodes) nodes.set(n.id, n);
  const key = (e: GraphEdge): string => `${e.source}|${e.target}|${e.kind}`;
  const edges = new Map(a.edges.map((e) => [key(e), e]));
  for (const e of b.edges) edges.set(key(e), e);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** A subject: its reports on a timeline, its identifiers, and the link graph, one hop at a time. */
export default function Subject(): ReactNode {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const navigate = useNavigate();
  const subject = useApi(() => get<SubjectDetail>(`/subjects/${encodeURIComponent(id)}`), [id]);
  const work = useWorkActions(subject.reload);
  const { setMessage, setFailure, setCanUndo, act } = work;
  const [graph, setGraph] = useState<{ nodes: GraphNode[]; edges: GraphEdge[] }>({ nodes: [], edges: [] });
  const [picked, setPicked] = useState<GraphNode | undefined>();
  const [splitSel, setSplitSel] = useState<Set<string>>(new Set());
  const [mergeWith, setMergeWith] = useState('');
  const [status, setStatus] = useState('');
  const [closing, setClosing] = useState(false);
  // The tier the server named when it asked for the careful confirmation (it ranks higher than the page knew).
  const [serverCareful, setServerCareful] = useState<string | undefined>();
  useEffect(() => setServerCareful(undefined), [id]);
  const [note, setNote] = useState('');
  const money = useApi(() => get<MoneyFlow>(`/subjects/${encodeURIComponent(id)}/payments`), [id]);

  useEffect(() => {
    if (subject.data) setGraph(subject.data.graph);
  }, [subject.data]);

  const reports = useMemo(() => [...(subject.data?.reports ?? [])].sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? '')), [subject.data]);

  const expand = async (node: GraphNode): Promise<void> => {
    setFailure(undefined);
    try {
      const more = await get<{ nodes: GraphNode[]; edges: GraphEdge[] }>(`/subjects/${encodeURIComponent(id)}/graph`, { node: node.id, hops: 1 });
      setGraph((g) => mergeGraph(g, more));
      setMessage(t('subject.expanded', { label: node.label, count: more.nodes.length }));
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };
  const askCareful = (careful: string): void => {
    setServerCareful(careful);
    setClosing(true);
  };

  if (subject.loading && !subject.data) return <Loading />;
  if (subject.error) return <ErrorBox error={subject.error} retry={subject.reload} />;
  const s = subject.data;
  if (!s) return null;
  const first = reports[0]?.receivedAt ? Date.parse(reports[0].receivedAt) : 0;
  const last = reports.length ? Date.parse(reports[reports.length - 1]?.receivedAt ?? '') || first : 0;
  const span = Math.max(1, last - first);
  const supervisor = hasRole(user?.role, 'supervisor');

  return (
    <article className="subject">
      <div className="page-head">
        <h1>{t('subject.title', { id })}</h1>
        {s.suspect && <TierBadge tier={s.suspect.tier} />}
        <span className="muted">{t('subject.counts', { reports: reports.length, identifiers: s.identifiers.length })}</span>
      </div>
      <WorkMessages
        work={work}
        afterUndo={(u) => {
          subject.reload();
        }}
      />
      <ExternalMarks marks={s.externalDeconfliction} />
      {s.suspect && (
        <p className="suspect-line" data-tier={s.suspect.tier}>
          {t('work2.suspectRank', { score: fmt.num(s.suspect.score, 0) })}{' '}
          {s.suspect.reasons.map((r) => (
            <span key={r.rule} className="reason" title={r.evidence}>
              {t(`rule.${r.rule}`, { defaultValue: r.description })}
            </span>
          ))}
        </p>
      )}
      {(s.hiddenReports ?? 0) > 0 && <p className="muted small">{t('work2.hidden', { count: s.hiddenReports ?? 0 })}</p>}
      {closing && (
        <CloseDialog
          title={t('work2.closeSubject', { id })}
          careful={serverCareful ?? (s.suspect && CAREFUL_TIERS.includes(s.suspect.tier) ? s.suspect.tier : undefined)}
          onCancel={() => setClosing(false)}
          onConfirm={(reason, confirm) => {
            setClosing(false);
            void act(
              () => post(`/subjects/${encodeURIComponent(id)}/status`, { status: 'closed', reason, confirm }),
              t('work2.subjectClosed'),
              askCareful,
            ).then((ok) => {
              if (ok) {
                setCanUndo(true);
                setStatus('');
              }
            });
          }}
        />
      )}

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t('subject.timeline')}</h2>
        {reports.length === 0 ? (
          <Empty>{t('subject.noReports')}</Empty>
        ) : (
          <>
            <div className="timeline" aria-hidden="true">
              {reports.map((r) => {
                const x = r.receivedAt ? ((Date.parse(r.receivedAt) - first) / span) * 100 : 0;
                return (
                  <span
                    key={r.reportId}
                    className={`tick tier-${(r.tier ?? '').toLowerCase()}`}
                    style={{ left: `${x}%` }}
                    title={`${r.reportId} ${fmt.date(r.receivedAt)}`}
                  />
                );
              })}
            </div>
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{supervisor ? t('subject.split') : ''}</th>
                  <th scope="col">{t('subject.received')}</th>
                  <th scope="col">{t('queue.col.report')}</th>
                  <th scope="col">{t('queue.col.tier')}</th>
                  <th scope="col">{t('queue.col.status')}</th>
                  <th scope="col">{t('report.esp')}</th>
                  <th scope="col">{t('report.incidentType')}</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.reportId}>
                    <td>
                      {supervisor && (
                        <input
                          type="checkbox"
                          aria-label={t('subject.splitOne', { id: r.reportId })}
                          checked={splitSel.has(r.reportId)}
                          onChange={() =>
                            setSplitSel((x) => {
                              const n = new Set(x);
                              if (n.has(r.reportId)) n.delete(r.reportId);
                              else n.add(r.reportId);
                              return n;
                            })
                          }
                        />
                      )}
                    </td>
                    <td>{fmt.dateTime(r.receivedAt)}</td>
                    <td>
                      <Link to={`/reports/${encodeURIComponent(r.reportId)}`}>{r.reportId}</Link>
                    </td>
                    <td>
                      <TierBadge tier={r.tier} />
                    </td>
                    <td>{t(`status.${r.status ?? 'new'}`, { defaultValue: r.status ?? 'new' })}</td>
                    <td>{r.esp ?? '—'}</td>
                    <td>{r.incidentType ? t(`incident.${r.incidentType}`, { defaultValue: r.incidentType }) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {supervisor && (
          <div className="actions">
            <button
              type="button"
              disabled={splitSel.size === 0}
              onClick={() => {
                void act(async () => {
                  for (const reportId of splitSel) await postAndWait(`/subjects/${encodeURIComponent(id)}/split`, { reportId });
                  setSplitSel(new Set());
                }, t('subject.splitDone'));
              }}
            >
              {t('subject.splitButton', { count: splitSel.size })}
            </button>
            <label>
              {t('subject.mergeWith')}
              <input value={mergeWith} onChange={(e) => setMergeWith(e.target.value)} name="mergeWith" placeholder={t('subject.mergePlaceholder')} />
            </label>
            <button
              type="button"
              disabled={!mergeWith || reports.length === 0}
              onClick={() => {
                void act(() => postAndWait('/subjects/merge', { reportA: reports[0]?.reportId, reportB: mergeWith.trim() }), t('subject.mergeDone'));
              }}
            >
              {t('subject.mergeButton')}
            </button>
          </div>
        )}
      </section>

      <section aria-labelledby="subject-work">
        <h2 id="subject-work">{t('report.work')}</h2>
        {s.work && (
          <p>
            {t('report.statusLine', {
              status: t(`status.${s.work.status}`, { defaultValue: s.work.status }),
              assignee: s.work.assignee ?? t('queue.unassigned'),
            })}
          </p>
        )}
        <div className="actions">
          {user && s.work && s.work.assigneeId !== user.id && (
            <button
              type="button"
              onClick={() => {
                void act(() => post(`/subjects/${encodeURIComponent(id)}/assign`, { userId: user.id }), t('queue.assigned', { id }));
              }}
            >
              {t('report.assignMe')}
            </button>
          )}
          <label>
            {t('report.newStatus')}
            <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
              <option value="">—</option>
              {['in_review', 'escalated', 'referred', 'closed', 'new'].map((x) => (
                <option key={x} value={x}>
                  {t(`status.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!status}
            onClick={() => {
              if (status === 'closed') setClosing(true);
              else
                void act(() => post(`/subjects/${encodeURIComponent(id)}/status`, { status }), t('report.statusSaved')).then((ok) => {
                  if (ok) setStatus('');
                });
            }}
          >
            {t('report.setStatus')}
          </button>
        </div>
        <h3>{t('report.notes')}</h3>
        {(s.work?.notes ?? []).length === 0 ? (
          <Empty>{t('report.noNotes')}</Empty>
        ) : (
          <ul className="notes">
            {(s.work?.notes ?? []).map((n) => (
              <li key={n.id}>
                <span className="muted small">
                  {n.author ?? ''} {fmt.dateTime(n.createdAt)}
                </span>
                <p>{n.text}</p>
              </li>
            ))}
          </ul>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim())
              void act(() => post(`/subjects/${encodeURIComponent(id)}/notes`, { text: note }), t('report.noteSaved')).then((ok) => {
                if (ok) setNote('');
              });
          }}
        >
          <label>
            {t('report.addNote')}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} name="note" />
          </label>
          <button type="submit" disabled={!note.trim()}>
            {t('report.saveNote')}
          </button>
        </form>
        <h3>{t('report.referrals')}</h3>
        {(s.work?.referrals ?? []).length > 0 && (
          <ul>
            {(s.work?.referrals ?? []).map((r) => (
              <li key={r.id}>
                {t(`report.refType_${r.type}`, { defaultValue: r.type })} → <strong>{r.agency}</strong> · {fmt.dateTime(r.sentAt)}
              </li>
            ))}
          </ul>
        )}
        <ReferralPackage kind="subject" id={id} onSent={subject.reload} />
        <h3>{t('report.exports')}</h3>
        <p className="actions">
          {['report.pdf', 'report.docx', 'iptable.csv', 'iptable.xlsx', 'media.csv', 'media.xlsx'].map((f) => (
            <a key={f} className="button" href={`/api/subjects/${encodeURIComponent(id)}/export/${f}`}>
              {f}
            </a>
          ))}
        </p>
      </section>

      <section aria-labelledby="subject-money">
        <h2 id="subject-money">{t('work2.flow')}</h2>
        {money.loading && !money.data && <Loading />}
        {money.error && (money.error.status === 403 ? <p className="muted">{t('work2.flowWhole')}</p> : <ErrorBox error={money.error} retry={money.reload} />)}
        {money.data && (
          <FlowView
            flow={money.data}
            onPick={(p) => {
              void navigate(`/payments?party=${encodeURIComponent(p)}`);
            }}
          />
        )}
      </section>

      <section aria-labelledby="graph">
        <h2 id="graph">{t('subject.graph')}</h2>
        <p className="muted small">{t('subject.graphHelp')}</p>
        {graph.nodes.length === 0 ? (
          <Empty>{t('subject.noGraph')}</Empty>
        ) : (
          <div className="graph-wrap">
            <Suspense fallback={<Loading />}>
              <LinkGraph
                nodes={graph.nodes}
                edges={graph.edges}
                label={t('subject.graphLabel', { nodes: graph.nodes.length, edges: graph.edges.length })}
                onSelect={setPicked}
                onExpand={(n) => {
                  void expand(n);
                }}
              />
            </Suspense>
            <div className="graph-side">
              {picked ? (
                <div>
                  <h3>{picked.label}</h3>
                  <p>
                    {t(`node.${picked.type}`, { defaultValue: picked.type })}
                    {picked.hub ? ` · ${t('subject.hub')}` : ''}
                  </p>
                  <button
                    type="button"
                    onClick={() => {
                      void expand(picked);
                    }}
                  >
                    {t('subject.expand')}
                  </button>
                  {picked.type === 'report' && <Link to={`/reports/${encodeURIComponent(picked.id.replace(/^report:/, ''))}`}>{t('subject.openReport')}</Link>}
                </div>
              ) : (
                <p className="muted">{t('subject.pickNode')}</p>
              )}
              <h3>{t('subject.nodes')}</h3>
              <ul className="node-list">
                {graph.nodes.map((n) => (
                  <li key={n.id}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => setPicked(n)}
                      onDoubleClick={() => {
                        void expand(n);
                      }}
                    >
                      {n.label}
                    </button>
                    {n.hub && <span className="flag">{t('subject.hub')}</span>}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
        <p className="legend small">
          <span className="swatch report" /> {t('node.report')} <span className="swatch ident" /> {t('node.identifier')} <span className="swatch hub" />{' '}
          {t('subject.hub')} · {t('subject.strengthLegend')}
        </p>
      </section>

      {(s.links ?? []).length > 0 && (
        <section aria-labelledby="why-linked">
          <h2 id="why-linked">{t('subject.whyLinked')}</h2>
          <ul className="links">
            {(s.links ?? []).slice(0, 200).map((l, i) => (
              <li key={i}>
                <Link to={`/reports/${encodeURIComponent(l.a)}`}>{l.a}</Link> ↔ <Link to={`/reports/${encodeURIComponent(l.b)}`}>{l.b}</Link>
                {l.rule && <span className="muted"> ({t(`linkRule.${l.rule}`, { defaultValue: l.rule })})</span>}:{' '}
                {l.reasons.map((r, k) => (
                  <span key={k} className="reason">
                    {t(`idkind.${r.kind}`, { defaultValue: r.kind })} {r.value} ({t(`strength.${r.strength}`, { defaultValue: r.strength })})
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="idents">
        <h2 id="idents">{t('report.identifiers')}</h2>
        {s.identifiers.length === 0 ? (
          <Empty>{t('report.noIdentifiers')}</Empty>
        ) : (
          <ul className="idents">
            {s.identifiers.map((x, i) => (
              <li key={i}>
                <span className="muted">{t(`idkind.${x.kind}`, { defaultValue: x.kind })}</span>{' '}
                <Link className="mono" to={`/search?q=${encodeURIComponent(x.value)}`}>
                  {x.value}
                </Link>
                {x.reportCount !== undefined && <span className="muted small"> · {t('subject.inReports', { count: x.reportCount })}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
