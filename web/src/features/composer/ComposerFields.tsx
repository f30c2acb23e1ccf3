import type { ComposeContext, Upload } from '@pier/contracts';
import { useTranslation } from 'react-i18next';

export type Fields = { mailboxId: string; to: string; cc: string; bcc: string; subject: string; uploads: Upload[] };
export const emptyFields: Fields = { mailboxId: '', to: '', cc: '', bcc: '', subject: '', uploads: [] };

/** From, To, Cc/Bcc (shown on demand) and Subject. */
export function ComposerFields({
  fields,
  mailboxes,
  showCc,
  onShowCc,
  change,
}: {
  fields: Fields;
  mailboxes: ComposeContext['mailboxes'] | undefined;
  showCc: boolean;
  onShowCc: () => void;
  change: (patch: Partial<Fields>) => void;
}) {
  const { t } = useTranslation('composer');
  return (
    <div className="composer-fields">
      <label className="composer-row">
        <span>{t('fields.from')}</span>
        <select value={fields.mailboxId} onChange={(e) => change({ mailboxId: e.target.value })} data-testid="composer-from">
          {(mailboxes ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.displayName} &lt;{m.address}&gt;
            </option>
          ))}
        </select>
      </label>
      <label className="composer-row">
        <span>{t('fields.to')}</span>
        <input
          value={fields.to}
          onChange={(e) => change({ to: e.target.value })}
          placeholder={t('fields.recipientsHint')}
          data-testid="composer-to"
          autoComplete="off"
        />
        {!showCc ? (
          <button type="button" className="btn btn-ghost composer-cc-toggle" onClick={onShowCc}>
            {t('fields.showCcBcc')}
          </button>
        ) : null}
      </label>
      {showCc ? (
        <>
          <label className="composer-row">
            <span>{t('fields.cc')}</span>
            <input value={fields.cc} onChange={(e) => change({ cc: e.target.value })} data-testid="composer-cc" autoComplete="off" />
          </label>
          <label className="composer-row">
            <span>{t('fields.bcc')}</span>
            <input value={fields.bcc} onChange={(e) => change({ bcc: e.target.value })} data-testid="composer-bcc" autoComplete="off" />
          </label>
        </>
      ) : null}
      <label className="composer-row">
        <span>{t('fields.subject')}</span>
        <input value={fields.subject} onChange={(e) => change({ subject: e.target.value })} data-testid="composer-subject" />
      </label>
    </div>
  );
}
