import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { TokensSection } from './TokensSection';
import { WebhooksSection } from './WebhooksSection';
import './api.css';

/** Settings → API and webhooks (decision 0049). */
export function ApiPage() {
  const { t } = useTranslation('api');
  useDocumentTitle(t('pageTitle'));
  return (
    <div className="settings-page" data-testid="api-page">
      <header className="page-head">
        <div>
          <h2>{t('pageTitle')}</h2>
          <p className="page-intro">
            {t('intro')}{' '}
            <a href="/api/docs" target="_blank" rel="noreferrer">
              {t('docsLink')}
            </a>
            .
          </p>
        </div>
      </header>
      <TokensSection />
      <WebhooksSection />
    </div>
  );
}
