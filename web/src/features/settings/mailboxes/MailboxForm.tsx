import { mailboxPurposes } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { BackIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { submitErrorMessage } from '../../auth/formErrors';
import { AutoReplySetting } from '../../auto-reply';
import { SecondApproverSetting } from '../../fraud';
import { mailboxApi, mailboxKeys, usePresets } from './api';
import { type FormValues, findPreset, hasConnection, serverFields } from './form';
import { PresetHelp, ProviderPicker } from './ProviderPicker';
import { ServerFields } from './ServerFields';
import { SignInFields } from './SignInFields';
import { SyncFields } from './SyncFields';
import { parseStatusDetail } from './status';
import { TestConnectionPanel } from './TestConnectionPanel';
import { ProblemText } from './TestResult';
import { MAILBOX_LIST as LIST, type MailboxFormProps, useMailboxForm } from './useMailboxForm';

/** /settings/mailboxes/new */
export function AddMailboxPage() {
  return <MailboxForm mode="add" />;
}

/** /settings/mailboxes/:id — loads the mailbox, then the same form. */
export function EditMailboxPage() {
  const { t } = useTranslation('settings');
  const { id = '' } = useParams();
  const detail = useQuery({ queryKey: mailboxKeys.detail(id), queryFn: () => mailboxApi.detail(id), staleTime: 0 });
  const presets = usePresets();

  if (detail.isPending) {
    return (
      <div className="settings-page narrow" aria-busy="true">
        <BackLink />
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    );
  }
  if (detail.isError) {
    return (
      <div className="settings-page narrow">
        <BackLink />
        <Notice testId="mailbox-load-error">
          <span>{t('form.loadFailed')}</span>
          <span>{errorMessage(detail.error)}</span>
        </Notice>
      </div>
    );
  }
  // Keyed by id: opening another mailbox starts from its own saved values.
  return <MailboxForm key={detail.data.id} mode="edit" detail={detail.data} presets={presets} />;
}

function BackLink() {
  const { t } = useTranslation('settings');
  return (
    <Link to={LIST} className="back-link">
      <BackIcon />
      {t('form.backToList')}
    </Link>
  );
}

/** The add/edit form: the mailbox itself, then its connection; the parts render from useMailboxForm. */
function MailboxForm(props: MailboxFormProps) {
  const { t } = useTranslation('settings');
  const form = useMailboxForm(props);
  const { id, detail, values, save, errorFor, invalid } = form;
  const isEdit = props.mode === 'edit';
  const title = isEdit && detail ? t('form.editTitle', { address: detail.address }) : t('form.addTitle');
  useDocumentTitle(title);
  // The sync loop's last failure, so whoever opens the form to fix it sees what to fix.
  const currentProblem = detail && detail.status !== 'paused' ? parseStatusDetail(detail.statusDetail) : null;

  return (
    <div className="settings-page narrow" data-testid="mailbox-form-page">
      {form.stepUp.dialog}
      <BackLink />
      <h2 className="form-title">{title}</h2>
      <form className="settings-form" data-testid="mailbox-form" data-mode={props.mode} onSubmit={form.onSubmit} noValidate>
        <section className="form-section" aria-labelledby={`${id}-mailbox`}>
          <h3 id={`${id}-mailbox`}>{t('form.mailbox')}</h3>
          <div className="form-grid">
            {isEdit && detail ? (
              <div className="field">
                <span className="label">{t('form.address')}</span>
                <div className="static-value" data-testid="mailbox-address">
                  {detail.address}
                </div>
                <p className="field-hint">{t('form.addressFixed')}</p>
              </div>
            ) : (
              <Field
                id={`${id}-address`}
                data-testid="mailbox-address"
                label={t('form.address')}
                type="email"
                inputMode="email"
                autoComplete="off"
                spellCheck={false}
                placeholder={t('form.addressPlaceholder')}
                hint={t('form.addressHint')}
                error={errorFor('address')}
                invalid={invalid('address')}
                maxLength={320}
                {...form.bindInput('address')}
              />
            )}
            <Field
              id={`${id}-name`}
              data-testid="mailbox-name"
              label={t('form.name')}
              placeholder={t('form.namePlaceholder')}
              hint={t('form.nameHint')}
              autoComplete="off"
              maxLength={120}
              error={errorFor('displayName')}
              invalid={invalid('displayName')}
              {...form.bindInput('displayName')}
            />
            <div className="field">
              <label htmlFor={`${id}-purpose`}>{t('form.purpose')}</label>
              <select
                id={`${id}-purpose`}
                className="select"
                data-testid="mailbox-purpose"
                value={values.purpose}
                aria-invalid={invalid('purpose') ? true : undefined}
                onChange={(event) => form.choosePurpose(event.target.value as FormValues['purpose'])}
              >
                {mailboxPurposes.map((purpose) => (
                  <option key={purpose} value={purpose}>
                    {t(`purposes.${purpose}`)}
                  </option>
                ))}
              </select>
              <p className="field-hint">{t('form.purposeHint')}</p>
            </div>
          </div>
        </section>

        <section className="form-section" aria-labelledby={`${id}-connection`}>
          <h3 id={`${id}-connection`}>{t('form.connection')}</h3>
          <p className="section-intro">{t('form.connectionIntro')}</p>
          {currentProblem ? (
            <div className="current-problem">
              <Notice testId="mailbox-current-problem">
                <strong>{currentProblem.key ? t(`connectionErrors.${currentProblem.key}.title`) : t('mailboxes.status.error')}</strong>
                <ProblemText problem={currentProblem} />
              </Notice>
            </div>
          ) : null}
          <ProviderPicker form={form} />

          {hasConnection(values) ? (
            <>
              <PresetHelp
                preset={findPreset(form.presets, values.preset)}
                presetId={values.preset}
                passwordAuth={values.authMethod !== 'xoauth2'}
              />
              <ServerFields form={form} />
              <SignInFields form={form} />
              <SyncFields form={form} />
              <TestConnectionPanel form={form} />
            </>
          ) : (
            <p className="preset-help none-help">{t('form.noneHint')}</p>
          )}
        </section>

        {save.isError ? (
          <Notice testId="mailbox-save-error">{submitErrorMessage(save.error, serverFields(save.error).map(form.fieldLabel))}</Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="mailbox-save" disabled={save.isPending}>
            {save.isPending ? t('form.saving') : isEdit ? t('form.save') : t('form.create')}
          </button>
          <Link to={LIST} className="btn btn-ghost">
            {t('form.cancel')}
          </Link>
        </div>
      </form>
      {isEdit && detail ? <SecondApproverSetting mailboxId={detail.id} /> : null}
      {isEdit && detail ? <AutoReplySetting mailboxId={detail.id} /> : null}
    </div>
  );
}
