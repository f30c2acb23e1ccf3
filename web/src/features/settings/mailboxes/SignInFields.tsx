import { useTranslation } from 'react-i18next';
import { Field } from '../../../ui/Field';
import { type FormValues, findPreset, secretRequired, serverMoved } from './form';
import type { MailboxFormModel } from './useMailboxForm';

/** User name, sign-in method (presets that offer XOAUTH2), the password or token, and the OAuth renewal. */
export function SignInFields({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { id, values } = form;
  const preset = findPreset(form.presets, values.preset);
  const xoauth2 = values.authMethod === 'xoauth2';
  return (
    <div className="form-grid">
      <Field
        id={`${id}-user`}
        data-testid="mailbox-user"
        label={t('form.user')}
        hint={t('form.userHint')}
        autoComplete="off"
        spellCheck={false}
        maxLength={320}
        error={form.errorFor('user')}
        invalid={form.invalid('user')}
        {...form.bindInput('user')}
      />
      {preset?.supportsXoauth2 ? (
        <div className="field">
          <label htmlFor={`${id}-auth`}>{t('form.authMethod')}</label>
          <select
            id={`${id}-auth`}
            className="select"
            data-testid="mailbox-auth-method"
            value={values.authMethod}
            onChange={(event) => form.update({ authMethod: event.target.value as FormValues['authMethod'], secret: '' })}
          >
            <option value="password">{t('form.authPassword')}</option>
            <option value="xoauth2">{t('form.authXoauth2')}</option>
          </select>
        </div>
      ) : null}
      <SecretField form={form} />
      {xoauth2 && preset?.oauthTokenEndpoint ? <OAuthFields form={form} /> : null}
    </div>
  );
}

/**
 * The password (or access token). Its hint says whether the saved one is kept, or, when a server
 * moved, why it must be typed again.
 */
function SecretField({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { id, values, detail } = form;
  const xoauth2 = values.authMethod === 'xoauth2';
  const savedSecret = Boolean(detail?.connection?.hasSecret) && !secretRequired(values, detail);
  // A saved secret exists but the server moved: say why the password is asked for again.
  const secretAgain = Boolean(detail?.connection?.hasSecret) && serverMoved(values, detail);
  return (
    <Field
      id={`${id}-secret`}
      data-testid="mailbox-password"
      label={xoauth2 ? t('form.accessToken') : t('form.password')}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      maxLength={xoauth2 ? 8192 : 1024}
      placeholder={savedSecret ? t('form.unchanged') : undefined}
      hint={savedSecret ? t('form.unchangedHint') : secretAgain ? t('form.secretAgainHint') : xoauth2 ? t('form.xoauth2Hint') : undefined}
      error={form.errorFor('secret')}
      invalid={form.invalid('secret') || form.needsSecretForTest}
      {...form.bindInput('secret')}
    />
  );
}

/** XOAUTH2 renewal for presets with a token endpoint (Google, Microsoft 365): refresh token and client. */
function OAuthFields({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { id, values, detail } = form;
  const savedSecret = Boolean(detail?.connection?.hasSecret) && !secretRequired(values, detail);
  return (
    <>
      <Field
        id={`${id}-oauth-refresh`}
        data-testid="mailbox-oauth-refresh-token"
        label={t('form.oauthRefreshToken')}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        maxLength={8192}
        placeholder={savedSecret ? t('form.unchanged') : undefined}
        hint={t('form.oauthRefreshHint')}
        error={form.errorFor('oauthRefreshToken')}
        invalid={form.invalid('oauthRefreshToken')}
        {...form.bindInput('oauthRefreshToken')}
      />
      <Field
        id={`${id}-oauth-client-id`}
        data-testid="mailbox-oauth-client-id"
        label={t('form.oauthClientId')}
        spellCheck={false}
        maxLength={512}
        error={form.errorFor('oauthClientId')}
        invalid={form.invalid('oauthClientId')}
        {...form.bindInput('oauthClientId')}
      />
      <Field
        id={`${id}-oauth-client-secret`}
        data-testid="mailbox-oauth-client-secret"
        label={t('form.oauthClientSecret')}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        maxLength={1024}
        error={form.errorFor('oauthClientSecret')}
        invalid={form.invalid('oauthClientSecret')}
        {...form.bindInput('oauthClientSecret')}
      />
    </>
  );
}
