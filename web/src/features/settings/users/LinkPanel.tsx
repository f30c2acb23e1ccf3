import type { AccountLink } from '@pier/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from './format';

/** A link to hand to someone (an invitation or a password reset), and whether it went out by mail. */
export type Shown = { name: string; link: AccountLink };

export function LinkPanel({ shown, onClose }: { shown: Shown; onClose: () => void }) {
  const { t } = useTranslation('users');
  const [copied, setCopied] = useState(false);
  return (
    <div className="users-link" role="status" data-testid="user-link-panel">
      <h3>{t('link.title', { name: shown.name })}</h3>
      <p className="muted" data-testid="user-link-status">
        {shown.link.emailed
          ? shown.link.emailedVia
            ? t('link.emailedVia', { mailbox: shown.link.emailedVia })
            : t('link.emailed')
          : shown.link.notEmailedBecause === 'no_public_url'
            ? t('link.notEmailedNoPublicUrl')
            : t('link.notEmailed')}
      </p>
      <input
        className="input users-link-input"
        readOnly
        value={shown.link.link}
        data-testid="user-link"
        aria-label={t('link.title', { name: shown.name })}
      />
      <p className="muted">{t('link.expires', { time: formatTime(shown.link.expiresAt) })}</p>
      <div className="users-invite-actions">
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(shown.link.link).then(() => setCopied(true));
          }}
        >
          {copied ? t('link.copied') : t('link.copy')}
        </button>
        <button type="button" className="btn btn-primary" data-testid="user-link-close" onClick={onClose}>
          {t('link.close')}
        </button>
      </div>
    </div>
  );
}
