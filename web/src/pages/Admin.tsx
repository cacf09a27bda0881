import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, patch, post, upload } from '../api/client.ts';
import type { Role, User, Warninglist } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { hasRole, useSession } from '../auth/session.tsx';
import { Empty, ErrorBox, Loading } from '../components/status.tsx';
import { useFormat } from '../i18n/format.ts';
import { Templates } from './Templates.tsx';
import { HashListImport, ProcessJob } from '../upload/HashListImport.tsx';

type Row = Record<string, unknown>;
const ROLES: Role[] = ['analyst', 'supervisor', 'admin', 'auditor'];

function useAction(after: () => void): { failure: ApiError | undefined; run: (what: () => Promise<unknown>) => Promise<void>; note: string } {
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [note, setNote] = useState('');
  const run = async (what: () => Promise<unknown>): Promise<void> => {
    setFailure(undefined);
    setNote('');
    try {
      const r = await what();
      if (r && typeof r === 'object' && typeof (r as Row).totpUri === 'string') setNote(String((r as Row).totpUri));
      after();
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
    }
  };
  return { failure, run, note };
}

function Users(): ReactNode {
  const { t } = useTranslation();
  const users = useApi(() => get<Array<User & { disabled: boolean; totpEnabled: boolean }>>('/users'), []);
  const { failure, run, note } = useAction(users.reload);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'analyst' as Role, team: '' });
  return (
    <section aria-labelledby="users">
      <h2 id="users">{t('admin.users')}</h2>
      {users.loading && !users.data && <Loading />}
      {users.error && <ErrorBox error={users.error} retry={users.reload} />}
      {failure && <ErrorBox error={failure} />}
      {note && (
        <p className="warn" role="note">
          {t('admin.totpOnce')} <code>{note}</code>
        </p>
      )}
      {users.data && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('admin.username')}</th>
              <th scope="col">{t('admin.displayName')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.team')}</th>
              <th scope="col">{t('admin.state')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>
                  <select
                    aria-label={t('admin.roleOf', { name: u.username })}
                    value={u.role}
                    onChange={(e) => {
                      void run(() => patch(`/users/${u.id}`, { role: e.target.value }));
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.team ?? '—'}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      void run(() => patch(`/users/${u.id}`, { disabled: !u.disabled }));
                    }}
                  >
                    {u.disabled ? t('admin.enable') : t('admin.disable')}
                  </button>{' '}
                  {u.totpEnabled ? t('admin.totpOn') : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => post('/users', { ...form, team: form.team || null }));
        }}
      >
        <h3>{t('admin.newUser')}</h3>
        <label>
          {t('admin.username')}
          <input required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        </label>
        <label>
          {t('admin.displayName')}
          <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        </label>
        <label>
          {t('login.password')}
          <input type="password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" />
        </label>
        <label>
          {t('admin.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.team')}
          <input value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} />
        </label>
        <button type="submit">{t('admin.create')}</button>
      </form>
    </section>
  );
}

