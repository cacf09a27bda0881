import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post, postAndWait } from '../api/client.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { conditionText, effectText, rulesetOf, type Condition, type Rule, type Ruleset } from '../rules/readable.ts';
import { ruleText } from '../rules/texts.ts';

type Row = Record<string, unknown>;

function RuleEditor({ rule, onChange, canEdit }: { rule: Rule; onChange: (r: Rule) => void; canEdit: boolean }): ReactNode {
  const { t } = useTranslation();
  const [text, setText] = useState(JSON.stringify(rule.when, null, 1));
  const [bad, setBad] = useState('');
  useEffect(() => {
    setText(JSON.stringify(rule.when, null, 1));
  }, [rule.when]);
  return (
    <div className="rule-edit">
      {rule.effect.add !== undefined && (
        <label>
          {t('rules.weight')}
          <input
            type="number"
            step="1"
            value={rule.effect.value ?? 0}
            disabled={!canEdit}
            name={`weight-${rule.id}`}
            onChange={(e) => onChange({ ...rule, effect: { ...rule.effect, value: Number(e.target.value) } })}
          />
        </label>
      )}
      <label className="check">
        <input type="checkbox" checked={rule.enabled !== false} disabled={!canEdit} onChange={(e) => onChange({ ...rule, enabled: e.target.checked })} />{' '}
        {t('rules.enabled')}
      </label>
      <label>
        {t('rules.condition')}
        <textarea
          value={text}
          rows={4}
          disabled={!canEdit}
          name={`when-${rule.id}`}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => {
            try {
              onChange({ ...rule, when: JSON.parse(text) as Condition });
              setBad('');
            } catch (err) {
              setBad(String(err));
            }
          }}
        />
      </label>
      {bad && (
        <p className="error" role="alert">
          {t('rules.badJson')}: {bad}
        </p>
      )}
    </div>
  );
}

