import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The recovery codes, shown once right after they are made, with a copy button. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation('accounts');
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(codes.join('\n')).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="recovery" data-testid="recovery-codes-panel">
      <h2>{t('recovery.title')}</h2>
      <p className="auth-lead">{t('recovery.lead')}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="recovery-actions">
        <button type="button" className="btn" onClick={copy}>
          {copied ? t('recovery.copied') : t('recovery.copy')}
        </button>
        <button type="button" className="btn btn-primary" data-testid="recovery-codes-done" onClick={onDone}>
          {t('recovery.done')}
        </button>
      </div>
    </div>
  );
}
