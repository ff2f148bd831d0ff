// The studio shell: top bar (language switch, settings) and the routed screen.
import { lazy, Suspense, useState } from 'react';
import { useI18n } from './i18n/i18n';
import { SETTINGS_CHANGED, storeApiKey, storedApiKey } from './api/client';
import { href, useRoute } from './shell/router';
import { PolicyList } from './policies/PolicyList';
import { Loading } from './shell/states';

const Workspace = lazy(() => import('./editor/Workspace'));
const MonitorScreen = lazy(() => import('./monitor/MonitorScreen'));

export function App() {
  const route = useRoute();
  const { lang, setLang, t } = useI18n();
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <div className="app" data-testid="app" data-lang={lang}>
      <header className="topbar">
        <a className="brand" href={href({ screen: 'list' })} data-testid="nav-home">
          <strong>{t('app.title')}</strong> <span className="muted">{t('app.subtitle')}</span>
        </a>
        <nav>
          <a href={href({ screen: 'list' })} data-testid="nav-policies">{t('nav.policies')}</a>
          <a href={href({ screen: 'monitor' })} data-testid="nav-monitor">{t('nav.monitor')}</a>
          <button type="button" className="link" data-testid="settings-toggle" onClick={() => setSettingsOpen(!settingsOpen)}>{t('nav.settings')}</button>
          <button type="button" className="lang-switch" data-testid="lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</button>
        </nav>
      </header>
      {settingsOpen && <Settings onClose={() => setSettingsOpen(false)} />}
      <main className="app-main">
        {route.screen === 'list' ? <PolicyList /> : route.screen === 'monitor' ? (
          <Suspense fallback={<Loading />}><MonitorScreen /></Suspense>
        ) : (
          <Suspense fallback={<Loading />}>
            <Workspace id={route.id} tab={route.tab} />
          </Suspense>
        )}
      </main>
    </div>
  );
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
