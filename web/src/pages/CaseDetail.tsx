import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../api/client.ts';
import type { CaseDetailData } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading, TierBadge } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { ReferralPackage } from '../work/ReferralPackage.tsx';

/** Steps of the legal process (src/cases/case-work.ts LEGAL_STATUSES), in order. */
const LEGAL_STATUSES = [
  'none',
  'preservation_requested',
  'preservation_confirmed',
  'wdcd_applied',
  'wdcd_issued',
  'wssecd_applied',
  'wssecd_issued',
  'complaint_filed',
  'case_filed',
  'no_further_action',
];

/** The SHA-256 (and size) of a file chosen on this computer, computed in the browser: the file itself is never sent. */
async function hashFile(f: File): Promise<{ sha256: string; bytes: number }> {
  const digest = await crypto.subtle.digest('SHA-256', await f.arrayBuffer());
  return { sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''), bytes: f.size };
}

/** One case and the work it carries: legal status, communications, handover notes, attachments by hash, reports and subjects with tiers, referral package. */
export default function CaseDetail(): ReactNode {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const c = useApi(() => get<CaseDetailData>(`/cases/${encodeURIComponent(id)}`), [id]);
  const [add, setAdd] = useState('');
  const [reason, setReason] = useState('');
  const [legal, setLegal] = useState('');
  const [legalNote, setLegalNote] = useState('');
  const [comm, setComm] = useState({ text: '', channel: '', direction: 'out', counterpart: '' });
  const [handover, setHandover] = useState('');
  const [att, setAtt] = useState({ name: '', sha256: '', bytes: '', note: '' });
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const act = async (what: () => Promise<unknown>, done: string): Promise<boolean> => {
    setFailure(undefined);
    try {
      await what();
      setMessage(done);
      c.reload();
      return true;
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
      return false;
    }
  };
  if (c.loading && !c.data) return <Loading />;
  if (c.error) return <ErrorBox error={c.error} retry={c.reload} />;
  const k = c.data;
  if (!k) return null;
  const sup = hasRole(user?.role, 'supervisor');
  const lead = sup || user?.id === k.leadId;
  const at = LEGAL_STATUSES.indexOf(k.legalStatus);
  const path = (kind: string): string => `/cases/${encodeURIComponent(id)}/${kind}`;
  const log = k.log.filter((e) => e.kind !== 'handover');
  const handovers = k.log.filter((e) => e.kind === 'handover');
  return (
    <article className="case">
      <div className="page-head">
        <h1>{k.title}</h1>
        <span className="muted">
          {k.id} · {t(`cases.status_${k.status}`, { defaultValue: k.status })}
        </span>
      </div>
      <p>
        {t('cases.leadLine', { lead: k.lead ?? '—', date: fmt.date(k.createdAt) })}
        {k.closedAt ? ` · ${t('cases.closedLine', { date: fmt.date(k.closedAt), reason: k.closeReason ?? '' })}` : ''}
      </p>
      <p className="muted small">{t('cases.deconflictHelp')}</p>
      <div aria-live="polite" className="message">
        {message}
      </div>
      {failure && <ErrorBox error={failure} />}

      <section aria-labelledby="legal">
        <h2 id="legal">{t('work2.legalTitle')}</h2>
        <ol className="legal-steps" data-status={k.legalStatus}>
          {LEGAL_STATUSES.filter((s) => s !== 'none').map((s, i) => (
            <li key={s} className={s === k.legalStatus ? 'current' : i + 1 < at ? 'done' : undefined}>
              {t(`work2.legal_${s}`)}
            </li>
          ))}
        </ol>
        {lead && (
          <form
            className="actions"
            onSubmit={(e) => {
              e.preventDefault();
              if (legal)
                void act(() => post(path('legal'), { status: legal, ...(legalNote.trim() ? { note: legalNote } : {}) }), t('work2.legalSaved')).then((ok) => {
                  if (ok) {
                    setLegal('');
                    setLegalNote('');
                  }
                });
            }}
          >
            <label>
              {t('work2.legalNext')}
              <select name="legalStatus" value={legal} onChange={(e) => setLegal(e.target.value)}>
                <option value="">—</option>
                {LEGAL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`work2.legal_${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('work2.legalNote')}
              <input name="legalNote" value={legalNote} onChange={(e) => setLegalNote(e.target.value)} size={40} />
            </label>
            <button type="submit" disabled={!legal}>
              {t('work2.legalSet')}
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="case-reports">
        <h2 id="case-reports">{t('work2.caseReports', { count: k.reports.length })}</h2>
        {k.hiddenReports > 0 && <p className="muted small">{t('work2.hidden', { count: k.hiddenReports })}</p>}
        {k.reports.length === 0 ? (
          <Empty>{t('cases.noItems')}</Empty>
        ) : (
          <table className="grid case-reports">
            <thead>
              <tr>
                <th scope="col">{t('queue.col.tier')}</th>
                <th scope="col">{t('queue.col.report')}</th>
                <th scope="col">{t('subject.received')}</th>
                <th scope="col">{t('report.esp')}</th>
                <th scope="col">{t('queue.col.status')}</th>
                <th scope="col">{t('work2.via')}</th>
              </tr>
            </thead>
            <tbody>
              {k.reports.map((r) => (
                <tr key={r.reportId} data-report={r.reportId}>
                  <td>
                    <TierBadge tier={r.tier} />
                  </td>
                  <td>
                    <Link to={`/reports/${encodeURIComponent(r.reportId)}`}>{r.reportId}</Link>
                    <div className="muted small">{r.incidentType ? t(`incident.${r.incidentType}`, { defaultValue: r.incidentType }) : ''}</div>
                  </td>
                  <td>{fmt.date(r.receivedAt)}</td>
                  <td>{r.esp ?? '—'}</td>
                  <td>
                    {t(`status.${r.status}`, { defaultValue: r.status })}
                    {r.assignee ? <span className="muted small"> · {r.assignee}</span> : null}
                  </td>
                  <td>
                    {r.viaSubject ? (
                      <Link to={`/subjects/${encodeURIComponent(r.viaSubject)}`}>{r.viaSubject}</Link>
                    ) : (
                      <span className="muted">{t('work2.named')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t('work2.caseSubjects')}</h3>
        {k.subjects.length === 0 ? (
          <Empty>{t('work2.noSubjects')}</Empty>
        ) : (
          <ul className="case-subjects">
            {k.subjects.map((s) => (
              <li key={s.id}>
                <TierBadge tier={s.tier} /> <Link to={`/subjects/${encodeURIComponent(s.id)}`}>{s.id}</Link>{' '}
                <span className="muted small">
                  {t('work2.subjectReports', { count: s.reports })}
                  {s.inCase ? '' : ` · ${t('work2.throughReports')}`}
                </span>
              </li>
            ))}
          </ul>
        )}
        {sup && k.status !== 'closed' && (
          <div className="actions">
            <label>
              {t('cases.addItems')}
              <input value={add} onChange={(e) => setAdd(e.target.value)} name="add" placeholder={t('cases.itemsHelp')} />
            </label>
            <button
              type="button"
              disabled={!add.trim()}
              onClick={() => {
                void act(
                  () =>
                    post(path('items'), {
                      items: add
                        .split(/[\s,]+/)
                        .filter(Boolean)
                        .map((x) =>
                          x.startsWith('subject:') || x.startsWith('S-')
                            ? { kind: 'subject', itemId: x.replace(/^subject:/, '') }
                            : { kind: 'report', itemId: x },
                        ),
                    }),
                  t('work2.itemsAdded'),
                ).then((ok) => {
                  if (ok) setAdd('');
                });
              }}
            >
              {t('cases.add')}
            </button>
          </div>
        )}
      </section>

      <div className="case-grid">
        <section aria-labelledby="comms">
          <h2 id="comms">{t('work2.commsTitle')}</h2>
          {log.length === 0 ? (
            <Empty>{t('work2.noComms')}</Empty>
          ) : (
            <ul className="log comms">
              {log.map((e) => (
                <li key={e.id} className={`log-${e.kind}`}>
                  {e.kind === 'legal' ? (
                    <>
                      <span className="muted small">
                        {fmt.dateTime(e.at)} · {e.author ?? ''} · {t('work2.kind_legal')}
                      </span>
                      <p>
                        <strong>
                          {t(`work2.legal_${e.counterpart ?? 'none'}`, { defaultValue: e.counterpart ?? '' })} →{' '}
                          {t(`work2.legal_${e.channel ?? 'none'}`, { defaultValue: e.channel ?? '' })}
                        </strong>
                        {e.text ? `: ${e.text}` : ''}
                      </p>
                    </>
                  ) : (
                    <>
                      <span className="muted small">
                        {fmt.dateTime(e.at)} · {e.author ?? ''} · {t(`work2.kind_${e.kind}`, { defaultValue: e.kind })}
                        {e.channel ? ` · ${e.channel}` : ''}
                        {e.direction ? ` · ${t(`work2.dir_${e.direction}`)}` : ''}
                        {e.counterpart ? ` · ${e.counterpart}` : ''}
                      </span>
                      <p>{e.text}</p>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          <form
            className="card"
            onSubmit={(e) => {
              e.preventDefault();
              void act(
                () =>
                  post(path('log'), {
                    kind: 'communication',
                    text: comm.text,
                    direction: comm.direction,
                    ...(comm.channel.trim() ? { channel: comm.channel } : {}),
                    ...(comm.counterpart.trim() ? { counterpart: comm.counterpart } : {}),
                  }),
                t('work2.logSaved'),
              ).then((ok) => {
                if (ok) setComm({ text: '', channel: '', direction: 'out', counterpart: '' });
              });
            }}
          >
            <h3>{t('work2.addComm')}</h3>
            <label>
              {t('work2.channel')}
              <input name="channel" value={comm.channel} onChange={(e) => setComm({ ...comm, channel: e.target.value })} placeholder={t('work2.channelHelp')} />
            </label>
            <label>
              {t('work2.direction')}
              <select name="direction" value={comm.direction} onChange={(e) => setComm({ ...comm, direction: e.target.value })}>
                <option value="out">{t('work2.dir_out')}</option>
                <option value="in">{t('work2.dir_in')}</option>
              </select>
            </label>
            <label>
              {t('work2.counterpart')}
              <input name="counterpart" value={comm.counterpart} onChange={(e) => setComm({ ...comm, counterpart: e.target.value })} />
            </label>
            <label>
              {t('work2.what')}
              <textarea name="commText" rows={2} value={comm.text} onChange={(e) => setComm({ ...comm, text: e.target.value })} />
            </label>
            <button type="submit" disabled={!comm.text.trim()}>
              {t('work2.addToLog')}
            </button>
          </form>
        </section>

        <section aria-labelledby="handover">
          <h2 id="handover">{t('work2.handoverTitle')}</h2>
          {handovers.length === 0 ? (
            <Empty>{t('work2.noHandover')}</Empty>
          ) : (
            <ul className="log handovers">
              {[...handovers].reverse().map((e) => (
                <li key={e.id} className="log-handover">
                  <span className="muted small">
                    {fmt.dateTime(e.at)} · {e.author ?? ''}
                  </span>
                  <p>{e.text}</p>
                </li>
              ))}
            </ul>
          )}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => post(path('log'), { kind: 'handover', text: handover }), t('work2.handoverSaved')).then((ok) => {
                if (ok) setHandover('');
              });
            }}
          >
            <label>
              {t('work2.handoverNote')}
              <textarea name="handover" rows={3} value={handover} onChange={(e) => setHandover(e.target.value)} placeholder={t('work2.handoverHelp')} />
            </label>
            <button type="submit" disabled={!handover.trim()}>
              {t('work2.handoverAdd')}
            </button>
          </form>
        </section>
      </div>

      <section aria-labelledby="attachments">
        <h2 id="attachments">{t('work2.attachmentsTitle')}</h2>
        <p className="muted small">{t('work2.attachmentsHelp')}</p>
        {k.attachments.length === 0 ? (
          <Empty>{t('work2.noAttachments')}</Empty>
        ) : (
          <table className="grid attachments">
            <thead>
              <tr>
                <th scope="col">{t('work2.fileName')}</th>
                <th scope="col">SHA-256</th>
                <th scope="col" className="num">
                  {t('work2.bytes')}
                </th>
                <th scope="col">{t('work2.addedBy')}</th>
                <th scope="col">{t('work2.note')}</th>
              </tr>
            </thead>
            <tbody>
              {k.attachments.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td className="mono">{a.sha256}</td>
                  <td className="num">{fmt.num(a.bytes)}</td>
                  <td>
                    {a.addedBy ?? ''} <span className="muted small">{fmt.dateTime(a.addedAt)}</span>
                  </td>
                  <td>{a.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () =>
                post(path('attachments'), {
                  name: att.name,
                  sha256: att.sha256.trim(),
                  ...(att.bytes ? { bytes: Number(att.bytes) } : {}),
                  ...(att.note.trim() ? { note: att.note } : {}),
                }),
              t('work2.attachmentSaved'),
            ).then((ok) => {
              if (ok) setAtt({ name: '', sha256: '', bytes: '', note: '' });
            });
          }}
        >
          <h3>{t('work2.addAttachment')}</h3>
          <label>
            {t('work2.hashLocal')}
            <input
              type="file"
              name="hashFile"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f)
                  void hashFile(f).then(
                    (h) => setAtt({ ...att, name: f.name, sha256: h.sha256, bytes: String(h.bytes) }),
                    () => setFailure(new ApiError(0, 'CLIENT', t('work2.hashUnavailable'))),
                  );
              }}
            />
          </label>
          <label>
            {t('work2.fileName')}
            <input name="attName" value={att.name} onChange={(e) => setAtt({ ...att, name: e.target.value })} />
          </label>
          <label>
            SHA-256
            <input name="sha256" value={att.sha256} onChange={(e) => setAtt({ ...att, sha256: e.target.value })} size={66} className="mono" />
          </label>
          <label>
            {t('work2.note')}
            <input name="attNote" value={att.note} onChange={(e) => setAtt({ ...att, note: e.target.value })} />
          </label>
          <button type="submit" disabled={!att.name.trim() || !/^[0-9a-fA-F]{64}$/.test(att.sha256.trim())}>
            {t('work2.recordAttachment')}
          </button>
        </form>
      </section>

      <section aria-labelledby="case-referrals">
        <h2 id="case-referrals">{t('report.referrals')}</h2>
        {k.referrals.length === 0 ? (
          <Empty>{t('report.noReferrals')}</Empty>
        ) : (
          <ul className="case-referrals">
            {k.referrals.map((r) => (
              <li key={r.id}>
                {t(`report.refType_${r.type}`, { defaultValue: r.type })} → <strong>{r.agency}</strong> · {fmt.dateTime(r.sentAt)}
              </li>
            ))}
          </ul>
        )}
        <ReferralPackage kind="case" id={id} onSent={c.reload} />
      </section>

      {sup && k.status !== 'closed' && (
        <section aria-labelledby="close-case">
          <h2 id="close-case">{t('cases.close')}</h2>
          <div className="actions">
            <label>
              {t('cases.closeReason')}
              <input value={reason} onChange={(e) => setReason(e.target.value)} name="closeReason" />
            </label>
            <button
              type="button"
              disabled={!reason.trim()}
              onClick={() => {
                void act(() => post(path('close'), { reason }), t('work2.caseClosed'));
              }}
            >
              {t('cases.close')}
            </button>
          </div>
        </section>
      )}
    </article>
  );
}