function HashLists(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lists = useApi(() => get<Row[]>('/hashlists'), []);
  const { failure, run } = useAction(lists.reload);
  // The processing a switch queued (its entries mark the reports they touch).
  const [job, setJob] = useState<string | null>(null);
  return (
    <section aria-labelledby="hashlists">
      <h2 id="hashlists">{t('admin.hashLists')}</h2>
      {lists.loading && !lists.data && <Loading />}
      {lists.error && <ErrorBox error={lists.error} retry={lists.reload} />}
      {failure && <ErrorBox error={failure} />}
      {lists.data &&
        (lists.data.length === 0 ? (
          <Empty>{t('admin.noHashLists')}</Empty>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.entries')}</th>
                <th scope="col">{t('admin.state')}</th>
              </tr>
            </thead>
            <tbody>
              {lists.data.map((l) => (
                <tr key={String(l.id)}>
                  <td>{String(l.name)}</td>
                  <td className="num">{fmt.num(Number(l.entryCount))}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        void run(async () => {
                          const r = await post<{ processJob: string | null }>(`/hashlists/${encodeURIComponent(String(l.name))}/enable`, {
                            enabled: !l.enabled,
                          });
                          setJob(r.processJob);
                        });
                      }}
                    >
                      {l.enabled ? t('admin.disable') : t('admin.enable')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {job && (
        <div data-testid="hashlist-switch-job">
          <ProcessJob key={job} id={job} />
        </div>
      )}
      <p className="muted small">{t('admin.hashUpdateHint')}</p>
      <HashListImport onImported={lists.reload} />
    </section>
  );
}

function Warninglists(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useSession();
  const admin = user?.role === 'admin';
  const lists = useApi(() => get<Warninglist[]>('/warninglists'), []);
  const [done, setDone] = useState('');
  const { failure, run } = useAction(lists.reload);
  const [files, setFiles] = useState<File[]>([]);
  return (
    <section aria-labelledby="warninglists">
      <h2 id="warninglists">{t('admin.warninglists')}</h2>
      <p className="muted small">{t('admin.warninglistsHint')}</p>
      {lists.loading && !lists.data && <Loading />}
      {lists.error && <ErrorBox error={lists.error} retry={lists.reload} />}
      {failure && <ErrorBox error={failure} />}
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {lists.data &&
        (lists.data.length === 0 ? (
          <Empty>{t('admin.noWarninglists')}</Empty>
        ) : (
          <table className="grid warninglists">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.wlType')}</th>
                <th scope="col">{t('admin.entries')}</th>
                <th scope="col">{t('admin.wlImported')}</th>
                <th scope="col">{t('admin.state')}</th>
              </tr>
            </thead>
            <tbody>
              {lists.data.map((l) => (
                <tr key={l.name} data-name={l.name}>
                  <td>
                    {l.name}
                    {l.description ? <div className="muted small">{l.description}</div> : null}
                  </td>
                  <td>{l.type}</td>
                  <td className="num">{fmt.num(l.entries)}</td>
                  <td className="small">
                    {fmt.dateTime(l.importedAt)}
                    <div className="muted">{l.source}</div>
                  </td>
                  <td>
                    {admin ? (
                      <button
                        type="button"
                        aria-label={t(l.enabled ? 'admin.disableNamed' : 'admin.enableNamed', { name: l.name })}
                        onClick={() => {
                          void run(() => post(`/warninglists/${encodeURIComponent(l.name)}/enable`, { enabled: !l.enabled }));
                        }}
                      >
                        {l.enabled ? t('admin.disable') : t('admin.enable')}
                      </button>
                    ) : l.enabled ? (
                      t('admin.wlOn')
                    ) : (
                      t('admin.wlOff')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {admin && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (files.length === 0) return;
            const f = new FormData();
            for (const file of files) f.append('file', file);
            void run(async () => {
              const r = await upload<Array<{ name: string; outcome: string }>>('/warninglists', f);
              setDone(r.map((x) => t(`admin.wlOutcome.${x.outcome}`, { name: x.name })).join(' '));
            });
          }}
        >
          <h3>{t('admin.importWarninglist')}</h3>
          <label>
            {t('admin.wlFiles')}
            <input type="file" accept=".json,application/json" multiple required onChange={(e) => setFiles([...(e.target.files ?? [])])} />
          </label>
          <button type="submit">{t('admin.import')}</button>
        </form>
      )}
    </section>
  );
}

function Audit(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [user, setUser] = useState('');
  const [from, setFrom] = useState('');
  const rows = useApi(() => get<Row[]>('/audit', { user: user || undefined, from: from ? new Date(from).toISOString() : undefined, limit: 200 }), [user, from]);
  const verify = useApi(() => get<{ ok: boolean; entries: number; firstBad?: { seq: number; problem: string } }>('/audit/verify'), []);
  return (
    <section aria-labelledby="audit">
      <h2 id="audit">{t('admin.audit')}</h2>
      {verify.data && (
        <p className={verify.data.ok ? 'ok' : 'error'} role="status">
          {verify.data.ok
            ? t('admin.chainOk', { count: verify.data.entries })
            : t('admin.chainBad', { seq: verify.data.firstBad?.seq ?? '?', problem: verify.data.firstBad?.problem ?? '' })}
        </p>
      )}
      {verify.error && <ErrorBox error={verify.error} />}
      <div className="filters">
        <label>
          {t('admin.userId')}
          <input value={user} onChange={(e) => setUser(e.target.value.replace(/\D/g, ''))} inputMode="numeric" />
        </label>
        <label>
          {t('admin.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
      </div>
      {rows.loading && !rows.data && <Loading />}
      {rows.error && <ErrorBox error={rows.error} retry={rows.reload} />}
      {rows.data &&
        (rows.data.length === 0 ? (
          <Empty>{t('admin.noAudit')}</Empty>
        ) : (
          <table className="grid small">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('admin.when')}</th>
                <th scope="col">{t('admin.who')}</th>
                <th scope="col">{t('admin.action')}</th>
                <th scope="col">{t('admin.target')}</th>
                <th scope="col">{t('admin.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={String(r.seq)}>
                  <td>{String(r.seq)}</td>
                  <td>{fmt.dateTime(String(r.at))}</td>
                  <td>{String(r.username ?? r.userId ?? '—')}</td>
                  <td>{String(r.action)}</td>
                  <td>{[r.targetKind, r.targetId].filter(Boolean).join(' ')}</td>
                  <td className="mono">{r.detail ? JSON.stringify(r.detail).slice(0, 120) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

/** Backs up the embedded database while the server runs (the server is the one process that may open it). */
function Backup(): ReactNode {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ name: string; bytes: number } | undefined>();
  const { failure, run } = useAction(() => {});
  const backUp = (): Promise<void> =>
    run(async () => {
      setBusy(true);
      setDone(undefined);
      try {
        setDone(await post<{ name: string; bytes: number }>('/admin/backup'));
      } finally {
        setBusy(false);
      }
    });
  return (
    <section aria-labelledby="backup">
      <h2 id="backup">{t('admin.backup')}</h2>
      <p className="muted small">{t('admin.backupHint')}</p>
      <button type="button" disabled={busy} onClick={() => void backUp()}>
        {t('admin.backupNow')}
      </button>
      {done && (
        <p className="ok" role="status">
          {t('admin.backupDone', { name: done.name, mb: (done.bytes / 1e6).toFixed(1) })}
        </p>
      )}
      {failure && <ErrorBox error={failure} />}
    </section>
  );
}

/** Users and roles, hash lists, warninglists (read by analysts, managed by admins) and the audit trail, each shown to the roles that may use it. */
export default function Admin(): ReactNode {
  const { t } = useTranslation();
  const { user } = useSession();
  const tabs: Array<[string, string, boolean]> = [
    ['users', t('admin.users'), user?.role === 'admin'],
    ['hashes', t('admin.hashLists'), hasRole(user?.role, 'supervisor')],
    ['warninglists', t('admin.warninglists'), hasRole(user?.role, 'analyst')],
    ['audit', t('admin.audit'), hasRole(user?.role, 'auditor')],
    ['templates', t('templates.title'), hasRole(user?.role, 'supervisor')],
  ];
  const visible = tabs.filter((x) => x[2]);
  const [tab, setTab] = useState(visible[0]?.[0] ?? '');
  if (visible.length === 0) return <Empty>{t('errors.forbidden')}</Empty>;
  return (
    <section>
      <div className="page-head">
        <h1>{t('admin.title')}</h1>
      </div>
      <div role="tablist" className="seg" aria-label={t('admin.title')}>
        {visible.map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'users' && (
          <>
            <Users />
            <Backup />
          </>
        )}
        {tab === 'hashes' && <HashLists />}
        {tab === 'warninglists' && <Warninglists />}
        {tab === 'audit' && <Audit />}
        {tab === 'templates' && <Templates />}
      </div>
    </section>
  );
}
