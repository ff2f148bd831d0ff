// The sign-in screen: a name and a password (the server sets an httpOnly session cookie). Systems
// and testers may still use an API key from the settings instead.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../shell/session';

export function SignIn({ expired, onUseKey }: { expired: boolean; onUseKey(): void }) {
  const { lang, t } = useI18n();
  const { signIn } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(expired ? t('signin.expired') : null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(name.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError ? err.text(lang) : String(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="signin" data-testid="signin-screen" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      <p className="muted">{t('signin.intro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">{t('signin.name')}</span>
          <input data-testid="signin-name" name="username" autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('signin.password')}</span>
          <input data-testid="signin-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <div className="notice error" role="alert" data-testid="signin-error">{error}</div>}
        <button type="submit" className="primary" data-testid="signin-submit" disabled={busy}>{busy ? t('signin.busy') : t('signin.submit')}</button>
      </form>
      <button type="button" className="link" data-testid="signin-use-key" onClick={onUseKey}>{t('signin.useKey')}</button>
    </section>
  );
}
