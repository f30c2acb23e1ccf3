import type { ConnectionTestResult, CreateMailbox, MailboxDetail, MailboxPreset, UpdateMailbox } from '@pier/contracts';
import { mailboxPurposes, tlsModes } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiRequestError } from '../../../api/client';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { BackIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { useStepUp } from '../../accounts/StepUp';
import { submitErrorMessage } from '../../auth/formErrors';
import { SecondApproverSetting } from '../../fraud';
import { CheckIcon } from '../icons';
import { mailboxApi, mailboxKeys, refreshAfterChange, usePresets } from './api';
import {
  applyPreset,
  connectionChanged,
  FIELD_ORDER,
  type FieldName,
  type FormValues,
  findPreset,
  guessPurpose,
  hasConnection,
  isKnownPreset,
  NO_CONNECTION,
  newMailboxValues,
  type Problems,
  SYNC_FOLDERS,
  SYNC_WINDOWS,
  secretRequired,
  serverFields,
  serverMoved,
  serverSettingsChanged,
  toConnection,
  validate,
  valuesFromDetail,
} from './form';
import type { Flash } from './MailboxesPage';
import { parseStatusDetail } from './status';
import { ProblemText, TestResult } from './TestResult';

const LIST = '/settings/mailboxes';

/** Fields the connection test depends on: their problems show when "Test connection" is pressed. */
const TEST_FIELDS: readonly FieldName[] = ['imapHost', 'imapPort', 'smtpHost', 'smtpPort', 'user', 'secret'];

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

type FormProps = { mode: 'add' } | { mode: 'edit'; detail: MailboxDetail; presets: readonly MailboxPreset[] };

function MailboxForm(props: FormProps) {
  const { t } = useTranslation('settings');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const presets = usePresets();
  const detail = props.mode === 'edit' ? props.detail : undefined;
  const isEdit = props.mode === 'edit';
  const [values, setValues] = useState<FormValues>(() =>
    props.mode === 'edit' ? valuesFromDetail(props.detail, props.presets) : newMailboxValues(presets),
  );
  // The user name follows the address, and the purpose is guessed from it, until edited by hand.
  const touched = useRef({ user: isEdit, purpose: isEdit });
  const [attempted, setAttempted] = useState(false);
  const [testAttempted, setTestAttempted] = useState(false);
  const [needsSecretForTest, setNeedsSecretForTest] = useState(false);
  const inputs = useRef<Partial<Record<FieldName, HTMLElement | null>>>({});
  const id = useId();

  useDocumentTitle(isEdit && detail ? t('form.editTitle', { address: detail.address }) : t('form.addTitle'));

  useEffect(() => {
    inputs.current[isEdit ? 'displayName' : 'address']?.focus();
  }, [isEdit]);

  // Saving servers or a secret, and testing them, need a fresh step-up (password + code).
  const stepUp = useStepUp();
  const save = useMutation({
    mutationFn: (form: FormValues): Promise<MailboxDetail> => stepUp.run(() => saveMailbox(form)),
    onSuccess: (saved) => {
      refreshAfterChange(queryClient, saved);
      const flash: Flash = { key: detail ? 'saved' : saved.connection ? 'added' : 'addedListener', address: saved.address };
      navigate(LIST, { state: { flash } });
    },
  });
  const saveMailbox = (form: FormValues): Promise<MailboxDetail> => {
    const connection = hasConnection(form) ? toConnection(form) : undefined;
    if (!detail) {
      const body: CreateMailbox = {
        address: form.address.trim(),
        displayName: form.displayName.trim(),
        purpose: form.purpose,
        ...(connection ? { connection } : {}),
      };
      return mailboxApi.create(body);
    }
    const body: UpdateMailbox = {
      displayName: form.displayName.trim(),
      purpose: form.purpose,
      // Sending unchanged settings would restart nothing useful: only send the connection when it changed.
      ...(connection && connectionChanged(form, detail) ? { connection } : {}),
    };
    return mailboxApi.update(detail.id, body);
  };

  const test = useMutation<ConnectionTestResult, unknown, { byId: boolean }>({
    mutationFn: ({ byId }) =>
      stepUp.run(() =>
        byId && detail
          ? mailboxApi.test(detail.id)
          : mailboxApi.testDraft({ address: values.address.trim() || values.user.trim(), connection: toConnection(values) }),
      ),
  });

  const preset = findPreset(presets, values.preset);
  const connected = hasConnection(values);
  const problems = validate(values, { mode: props.mode, detail });
  const shown: Problems = attempted
    ? problems
    : testAttempted
      ? Object.fromEntries(TEST_FIELDS.filter((field) => problems[field]).map((field) => [field, problems[field]]))
      : {};
  const rejected = serverFields(save.error ?? test.error);
  const addressTaken = save.error instanceof ApiRequestError && save.error.code === 'mailbox.address_taken';
  const errorFor = (field: FieldName): string | undefined => {
    const key = shown[field];
    if (key) return t(`form.validation.${key}`);
    if (field === 'address' && addressTaken) return errorMessage(save.error);
    return undefined;
  };
  const invalid = (field: FieldName) => rejected.includes(field) || Boolean(errorFor(field));
  const fieldLabel = (field: FieldName) => t(`form.fieldNames.${field}`);

  /** Changing anything the test depends on makes an earlier result stale: clear it. */
  const update = (patch: Partial<FormValues>, affectsTest = true) => {
    setValues((prev) => ({ ...prev, ...patch }));
    if (affectsTest) {
      test.reset();
      setNeedsSecretForTest(false);
    }
  };

  const bindInput = (
    field:
      | 'address'
      | 'displayName'
      | 'imapHost'
      | 'imapPort'
      | 'smtpHost'
      | 'smtpPort'
      | 'user'
      | 'secret'
      | 'oauthRefreshToken'
      | 'oauthClientId'
      | 'oauthClientSecret',
  ) => ({
    value: values[field],
    ref: (el: HTMLElement | null) => {
      inputs.current[field] = el;
    },
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.target.value;
      if (field === 'user') touched.current.user = true;
      if (field === 'address') {
        const patch: Partial<FormValues> = { address: value };
        if (!touched.current.user) patch.user = value.trim();
        const guess = touched.current.purpose ? null : guessPurpose(value);
        if (guess) patch.purpose = guess;
        update(patch);
        return;
      }
      update({ [field]: value }, field !== 'displayName');
    },
    'aria-invalid': invalid(field) ? true : undefined,
  });

  const focusFirst = (fields: readonly FieldName[]) => {
    const first = FIELD_ORDER.find((field) => fields.includes(field));
    if (first) inputs.current[first]?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    const fields = Object.keys(problems) as FieldName[];
    if (fields.length > 0) {
      focusFirst(fields);
      return;
    }
    save.mutate(values);
  };

  const onTest = () => {
    setTestAttempted(true);
    setNeedsSecretForTest(false);
    const blocking = TEST_FIELDS.filter((field) => problems[field]);
    if (blocking.length > 0) {
      focusFirst(blocking);
      return;
    }
    if (!values.secret && !secretRequired(values, detail)) {
      // No password typed, one is saved: the saved one can only be used for the saved settings.
      if (serverSettingsChanged(values, detail)) {
        setNeedsSecretForTest(true);
        inputs.current.secret?.focus();
        return;
      }
      test.mutate({ byId: true });
      return;
    }
    test.mutate({ byId: false });
  };

  const onPreset = (event: ChangeEvent<HTMLSelectElement>) => {
    const next = event.target.value;
    if (next === NO_CONNECTION) update({ preset: NO_CONNECTION });
    else setValues((prev) => applyPreset(prev, next, presets));
    test.reset();
    setNeedsSecretForTest(false);
  };

  // The sync loop's last failure, so whoever opens the form to fix it sees what to fix.
  const currentProblem = detail && detail.status !== 'paused' ? parseStatusDetail(detail.statusDetail) : null;
  const savedSecret = Boolean(detail?.connection?.hasSecret) && !secretRequired(values, detail);
  // A saved secret exists but the server moved: say why the password is asked for again.
  const secretAgain = Boolean(detail?.connection?.hasSecret) && serverMoved(values, detail);
  const xoauth2 = values.authMethod === 'xoauth2';
  const title = isEdit && detail ? t('form.editTitle', { address: detail.address }) : t('form.addTitle');

  return (
    <div className="settings-page narrow" data-testid="mailbox-form-page">
      {stepUp.dialog}
      <BackLink />
      <h2 className="form-title">{title}</h2>
      <form className="settings-form" data-testid="mailbox-form" data-mode={props.mode} onSubmit={onSubmit} noValidate>
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
                {...bindInput('address')}
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
              {...bindInput('displayName')}
            />
            <div className="field">
              <label htmlFor={`${id}-purpose`}>{t('form.purpose')}</label>
              <select
                id={`${id}-purpose`}
                className="select"
                data-testid="mailbox-purpose"
                value={values.purpose}
                aria-invalid={invalid('purpose') ? true : undefined}
                onChange={(event) => {
                  touched.current.purpose = true;
                  update({ purpose: event.target.value as FormValues['purpose'] }, false);
                }}
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
          <div className="field">
            <label htmlFor={`${id}-preset`}>{t('form.provider')}</label>
            <select id={`${id}-preset`} className="select" data-testid="mailbox-preset" value={values.preset} onChange={onPreset}>
              {presets.map((option) => (
                <option key={option.id} value={option.id}>
                  {isKnownPreset(option.id) ? t(`presets.${option.id}.name`) : option.id}
                </option>
              ))}
              <option
                value={NO_CONNECTION}
                disabled={Boolean(detail?.connection)}
                title={detail?.connection ? t('form.noneLocked') : undefined}
              >
                {t('form.none')}
              </option>
            </select>
          </div>

          {connected ? (
            <>
              <PresetHelp preset={preset} presetId={values.preset} passwordAuth={!xoauth2} />

              <fieldset className="servers">
                <legend className="visually-hidden">{t('form.connection')}</legend>
                <div className="servers-head" aria-hidden="true">
                  <span />
                  <span>{t('form.server')}</span>
                  <span>{t('form.port')}</span>
                  <span>{t('form.security')}</span>
                </div>
                <ServerRow
                  side="imap"
                  label={t('form.imap')}
                  longLabel={t('form.imapLong')}
                  values={values}
                  bindInput={bindInput}
                  onTls={(tls) => update({ imapTls: tls })}
                  errors={[errorFor('imapHost'), errorFor('imapPort')]}
                  invalid={invalid}
                />
                <ServerRow
                  side="smtp"
                  label={t('form.smtp')}
                  longLabel={t('form.smtpLong')}
                  values={values}
                  bindInput={bindInput}
                  onTls={(tls) => update({ smtpTls: tls })}
                  errors={[errorFor('smtpHost'), errorFor('smtpPort')]}
                  invalid={invalid}
                />
              </fieldset>

              <div className="form-grid">
                <Field
                  id={`${id}-user`}
                  data-testid="mailbox-user"
                  label={t('form.user')}
                  hint={t('form.userHint')}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={320}
                  error={errorFor('user')}
                  invalid={invalid('user')}
                  {...bindInput('user')}
                />
                {preset?.supportsXoauth2 ? (
                  <div className="field">
                    <label htmlFor={`${id}-auth`}>{t('form.authMethod')}</label>
                    <select
                      id={`${id}-auth`}
                      className="select"
                      data-testid="mailbox-auth-method"
                      value={values.authMethod}
                      onChange={(event) => update({ authMethod: event.target.value as FormValues['authMethod'], secret: '' })}
                    >
                      <option value="password">{t('form.authPassword')}</option>
                      <option value="xoauth2">{t('form.authXoauth2')}</option>
                    </select>
                  </div>
                ) : null}
                <Field
                  id={`${id}-secret`}
                  data-testid="mailbox-password"
                  label={xoauth2 ? t('form.accessToken') : t('form.password')}
                  type="password"
                  autoComplete="new-password"
                  spellCheck={false}
                  maxLength={xoauth2 ? 8192 : 1024}
                  placeholder={savedSecret ? t('form.unchanged') : undefined}
                  hint={
                    savedSecret
                      ? t('form.unchangedHint')
                      : secretAgain
                        ? t('form.secretAgainHint')
                        : xoauth2
                          ? t('form.xoauth2Hint')
                          : undefined
                  }
                  error={errorFor('secret')}
                  invalid={invalid('secret') || needsSecretForTest}
                  {...bindInput('secret')}
                />
                {xoauth2 && preset?.oauthTokenEndpoint ? (
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
                      error={errorFor('oauthRefreshToken')}
                      invalid={invalid('oauthRefreshToken')}
                      {...bindInput('oauthRefreshToken')}
                    />
                    <Field
                      id={`${id}-oauth-client-id`}
                      data-testid="mailbox-oauth-client-id"
                      label={t('form.oauthClientId')}
                      spellCheck={false}
                      maxLength={512}
                      error={errorFor('oauthClientId')}
                      invalid={invalid('oauthClientId')}
                      {...bindInput('oauthClientId')}
                    />
                    <Field
                      id={`${id}-oauth-client-secret`}
                      data-testid="mailbox-oauth-client-secret"
                      label={t('form.oauthClientSecret')}
                      type="password"
                      autoComplete="new-password"
                      spellCheck={false}
                      maxLength={1024}
                      error={errorFor('oauthClientSecret')}
                      invalid={invalid('oauthClientSecret')}
                      {...bindInput('oauthClientSecret')}
                    />
                  </>
                ) : null}
              </div>

              <div className="form-grid">
                <fieldset className="field">
                  <legend className="label">{t('form.folders')}</legend>
                  <div className="checks-inline">
                    {SYNC_FOLDERS.map((folder) => (
                      <label key={folder} className="check-inline">
                        <input
                          type="checkbox"
                          data-testid={`mailbox-folder-${folder}`}
                          checked={values.syncFolders.includes(folder)}
                          ref={
                            folder === 'inbox'
                              ? (el) => {
                                  inputs.current.syncFolders = el;
                                }
                              : undefined
                          }
                          onChange={(event) =>
                            update(
                              {
                                syncFolders: event.target.checked
                                  ? [...values.syncFolders, folder]
                                  : values.syncFolders.filter((item) => item !== folder),
                              },
                              false,
                            )
                          }
                        />
                        {t(`form.folder.${folder}`)}
                      </label>
                    ))}
                  </div>
                  {errorFor('syncFolders') ? (
                    <p className="field-error">{errorFor('syncFolders')}</p>
                  ) : (
                    <p className="field-hint">{t('form.foldersHint')}</p>
                  )}
                </fieldset>
                <div className="field">
                  <label htmlFor={`${id}-window`}>{t('form.syncWindow')}</label>
                  <select
                    id={`${id}-window`}
                    className="select"
                    data-testid="mailbox-sync-window"
                    value={values.syncSinceDays === null ? 'all' : String(values.syncSinceDays)}
                    onChange={(event) => update({ syncSinceDays: event.target.value === 'all' ? null : Number(event.target.value) }, false)}
                  >
                    {windowOptions(values.syncSinceDays).map((days) => (
                      <option key={days ?? 'all'} value={days === null ? 'all' : String(days)}>
                        {windowLabel(days, t)}
                      </option>
                    ))}
                  </select>
                  <p className="field-hint">{t('form.syncWindowHint')}</p>
                </div>
              </div>

              <div className="test-area">
                <div className="test-row">
                  <button type="button" className="btn" data-testid="mailbox-test" onClick={onTest} disabled={test.isPending}>
                    {test.isPending ? <span className="spinner small" aria-hidden="true" /> : <CheckIcon />}
                    {test.isPending ? t('form.testing') : t('form.test')}
                  </button>
                  {test.isPending ? null : <span className="field-hint">{t('form.testHint')}</span>}
                </div>
                <div aria-live="polite">
                  {needsSecretForTest ? <Notice testId="mailbox-test-needs-secret">{t('form.testNeedsSecret')}</Notice> : null}
                  {test.isError ? (
                    <Notice testId="mailbox-test-error">
                      <span>{t('form.testFailed')}</span>
                      <span>{submitErrorMessage(test.error, serverFields(test.error).map(fieldLabel))}</span>
                    </Notice>
                  ) : null}
                  {test.data ? (
                    <TestResult
                      result={test.data}
                      imapServer={`${values.imapHost.trim()}:${values.imapPort.trim()}`}
                      smtpServer={`${values.smtpHost.trim()}:${values.smtpPort.trim()}`}
                    />
                  ) : null}
                </div>
              </div>
            </>
          ) : (
            <p className="preset-help none-help">{t('form.noneHint')}</p>
          )}
        </section>

        {save.isError ? (
          <Notice testId="mailbox-save-error">{submitErrorMessage(save.error, serverFields(save.error).map(fieldLabel))}</Notice>
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
    </div>
  );
}

type Bind = (field: 'imapHost' | 'imapPort' | 'smtpHost' | 'smtpPort') => {
  value: string;
  ref: (el: HTMLElement | null) => void;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  'aria-invalid': boolean | undefined;
};

function ServerRow(props: {
  side: 'imap' | 'smtp';
  label: string;
  longLabel: string;
  values: FormValues;
  bindInput: Bind;
  onTls: (tls: FormValues['imapTls']) => void;
  errors: (string | undefined)[];
  invalid: (field: FieldName) => boolean;
}) {
  const { t } = useTranslation('settings');
  const { side, values } = props;
  const host = side === 'imap' ? 'imapHost' : 'smtpHost';
  const port = side === 'imap' ? 'imapPort' : 'smtpPort';
  const tls = side === 'imap' ? values.imapTls : values.smtpTls;
  const errors = props.errors.filter(Boolean);
  const { ref: hostRef, ...hostProps } = props.bindInput(host);
  const { ref: portRef, ...portProps } = props.bindInput(port);
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
          aria-label={t(`form.fieldNames.${side === 'imap' ? 'imapTls' : 'smtpTls'}`)}
          value={tls}
          onChange={(event) => props.onTls(event.target.value as FormValues['imapTls'])}
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

/** The provider's quirks, from its preset flags: what to do first, then what Pier takes care of. */
function PresetHelp({ preset, presetId, passwordAuth }: { preset: MailboxPreset | undefined; presetId: string; passwordAuth: boolean }) {
  const { t } = useTranslation('settings');
  const todo: string[] = [];
  const handled: string[] = [];
  if (preset?.needsAppPassword && passwordAuth) todo.push(t('form.help.appPassword'));
  if (isKnownPreset(presetId)) todo.push(t(`presets.${presetId}.note`));
  if (preset?.requiresImapId && presetId !== 'other') handled.push(t('form.help.imapId'));
  if (preset?.savesSentMail) handled.push(t('form.help.savesSent'));
  if (todo.length === 0 && handled.length === 0) return null;
  return (
    <div className="preset-help" data-testid="mailbox-preset-help">
      {todo.length > 0 ? (
        <ul className="help-todo">
          {todo.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : null}
      {handled.length > 0 ? (
        <ul className="help-done">
          {handled.map((text) => (
            <li key={text}>
              <CheckIcon />
              {text}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function windowOptions(current: number | null): (number | null)[] {
  return current === null || SYNC_WINDOWS.includes(current) ? [...SYNC_WINDOWS] : [...SYNC_WINDOWS.slice(0, -1), current, null];
}

function windowLabel(days: number | null, t: TFunction<'settings'>): string {
  if (days === null) return t('form.window.all');
  if (days === 30) return t('form.window.d30');
  if (days === 90) return t('form.window.d90');
  if (days === 365) return t('form.window.d365');
  return t('form.window.custom', { count: days });
}
