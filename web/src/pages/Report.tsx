import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import type { Assignee, Identifier, Reason, ReportDetail } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { provinceName } from '../map/provinces.ts';
import { CAREFUL_TIERS, CloseDialog } from '../components/CloseDialog.tsx';
import { useWorkActions, WorkMessages } from '../work/actions.tsx';
import { ReferralPackage } from '../work/ReferralPackage.tsx';
import VersionHistory from '../components/VersionHistory.tsx';
import ExternalMarks from '../components/ExternalMarks.tsx';
import NcmecNotes from '../components/NcmecNotes.tsx';
import { Deadline } from '../components/Deadline.tsx';
import { evidenceText, ruleText } from '../rules/texts.ts';

type Doc = Record<string, unknown>;

function asArray(v: unknown): Doc[] {
  return Array.isArray(v) ? v.filter((x): x is Doc => typeof x === 'object' && x !== null) : [];
}

function str(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A party (reported user, victim) as lines an analyst reads: names, accounts, contact points. */
function PartyCard({ party }: { party: Doc }): ReactNode {
  const { t } = useTranslation();
  const person = (party.person ?? {}) as Doc;
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  const lines: Array<[string, string]> = [];
  if (name) lines.push([t('report.party.name'), name]);
  if (person.age !== undefined) lines.push([t('report.party.age'), str(person.age)]);
  if (party.screenName) lines.push([t('report.party.screenName'), str(party.screenName)]);
  if (party.espService || party.espIdentifier) lines.push([t('report.party.account'), [party.espService, party.espIdentifier].filter(Boolean).join(' · ')]);
  const displayNames = Array.isArray(party.displayNames) ? party.displayNames.join(', ') : '';
  if (displayNames) lines.push([t('report.party.displayNames'), displayNames]);
  for (const p of asArray(person.phones)) lines.push([t('report.party.phone'), str(p.number)]);
  for (const e of asArray(person.emails)) lines.push([t('report.party.email'), str(e.address)]);
  const loc = party.estimatedLocation as Doc | undefined;
  if (loc) lines.push([t('report.party.location'), [loc.city, loc.region, loc.countryCode].filter(Boolean).join(', ')]);
  const ips = asArray(party.ipCaptureEvents);
  if (ips.length) lines.push([t('report.party.ips'), t('report.party.ipCount', { count: ips.length })]);
  return (
    <dl className="kv">
      {lines.length === 0 && <dd className="muted">{t('report.party.nothing')}</dd>}
      {lines.map(([k, v], i) => (
        <div key={i}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The enrichment of an identifier in words: carrier, CGNAT/VPN flags, location. */
function Enrichment({ e }: { e: Identifier['enrichment'] }): ReactNode {
  const { t } = useTranslation();
  if (!e || Object.keys(e).length === 0) return <span className="muted">—</span>;
  const flags: string[] = [];
  for (const f of ['cgnat', 'vpn', 'proxy', 'tor', 'hosting', 'mobile', 'placeholder', 'warninglist', 'disposable']) {
    if (e[f] === true) flags.push(t(`enrich.${f}`));
  }
  const parts: string[] = [];
  for (const k of ['carrier', 'operator', 'isp', 'asn', 'asnOrg', 'country', 'region', 'province', 'city', 'numberType']) {
    const v = e[k];
    if (v !== undefined && v !== null && v !== '' && typeof v !== 'object') parts.push(`${t(`enrich.${k}`)}: ${String(v)}`);
  }
  if (typeof e.provinceCode === 'string') parts.push(`${t('enrich.province')}: ${provinceName(e.provinceCode)}`);
  return (
    <span>
      {flags.map((f) => (
        <span key={f} className="flag">
          {f}
        </span>
      ))}
      <span className="small">{parts.join(' · ')}</span>
    </span>
  );
}

/** The carriers of the report's IP addresses, from the offline enrichment. */
function carriersOf(d: ReportDetail): string[] {
  const e = (d.enrichment ?? {}) as Doc;
  return Array.isArray(e.carriers) ? [...new Set(e.carriers.filter((c): c is string => typeof c === 'string' && c !== ''))] : [];
}

function hashSignal(f: Doc): string {
  const s = f.signal ?? f.hashSignal ?? (f.known ? 'known' : f.viral ? 'viral' : undefined);
  return typeof s === 'string' ? s : 'new';
}

/** One report as an analyst reads it: why it ranks here, who, what, what changed, what it links to. */
export default function Report(): ReactNode {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const detail = useApi(() => get<ReportDetail>(`/reports/${encodeURIComponent(id)}`), [id]);
  const work = useWorkActions(detail.reload);
  const { setMessage, setFailure, setCanUndo, act } = work;
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [closing, setClosing] = useState(false);
  // The tier the server named when it asked for the careful confirmation (it ranks higher than the page knew).
  const [serverCareful, setServerCareful] = useState<string | undefined>();
  useEffect(() => setServerCareful(undefined), [id]);
  const supervisor = hasRole(user?.role, 'supervisor');
  // Supervisors assign to the accounts the server allows (their team when the queue is closed), with each one's open load.
  const people = useApi(async () => {
    if (!supervisor) return [];
    const [who, load] = await Promise.all([get<Assignee[]>('/assignees'), get<Array<{ userId: number; open: number }>>('/stats/workload').catch(() => [])]);
    const open = new Map(load.map((l) => [l.userId, l.open]));
    return who.map((p) => ({ ...p, open: open.get(p.id) ?? 0 }));
  }, [supervisor]);
  const [assignTo, setAssignTo] = useState('');
  const agencies = useApi(() => get<Array<{ code: string; name: string; purpose: string; enabled: boolean }>>('/agencies'), []);
  const [referTo, setReferTo] = useState('');
  const [referType, setReferType] = useState<'referral' | 'endorsement'>('referral');
  const [referNote, setReferNote] = useState('');
  const navigate = useNavigate();

  const takeNext = async (): Promise<void> => {
    try {
      const r = await post<{ reportId: string | null }>('/queue/next');
      if (r.reportId) void navigate(`/reports/${encodeURIComponent(r.reportId)}`);
      else {
        setMessage(t('queue.nothingNext'));
        void navigate('/queue');
      }
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };

  // The report page keeps the queue's keys: n next, a assign, c close (then the next report), q back.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null;
      if (closing || e.ctrlKey || e.altKey || e.metaKey || (el && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName))) return;
      if (e.key === 'n') {
        e.preventDefault();
        void takeNext();
      } else if (e.key === 'q') {
        e.preventDefault();
        void navigate('/queue');
      } else if (e.key === 'c') {
        e.preventDefault();
        setClosing(true);
      } else if (e.key === 'a' && user) {
        e.preventDefault();
        void post(`/reports/${encodeURIComponent(id)}/assign`, { userId: user.id }).then(
          () => {
            setMessage(t('queue.assigned', { id }));
            detail.reload();
          },
          (err: unknown) => setFailure(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err))),
        );
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (detail.loading && !detail.data) return <Loading />;
  if (detail.error) return <ErrorBox error={detail.error} retry={detail.reload} />;
  const d = detail.data;
  if (!d) return null;

  const askCareful = (careful: string): void => {
    setServerCareful(careful);
    setClosing(true);
  };
  const report = d.report as Doc;
  const s = d.summary;
  const score = d.score ?? {};
  const tier = score.tier ?? s.tier ?? null;
  const reasons: Reason[] = score.reasons ?? [];
  const subjectId = typeof d.subject === 'string' ? d.subject : d.subject?.id;
  const reported = asArray(report.reportedPersons);
  const victims = asArray(report.victims);
  const files = d.files.length ? d.files : asArray(report.files);
  const incident = (report.incident ?? {}) as Doc;

  return (
    <article className="report">
      <div className="page-head">
        <h1>{t('report.title', { id })}</h1>
        <TierBadge tier={score.tier ?? s.tier} />
        <span className="spacer" />
        <Link to="/queue">{t('report.backToQueue')}</Link>
      </div>
      <WorkMessages
        work={work}
        afterUndo={(u) => {
          const back = u.reopened[0]?.itemId;
          if (back && back !== id) void navigate(`/reports/${encodeURIComponent(back)}`);
          else detail.reload();
        }}
      />
      <p className="muted small">{t('report.keysHint')}</p>
      {closing && (
        <CloseDialog
          title={t('queue.closeOne', { id })}
          careful={serverCareful ?? (tier && CAREFUL_TIERS.includes(tier) ? tier : undefined)}
          onCancel={() => setClosing(false)}
          onConfirm={(reason, confirm) => {
            setClosing(false);
            void act(
              () => post(`/reports/${encodeURIComponent(id)}/status`, { status: 'closed', reason, confirm }),
              t('queue.closed', { count: 1 }),
              askCareful,
            ).then((ok) => {
              if (!ok) return;
              setCanUndo(true);
              setStatus('');
              void takeNext();
            });
          }}
        />
      )}

      <section aria-labelledby="why">
        <h2 id="why">{t('report.why')}</h2>
        <p>
          {t('report.scores', { harm: fmt.num(score.harm, 1), actionability: fmt.num(score.actionability, 1) })}
          {score.rulesetVersion !== undefined && <span className="muted"> · {t('report.ruleset', { version: score.rulesetVersion })}</span>}
        </p>
        {d.deconfliction && (
          <p className="warn" role="note">
            {t('report.deconflicted', { caseId: d.deconfliction.caseId })}
          </p>
        )}
        <ExternalMarks marks={d.externalDeconfliction} />
        {reasons.length === 0 ? (
          <Empty>{d.score ? t('report.noReasons') : t('report.notScored')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('report.rule')}</th>
                <th scope="col">{t('report.effect')}</th>
                <th scope="col">{t('report.evidence')}</th>
              </tr>
            </thead>
            <tbody>
              {reasons.map((r, i) => (
                <tr key={i}>
                  <td>
                    {ruleText(t, r)}
                    <div className="muted small">{r.rule}</div>
                  </td>
                  <td className="num">{typeof r.effect === 'number' ? (r.effect > 0 ? '+' : '') + fmt.num(r.effect, 2) : r.effect}</td>
                  <td>{evidenceText(t, r.evidence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <dl className="kv inline">
          <div>
            <dt>{t('report.received')}</dt>
            <dd>{fmt.dateTime(s.receivedAt ?? null)}</dd>
          </div>
          <div data-testid="preserve-by">
            <dt>{t('deadline.label')}</dt>
            <dd>
              <Deadline at={typeof score.preservationDeadline === 'string' ? score.preservationDeadline : null} />{' '}
              <span className="muted small">{fmt.date(typeof score.preservationDeadline === 'string' ? score.preservationDeadline : null)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('report.incidentType')}</dt>
            <dd>{s.incidentType ? t(`incident.${s.incidentType}`, { defaultValue: s.incidentType }) : '—'}</dd>
          </div>
          <div>
            <dt>{t('report.esp')}</dt>
            <dd>{s.esp ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('report.province')}</dt>
            <dd>{provinceName(s.provinceCode)}</dd>
          </div>
          <div>
            <dt>{t('report.incidentTime')}</dt>
            <dd>{str(incident.incidentDateTime)}</dd>
          </div>
          <div>
            <dt>{t('report.annotations')}</dt>
            <dd>{Array.isArray(incident.reportAnnotations) && incident.reportAnnotations.length ? incident.reportAnnotations.join(', ') : '—'}</dd>
          </div>
          {subjectId && (
            <div>
              <dt>{t('report.subject')}</dt>
              <dd>
                <Link to={`/subjects/${encodeURIComponent(subjectId)}`}>{t('report.openSubject')}</Link>
              </dd>
            </div>
          )}
        </dl>
      </section>

      <NcmecNotes envelope={report.envelope as Doc | undefined} />

      <section aria-labelledby="work">
        <h2 id="work">{t('report.work')}</h2>
        <p>
          {t('report.statusLine', {
            status: t(`status.${d.work.status}`, { defaultValue: d.work.status }),
            assignee: d.work.assignee ?? t('queue.unassigned'),
          })}
        </p>
        <div className="actions">
          {user && d.work.assigneeId !== user.id && d.work.assignee !== user.username && (
            <button
              type="button"
              onClick={() => {
                void act(() => post(`/reports/${encodeURIComponent(id)}/assign`, { userId: user.id }), t('queue.assigned', { id }));
              }}
            >
              {t('report.assignMe')}
            </button>
          )}
          {supervisor && (people.data ?? []).length > 0 && (
            <>
              <label>
                {t('report.assignTo')}
                <select value={assignTo} onChange={(e) => setAssignTo(e.target.value)} name="assignTo">
                  <option value="">—</option>
                  {(people.data ?? []).map((p) => (
                    <option key={p.id} value={p.id}>
                      {t('report.personLoad', {
                        name: p.displayName && p.displayName !== p.username ? `${p.displayName} (${p.username})` : p.username,
                        open: p.open,
                      })}
                      {p.team ? ` · ${p.team}` : ''}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                disabled={!assignTo}
                onClick={() => {
                  void act(() => post(`/reports/${encodeURIComponent(id)}/assign`, { userId: Number(assignTo) }), t('report.assignedTo'));
                }}
              >
                {t('report.assign')}
              </button>
            </>
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
              else void act(() => post(`/reports/${encodeURIComponent(id)}/status`, { status }), t('report.statusSaved'));
            }}
          >
            {t('report.setStatus')}
          </button>
        </div>
        <h3>{t('report.notes')}</h3>
        {d.work.notes.length === 0 ? (
          <Empty>{t('report.noNotes')}</Empty>
        ) : (
          <ul className="notes">
            {d.work.notes.map((n, i) => (
              <li key={n.id ?? i}>
                <span className="muted small">
                  {n.author ?? ''} {fmt.dateTime(n.createdAt)}
                  {n.reportVersion !== undefined && n.reportVersion !== null ? ` · ${t('report.onVersion', { n: n.reportVersion })}` : ''}
                </span>
                <p>{n.text}</p>
              </li>
            ))}
          </ul>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) void act(() => post(`/reports/${encodeURIComponent(id)}/notes`, { text: note }), t('report.noteSaved')).then(() => setNote(''));
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
      </section>

      <section aria-labelledby="referrals">
        <h2 id="referrals">{t('report.referrals')}</h2>
        <ReferralPackage kind="report" id={id} onSent={detail.reload} />
        {(d.work.referrals ?? []).length === 0 ? (
          <Empty>{t('report.noReferrals')}</Empty>
        ) : (
          <ul>
            {(d.work.referrals ?? []).map((r, i) => (
              <li key={r.id ?? i}>
                {t(`report.refType_${r.type}`, { defaultValue: r.type })} → <strong>{r.agency}</strong> · {fmt.dateTime(r.sentAt)}
                {r.sentBy ? ` · ${r.sentBy}` : ''}
                {r.comment ? ` — ${r.comment}` : ''}
              </li>
            ))}
          </ul>
        )}
        {(agencies.data ?? []).length > 0 && (
          <form
            className="actions"
            onSubmit={(e) => {
              e.preventDefault();
              if (referTo)
                void act(
                  () =>
                    post(`/reports/${encodeURIComponent(id)}/refer`, {
                      agency: referTo,
                      type: referType,
                      sent: { reportId: id, exports: ['report.pdf'] },
                      ...(referNote ? { comment: referNote } : {}),
                    }),
                  t('report.referred'),
                );
            }}
          >
            <label>
              {t('report.agency')}
              <select value={referTo} onChange={(e) => setReferTo(e.target.value)} name="agency">
                <option value="">—</option>
                {(agencies.data ?? [])
                  .filter((a) => a.enabled)
                  .map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.name}
                    </option>
                  ))}
              </select>
            </label>
            <label>
              {t('report.refType')}
              <select value={referType} onChange={(e) => setReferType(e.target.value as 'referral' | 'endorsement')} name="refType">
                <option value="referral">{t('report.refType_referral')}</option>
                <option value="endorsement">{t('report.refType_endorsement')}</option>
              </select>
            </label>
            <label>
              {t('report.comment')}
              <input value={referNote} onChange={(e) => setReferNote(e.target.value)} name="referComment" />
            </label>
            <button type="submit" disabled={!referTo}>
              {t('report.refer')}
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="reported">
        <h2 id="reported">{t('report.reported', { count: reported.length })}</h2>
        {reported.length === 0 ? <Empty>{t('report.noReported')}</Empty> : reported.map((p, i) => <PartyCard key={i} party={p} />)}
      </section>

      <section aria-labelledby="victims">
        <h2 id="victims">{t('report.victims', { count: victims.length })}</h2>
        {victims.length === 0 ? <Empty>{t('report.noVictims')}</Empty> : victims.map((p, i) => <PartyCard key={i} party={p} />)}
      </section>

      <section aria-labelledby="identifiers">
        <h2 id="identifiers">{t('report.identifiers')}</h2>
        {d.identifiers.length === 0 ? (
          <Empty>{t('report.noIdentifiers')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('report.kind')}</th>
                <th scope="col">{t('report.value')}</th>
                <th scope="col">{t('report.role')}</th>
                <th scope="col">{t('report.strength')}</th>
                <th scope="col">{t('report.enrichment')}</th>
              </tr>
            </thead>
            <tbody>
              {d.identifiers.map((x, i) => (
                <tr key={i}>
                  <td>{t(`idkind.${x.kind}`, { defaultValue: x.kind })}</td>
                  <td>
                    <Link to={`/search?q=${encodeURIComponent(x.value)}`} className="mono">
                      {x.value}
                    </Link>
                  </td>
                  <td>{x.role ?? '—'}</td>
                  <td>{x.strength ?? '—'}</td>
                  <td>
                    <Enrichment e={x.enrichment} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="files">
        <h2 id="files">{t('report.files', { count: files.length })}</h2>
        <p className="muted small">{t('report.noImagery')}</p>
        {files.length === 0 ? (
          <Empty>{t('report.noFiles')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('report.file')}</th>
                <th scope="col">{t('report.hashes')}</th>
                <th scope="col">{t('report.signal')}</th>
                <th scope="col">{t('report.fileFlags')}</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f, i) => {
                const hashes = asArray(f.originalFileHashes ?? f.hashes);
                const sig = hashSignal(f);
                return (
                  <tr key={i}>
                    <td>{str(f.fileName ?? f.fileId)}</td>
                    <td className="mono small">
                      {hashes.length ? hashes.map((h) => `${str(h.hashType)}:${str(h.value).slice(0, 16)}…`).join(' ') : str(f.md5 ?? f.sha1)}
                    </td>
                    <td>
                      <span className={`signal signal-${sig}`}>{t(`signal.${sig}`, { defaultValue: sig })}</span>
                    </td>
                    <td className="small">
                      {[
                        f.publiclyAvailable ? t('report.public') : null,
                        f.potentialMeme ? t('report.meme') : null,
                        f.fileViewedByEsp ? t('report.viewedByEsp') : null,
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">{t('report.versions')}</h2>
        <VersionHistory reportId={id} />
      </section>

      <section aria-labelledby="links">
        <h2 id="links">{t('report.links')}</h2>
        {d.links.length === 0 ? (
          <Empty>{t('report.noLinks')}</Empty>
        ) : (
          <ul className="links">
            {d.links.map((l) => (
              <li key={l.reportId}>
                <Link to={`/reports/${encodeURIComponent(l.reportId)}`}>{l.reportId}</Link>
                {' — '}
                {l.reasons.map((r, k) => (
                  <span key={k} className="reason">
                    {typeof r === 'string'
                      ? r
                      : [r.kind, r.value, r.reason, r.strength !== undefined ? `(${String(r.strength)})` : ''].filter(Boolean).join(' ')}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="exports">
        <h2 id="exports">{t('report.exports')}</h2>
        <p className="actions">
          {['report.pdf', 'report.docx', 'iptable.csv', 'iptable.xlsx', 'media.csv', 'media.xlsx'].map((f) => (
            <a key={f} className="button" href={`/api/reports/${encodeURIComponent(id)}/export/${f}`}>
              {f}
            </a>
          ))}
        </p>
        <h3>{t('letters.title')}</h3>
        <p className="muted small">{t('letters.help')}</p>
        <p className="actions" data-testid="letters">
          {(['pdf', 'docx'] as const).map((f) => (
            <a key={f} className="button" href={`/api/reports/${encodeURIComponent(id)}/letters/preservation-request.${f}`}>
              {t('letters.preservation', { format: f.toUpperCase() })}
            </a>
          ))}
          {carriersOf(d).map((c) => (
            <a key={c} className="button" href={`/api/reports/${encodeURIComponent(id)}/letters/subscriber-request.pdf?carrier=${encodeURIComponent(c)}`}>
              {t('letters.subscriber', { carrier: c })}
            </a>
          ))}
        </p>
      </section>
    </article>
  );
}
