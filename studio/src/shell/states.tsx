// Shared empty / loading / error states, so every screen shows them the same way.
import type { ReactNode } from 'react';
import { useI18n, useT } from '../i18n/i18n';
import { ApiError } from '../api/client';

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return <div className="state loading" data-testid="loading" role="status"><span className="spinner" />{label ?? t('common.loading')}</div>;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?(): void }) {
  const { lang, t } = useI18n();
  const msg = error instanceof ApiError ? `${error.text(lang)}${error.status ? ` (HTTP ${error.status}, ${error.code})` : ''}` : error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="state error" data-testid="error-state" role="alert">
      <strong>{t('common.error')}</strong>
      <div>{msg}</div>
      {details.length > 0 && <ul>{details.map((d, i) => <li key={i}>{d.path ? `${d.path}: ` : ''}{d.message}</li>)}</ul>}
      {onRetry && <button type="button" onClick={onRetry}>{t('common.retry')}</button>}
    </div>
  );
}

export function Empty({ children, testid }: { children: ReactNode; testid?: string }) {
  return <div className="state empty" data-testid={testid ?? 'empty-state'}>{children}</div>;
}
