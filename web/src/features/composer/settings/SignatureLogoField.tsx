import type { SignatureLogo } from '@pier/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { composerApi } from '../api';

/**
 * The mailbox's logo: uploaded to Pier (PNG, JPEG, GIF or WebP, at most 200 kB), shown from Pier,
 * sent inside each mail. `{{company.logo}}` in the template says where it goes.
 */
export function SignatureLogoField({ mailboxId, logo }: { mailboxId: string; logo: SignatureLogo | null }) {
  const { t } = useTranslation('composer');
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await action();
      setMessage({ ok: true, text: done });
      await queryClient.invalidateQueries({ queryKey: ['signature', mailboxId] });
      await queryClient.invalidateQueries({ queryKey: ['signature-preview', mailboxId] });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sending-field signature-logo-field" data-testid="signature-logo-field">
      <span>{t('settings.logo')}</span>
      <div className="signature-logo-row">
        {logo ? (
          <img className="signature-logo-current" src={logo.url} alt={t('settings.logo')} data-testid="signature-logo-current" />
        ) : (
          <span className="muted">{t('settings.logoNone')}</span>
        )}
        <label className="btn signature-logo-upload">
          {logo ? t('settings.logoReplace') : t('settings.logoUpload')}
          <input
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            disabled={busy}
            data-testid="signature-logo-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void change(() => composerApi.uploadLogo(mailboxId, file), t('settings.logoSaved'));
            }}
          />
        </label>
        {logo ? (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void change(() => composerApi.removeLogo(mailboxId), t('settings.logoRemoved'))}
            data-testid="signature-logo-remove"
          >
            {t('settings.logoRemove')}
          </button>
        ) : null}
      </div>
      <p className="muted signature-logo-hint">
        {t('settings.logoHint', { variable: '{{company.logo}}', interpolation: { escapeValue: false } })}
        {logo ? ` ${t('settings.logoSize', { width: logo.width, height: logo.height, kb: Math.ceil(logo.size / 1024) })}` : ''}
      </p>
      {message ? (
        <span className={message.ok ? 'composer-notice' : 'composer-error'} data-testid="signature-logo-message">
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
