// The users screen (admins): every account with its role and status; change a role, disable or
// re-enable an account, set a password, add an account. The server checks every change.
import { useState, type FormEvent } from 'react';
import { api, ApiError, ROLES, type Role, type UserAccount } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../shell/session';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';

export function UsersScreen() {
  const { lang, t } = useI18n();
  const { me } = useSession();
  const users = useAsync(() => api.users(), []);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (me && me.role !== 'admin') return <p className="muted" data-testid="users-not-allowed">{t('users.notAllowed')}</p>;

  /** Runs one change and says how it went (the server's reason when refused). */
  async function act(done: string, change: () => Promise<unknown>): Promise<boolean> {
    setMessage(null);
    try {
      await change();
      setMessage({ ok: true, text: done });
      users.reload();
      return true;
    } catch (e) {
      const details = e instanceof ApiError && e.details.length ? ` (${e.details.map((d) => d.message).join('; ')})` : '';
      setMessage({ ok: false, text: `${e instanceof ApiError ? e.text(lang) : String(e)}${details}` });
      return false;
    }
  }

  return (
    <section className="screen users-screen" data-testid="users-screen" aria-labelledby="users-title">
      <h2 id="users-title">{t('users.title')}</h2>
      {message && <div className={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'} data-testid="users-message">{message.text}</div>}
      {users.error ? <ErrorState error={users.error} onRetry={users.reload} /> : !users.data ? <Loading /> : (
        <table className="users-table" data-testid="users-table">
          <caption className="visually-hidden">{t('users.caption')}</caption>
          <thead><tr><th scope="col">{t('users.name')}</th><th scope="col">{t('users.role')}</th><th scope="col">{t('users.status')}</th><th scope="col">{t('users.created')}</th><th scope="col">{t('users.actions')}</th></tr></thead>
          <tbody>
            {users.data.map((u) => <UserRow key={u.name} u={u} self={me?.name === u.name} act={act} />)}
          </tbody>
        </table>
      )}
      <AddUser act={act} />
    </section>
  );
}

type Act = (done: string, change: () => Promise<unknown>) => Promise<boolean>;

function RoleSelect({ value, onChange, label, testid }: { value: Role; onChange(r: Role): void; label: string; testid: string }) {
  const { t } = useI18n();
  return (
    <select aria-label={label} data-testid={testid} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
    </select>
  );
}

function UserRow({ u, self, act }: { u: UserAccount; self: boolean; act: Act }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  return (
    <tr data-testid={`user-row-${u.name}`} className={u.disabled ? 'muted' : ''}>
      <th scope="row">{u.name}{self ? t('users.you') : ''}</th>
      <td><RoleSelect value={u.role} label={t('users.roleOf', { name: u.name })} testid={`user-role-${u.name}`}
        onChange={(role) => void act(t('users.changed', { name: u.name }), () => api.changeUser(u.name, { role }))} /></td>
      <td data-testid={`user-status-${u.name}`}>{u.disabled ? t('users.disabled') : t('users.enabled')}</td>
      <td className="small">{u.created_at.slice(0, 10)} · {u.created_by}</td>
      <td className="user-actions">
        {!self && (
          <button type="button" data-testid={`user-toggle-${u.name}`}
            onClick={() => void act(t('users.changed', { name: u.name }), () => api.changeUser(u.name, { disabled: !u.disabled }))}>
            {u.disabled ? t('users.enable') : t('users.disable')}
          </button>
        )}
        <input type="password" autoComplete="new-password" aria-label={t('users.newPassword', { name: u.name })} data-testid={`user-password-${u.name}`}
          value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="button" data-testid={`user-set-password-${u.name}`} disabled={!password}
          onClick={() => void act(t('users.changed', { name: u.name }), () => api.changeUser(u.name, { password })).then((ok) => { if (ok) setPassword(''); })}>
          {t('users.setPassword')}
        </button>
      </td>
    </tr>
  );
}

function AddUser({ act }: { act: Act }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [password, setPassword] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = name.trim().toLowerCase();
    if (await act(t('users.added', { name: n }), () => api.addUser({ name: n, role, password }))) { setName(''); setPassword(''); }
  }
  return (
    <form className="add-user" data-testid="user-add-form" onSubmit={(e) => void submit(e)} aria-labelledby="add-user-title">
      <h3 id="add-user-title">{t('users.add')}</h3>
      <label className="field"><span className="field-label">{t('users.name')}</span>
        <input data-testid="user-add-name" required autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label className="field"><span className="field-label">{t('users.role')}</span>
        <RoleSelect value={role} onChange={setRole} label={t('users.role')} testid="user-add-role" /></label>
      <label className="field"><span className="field-label">{t('users.password')}</span>
        <input data-testid="user-add-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
      <button type="submit" className="primary" data-testid="user-add-submit">{t('users.addSubmit')}</button>
    </form>
  );
}