/** The live ruleset in words; edit a weight or condition, test it against stored reports, publish it. */
export default function Rules(): ReactNode {
  const { t } = useTranslation();
  const { user } = useSession();
  const fmt = useFormat();
  const canEdit = hasRole(user?.role, 'supervisor');
  const live = useApi(() => get<unknown>('/rules'), []);
  const [draft, setDraft] = useState<Ruleset | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [test, setTest] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [message, setMessage] = useState('');
  const [comment, setComment] = useState('');
  const base = rulesetOf(live.data);
  const textKeys = (
    live.data && typeof live.data === 'object' && (live.data as Row).textKeys && typeof (live.data as Row).textKeys === 'object'
      ? (live.data as Row).textKeys
      : {}
  ) as Record<string, string | null>;
  const [threshold, setThreshold] = useState('');
  useEffect(() => {
    if (base) setDraft(structuredClone(base));
  }, [live.data]); // eslint-disable-line react-hooks/exhaustive-deps

  if (live.loading && !live.data) return <Loading />;
  if (live.error) {
    return (
      <section>
        <h1>{t('rules.title')}</h1>
        {live.error.status === 501 ? <Empty>{t('rules.notAvailable')}</Empty> : <ErrorBox error={live.error} retry={live.reload} />}
      </section>
    );
  }
  if (!draft)
    return (
      <section>
        <h1>{t('rules.title')}</h1>
        <Empty>{t('rules.none')}</Empty>
      </section>
    );

  const changed = new Set(draft.rules.filter((r, i) => JSON.stringify(r) !== JSON.stringify(base?.rules[i])).map((r) => r.id));
  const versions = (live.data && typeof live.data === 'object' && Array.isArray((live.data as Row).versions) ? (live.data as Row).versions : []) as Row[];
  const update = (r: Rule): void => setDraft({ ...draft, rules: draft.rules.map((x) => (x.id === r.id ? r : x)) });
  const run = async (what: () => Promise<unknown>, after: (v: unknown) => void): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      after(await what());
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    } finally {
      setBusy(false);
    }
  };
  const testRows = (v: unknown): Row[] => {
    if (!v || typeof v !== 'object') return [];
    const o = v as Row;
    for (const k of ['byTier', 'tiers', 'moves']) if (Array.isArray(o[k])) return o[k] as Row[];
    return [];
  };
  const movedList = (v: unknown, k: string): Row[] => (v && typeof v === 'object' && Array.isArray((v as Row)[k]) ? ((v as Row)[k] as Row[]) : []);

  return (
    <section className="rules">
      <div className="page-head">
        <h1>{t('rules.title')}</h1>
        <span className="muted">
          {draft.name} {draft.version !== undefined ? t('rules.version', { v: draft.version }) : ''}
        </span>
      </div>
      {draft.description && <p>{draft.description}</p>}
      <div aria-live="polite" className="message">
        {message}
      </div>
      {failure && <ErrorBox error={failure} />}

      {draft.tiers && (
        <p className="small">
          {t('rules.tiers')}: {draft.tiers.map((x) => `${t(`tier.${x.name.toLowerCase()}`, { defaultValue: x.name })} ≥ ${x.min}`).join(' · ')}
        </p>
      )}

      <table className="grid rules-table">
        <thead>
          <tr>
            <th scope="col">{t('rules.rule')}</th>
            <th scope="col">{t('rules.when')}</th>
            <th scope="col">{t('rules.effect')}</th>
            <th scope="col">
              <span className="sr-only">{t('rules.edit')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.rules.map((r) => (
            <tr key={r.id} className={`${r.enabled === false ? 'disabled' : ''} ${changed.has(r.id) ? 'changed' : ''}`} data-rule={r.id}>
              <td>
                <strong>{ruleText(t, { rule: r.id, description: r.description, textKey: textKeys[r.id] ?? null })}</strong>
                <div className="muted small">
                  {r.id}
                  {r.source ? ` · ${r.source}` : ''}
                </div>
              </td>
              <td className="mono small">
                {conditionText(r.when)}
                {open === r.id && <RuleEditor rule={r} onChange={update} canEdit={canEdit} />}
              </td>
              <td className="num">{effectText(r.effect)}</td>
              <td>
                <button type="button" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? undefined : r.id)}>
                  {open === r.id ? t('rules.done') : canEdit ? t('rules.edit') : t('rules.show')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {canEdit && (
        <div className="actions sticky">
          <span>{t('rules.changed', { count: changed.size })}</span>
          <label>
            {t('rules.threshold')}
            <input
              type="number"
              min="0"
              step="1"
              name="threshold"
              value={threshold}
              placeholder={t('rules.thresholdDefault')}
              onChange={(e) => setThreshold(e.target.value)}
            />
          </label>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              void run(
                () => post('/rules/test', { ruleset: draft, ...(threshold.trim() ? { threshold: Number(threshold) } : {}) }),
                (v) => {
                  setTest(v);
                  setMessage(t('rules.tested'));
                },
              );
            }}
          >
            {t('rules.test')}
          </button>
          <button
            type="button"
            disabled={busy || changed.size === 0}
            onClick={() => {
              setDraft(base ? structuredClone(base) : draft);
              setTest(undefined);
            }}
          >
            {t('rules.reset')}
          </button>
          <label>
            {t('rules.comment')}
            <input value={comment} onChange={(e) => setComment(e.target.value)} name="comment" />
          </label>
          <button
            type="button"
            disabled={busy || changed.size === 0 || !comment.trim()}
            onClick={() => {
              void run(
                () => postAndWait('/rules/publish', { ruleset: draft, comment }),
                () => {
                  setMessage(t('rules.published'));
                  setComment('');
                  live.reload();
                },
              );
            }}
          >
            {t('rules.publish')}
          </button>
        </div>
      )}

      {test !== undefined && (
        <section aria-labelledby="test-result" className="test-result">
          <h2 id="test-result">{t('rules.testResult')}</h2>
          {(() => {
            // The shape of src/triage/rulesets.ts QueueChange: counts, tiers before/after, tier changes, biggest moves.
            const o = (test && typeof test === 'object' ? test : {}) as Row;
            const num = (v: unknown): number => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : 0);
            const before = (o.tiersBefore ?? {}) as Record<string, number>;
            const afterT = (o.tiersAfter ?? {}) as Record<string, number>;
            const tiers = [...new Set([...Object.keys(before), ...Object.keys(afterT)])];
            const changes = Object.entries((o.tierChanges ?? {}) as Record<string, number>).sort((a, b) => b[1] - a[1]);
            const moves = Array.isArray(o.biggestMoves) ? (o.biggestMoves as Row[]) : [...movedList(test, 'movedUp'), ...movedList(test, 'movedDown')];
            return (
              <>
                <p className="big" data-testid="moved">
                  {t('rules.movedBeyond', {
                    up: num(o.movedUp),
                    down: num(o.movedDown),
                    threshold: num(o.threshold),
                    total: typeof o.reports === 'number' ? o.reports : '—',
                  })}
                </p>
                <p className="small muted">
                  {t('rules.movedRest', { slightly: num(o.movedSlightly), unchanged: num(o.unchanged), threshold: num(o.threshold) })}{' '}
                  {o.before === 'stored' ? t('rules.beforeStored') : t('rules.beforeComputed')}
                </p>
                {tiers.length > 0 && (
                  <table className="grid">
                    <thead>
                      <tr>
                        <th scope="col">{t('queue.col.tier')}</th>
                        <th scope="col">{t('rules.before')}</th>
                        <th scope="col">{t('rules.after')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {tiers.map((k) => (
                        <tr key={k}>
                          <td>{t(`tier.${k.toLowerCase()}`, { defaultValue: k })}</td>
                          <td className="num">{before[k] ?? 0}</td>
                          <td className="num">{afterT[k] ?? 0}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {changes.length > 0 && (
                  <table className="grid" data-testid="tier-changes">
                    <caption>{t('rules.tierChanges')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('rules.from')}</th>
                        <th scope="col">{t('rules.to')}</th>
                        <th scope="col">{t('rules.reports')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {changes.map(([k, n]) => {
                        const [from = '', to = ''] = k.split('→');
                        return (
                          <tr key={k} data-change={k}>
                            <td>{t(`tier.${from.toLowerCase()}`, { defaultValue: from })}</td>
                            <td>{t(`tier.${to.toLowerCase()}`, { defaultValue: to })}</td>
                            <td className="num">{n}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                )}
                {testRows(test).length > 0 && (
                  <table className="grid">
                    <thead>
                      <tr>
                        {Object.keys(testRows(test)[0] ?? {}).map((k) => (
                          <th key={k} scope="col">
                            {k}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {testRows(test).map((r, i) => (
                        <tr key={i}>
                          {Object.values(r).map((v, k) => (
                            <td key={k}>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {moves.length > 0 && (
                  <details open>
                    <summary>{t('rules.biggestMoves')}</summary>
                    <ul>
                      {moves.slice(0, 50).map((r, i) => (
                        <li key={i}>
                          <a href={`#/reports/${encodeURIComponent(String(r.reportId ?? ''))}`}>{String(r.reportId ?? '')}</a>:{' '}
                          {t('rules.place', { from: String(r.from ?? ''), to: String(r.to ?? '') })}
                          {r.tierFrom !== undefined ? ` · ${String(r.tierFrom)} → ${String(r.tierTo)}` : ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </>
            );
          })()}
        </section>
      )}

      <section aria-labelledby="versions">
        <h2 id="versions">{t('rules.versions')}</h2>
        {versions.length === 0 ? (
          <Empty>{t('rules.noVersions')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('rules.versionCol')}</th>
                <th scope="col">{t('queue.col.status')}</th>
                <th scope="col">{t('rules.created')}</th>
                <th scope="col">{t('rules.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v, i) => (
                <tr key={i}>
                  <td>
                    {String(v.version ?? i + 1)} {v.name ? <span className="muted small">{String(v.name)}</span> : null}
                  </td>
                  <td>{t(`rules.status_${String(v.status ?? '')}`, { defaultValue: String(v.status ?? '—') })}</td>
                  <td>{fmt.dateTime(typeof v.createdAt === 'string' ? v.createdAt : typeof v.publishedAt === 'string' ? v.publishedAt : null)}</td>
                  <td>{String(v.comment ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
