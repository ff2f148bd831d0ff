// Browser-test page for the Impact tab while the shell does not mount it yet: the real
// ImpactTab (studio/src/impact) inside the studio's I18nProvider and styles, for the policy
// named by ?policy=. Built by test/e2e/impact.test.ts and served with /api proxied to the real
// compiled server, so every request goes to the real runtime and simulation API.
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../../../studio/src/i18n/i18n';
import { ImpactTab } from '../../../studio/src/impact/ImpactTab';
import '../../../studio/src/styles.css';

const policy = new URLSearchParams(location.search).get('policy') ?? 'dawukou-dibao';
createRoot(document.getElementById('root')!).render(
  <I18nProvider>
    <main className="main"><div className="pane screen" data-testid="impact-screen"><ImpactTab policyId={policy} /></div></main>
  </I18nProvider>,
);
