import { type TlsMode, tlsModes } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import type { MailboxFormModel } from './useMailboxForm';

/** The IMAP and SMTP rows: host, port and security mode of each server. */
export function ServerFields({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  return (
    <fieldset className="servers">
      <legend className="visually-hidden">{t('form.connection')}</legend>
      <div className="servers-head" aria-hidden="true">
        <span />
        <span>{t('form.server')}</span>
        <span>{t('form.port')}</span>
        <span>{t('form.security')}</span>
      </div>
      <ServerRow side="imap" label={t('form.imap')} longLabel={t('form.imapLong')} form={form} />
      <ServerRow side="smtp" label={t('form.smtp')} longLabel={t('form.smtpLong')} form={form} />
    </fieldset>
  );
}

function ServerRow(props: { side: 'imap' | 'smtp'; label: string; longLabel: string; form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { side, form } = props;
  const host = side === 'imap' ? 'imapHost' : 'smtpHost';
  const port = side === 'imap' ? 'imapPort' : 'smtpPort';
  const tlsField = side === 'imap' ? 'imapTls' : 'smtpTls';
  const tls = form.values[tlsField];
  const errors = [form.errorFor(host), form.errorFor(port)].filter(Boolean);
  const { ref: hostRef, ...hostProps } = form.bindInput(host);
  const { ref: portRef, ...portProps } = form.bindInput(port);
  return (
    <>
      <fieldset className="server-row">
        <legend className="visually-hidden">{props.longLabel}</legend>
        <span className="server-label" title={props.longLabel} aria-hidden="true">
          {props.label}
        </span>
        <input
          className="input"
          data-testid={`mailbox-${side}-host`}
          aria-label={t(`form.fieldNames.${host}`)}
          autoComplete="off"
          spellCheck={false}
          maxLength={255}
          ref={hostRef}
          {...hostProps}
        />
        <input
          className="input"
          data-testid={`mailbox-${side}-port`}
          aria-label={t(`form.fieldNames.${port}`)}
          inputMode="numeric"
          autoComplete="off"
          maxLength={5}
          ref={portRef}
          {...portProps}
        />
        <select
          className="select"
          data-testid={`mailbox-${side}-tls`}
          aria-label={t(`form.fieldNames.${tlsField}`)}
          value={tls}
          onChange={(event) => {
            const mode = event.target.value as TlsMode;
            form.update(side === 'imap' ? { imapTls: mode } : { smtpTls: mode });
          }}
        >
          {tlsModes.map((mode) => (
            <option key={mode} value={mode}>
              {t(`form.tls.${mode}`)}
            </option>
          ))}
        </select>
      </fieldset>
      {errors.length > 0 ? <p className="field-error server-error">{errors.join(' ')}</p> : null}
    </>
  );
}
