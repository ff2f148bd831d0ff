// The studio shell: top bar (who is signed in, language switch, settings) and the routed screen,
// or the sign-in screen when nobody is signed in and no API key is set.
import { lazy, Suspense, useState } from 'react';
import { useI18n } from './i18n/i18n';
import { SETTINGS_CHANGED, storeApiKey, storedApiKey } from './api/client';
import { href, parseRoute, useRoute, type Tab } from './shell/router';
import { PolicyList } from './policies/PolicyList';
import { ErrorState, Loading } from './shell/states';
import { SessionProvider, useSession } from './shell/session';
import { SignIn } from './people/SignIn';
import { UsersScreen } from './people/UsersScreen';
import { loadWorkspace, prefetchPolicyData, useWorkspace } from './editor/load';

const first = parseRoute(location.hash);
if (first.screen === 'policy') { void loadWorkspace(); prefetchPolicyData(first.id); }
const EntitlementsScreen = lazy(() => import('./entitlements/EntitlementsScreen'));
const MonitorScreen = lazy(() => import('./monitor/MonitorScreen'));

export function App() {
  return <SessionProvider><Shell /></SessionProvider>;
}

function Shell() {
  const route = useRoute();
  const { lang, setLang, t } = useI18n();
  const { session, me, signOut, reload } = useSession();
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <div className="app" data-testid="app" data-lang={lang}>
      <header className="topbar">
        <a className="brand" href={href({ screen: 'list' })} data-testid="nav-home">
          <strong>{t('app.title')}</strong> <span className="muted">{t('app.subtitle')}</span>
        </a>
        <nav aria-label={t('app.title')}>
          {session.state === 'ready' && <a href={href({ screen: 'list' })} data-testid="nav-policies">{t('nav.policies')}</a>}
          {session.state === 'ready' && <a href={href({ screen: 'entitlements' })} data-testid="nav-entitlements">{t('nav.entitlements')}</a>}
          {session.state === 'ready' && <a href={href({ screen: 'monitor' })} data-testid="nav-monitor">{t('nav.monitor')}</a>}
          {me?.role === 'admin' && !me.open && <a href={href({ screen: 'users' })} data-testid="nav-users">{t('nav.users')}</a>}
          {me && !me.open && (
            <span className="account" data-testid="account" data-role={me.role}>
              <span className="visually-hidden">{t('account.label')}</span>
              <span data-testid="account-name">{me.name}</span> <span className="muted">({t(`role.${me.role}`)})</span>
            </span>
          )}
          {me?.user && <button type="button" className="link" data-testid="sign-out" onClick={() => void signOut()}>{t('account.signOut')}</button>}
          <button type="button" className="link" data-testid="settings-toggle" aria-expanded={settingsOpen} onClick={() => setSettingsOpen(!settingsOpen)}>{t('nav.settings')}</button>
          <button type="button" className="lang-switch" data-testid="lang-switch" lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</button>
        </nav>
      </header>
      {settingsOpen && <Settings onClose={() => setSettingsOpen(false)} />}
      <main className="app-main">
        {session.state === 'loading' ? <Loading />
          : session.state === 'signed-out' ? <SignIn expired={session.expired} onUseKey={() => setSettingsOpen(true)} />
            : session.state === 'error' ? <ErrorState error={session.error} onRetry={reload} />
              : route.screen === 'list' ? <PolicyList />
                : route.screen === 'users' ? <UsersScreen />
                  : (
                    <Suspense fallback={<Loading />}>
                      {route.screen === 'entitlements' ? <EntitlementsScreen /> : route.screen === 'monitor' ? <MonitorScreen /> : <PolicyScreen id={route.id} tab={route.tab} />}
                    </Suspense>
                  )}
      </main>
    </div>
  );
}

/** The policy's workspace, once the editor's chunk has run (studio/src/editor/load.ts says why
 *  this is not React.lazy). */
function PolicyScreen({ id, tab }: { id: string; tab: Tab }) {
  const { Workspace, error, retry } = useWorkspace();
  if (error) return <ErrorState error={error} onRetry={retry} />;
  return Workspace ? <Workspace id={id} tab={tab} /> : <Loading />;
}

function Settings({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState(storedApiKey() ?? '');
  const [saved, setSaved] = useState(false);
  return (
    <div className="settings" data-testid="settings-panel">
      <label className="field">
        <span className="field-label">{t('settings.apiKey')}</span>
        <input type="password" autoComplete="off" data-testid="settings-api-key" value={key} onChange={(e) => { setKey(e.target.value); setSaved(false); }} />
        <span className="muted small">{t('settings.apiKeyHint')}</span>
      </label>
      <button type="button" className="primary" data-testid="settings-save" onClick={() => { storeApiKey(key.trim()); setSaved(true); window.dispatchEvent(new Event(SETTINGS_CHANGED)); }}>{t('settings.save')}</button>
      <button type="button" onClick={onClose}>{t('common.close')}</button>
      {saved && <span className="muted">{t('settings.saved')}</span>}
    </div>
  );
}
