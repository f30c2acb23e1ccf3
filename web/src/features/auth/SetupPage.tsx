import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiRequestError, api } from '../../api/client';
import { currentLocale } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { queryKeys, useSetupStatus, useStoreSession } from '../session/queries';
import { AuthLayout } from './AuthLayout';
import { EMAIL_PATTERN, serverInvalidFields, submitErrorMessage } from './formErrors';

const MIN_PASSWORD = 12;
const FIELDS = ['name', 'email', 'password', 'publicUrl'] as const;

type Values = { name: string; email: string; password: string; confirm: string; publicUrl: string };
type FieldName = keyof Values;

export function SetupPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('setup.pageTitle'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const storeSession = useStoreSession();
  // The address this browser opened Pier at is the best first guess for where mailed links should point.
  const [values, setValues] = useState<Values>({ name: '', email: '', password: '', confirm: '', publicUrl: window.location.origin });
  // Asked only while the server has none (PIER_PUBLIC_URL unset): links in invitation and reset mails point there.
  const askPublicUrl = useSetupStatus().data?.publicUrlConfigured === false;
  const [attempted, setAttempted] = useState(false);
  const inputs = useRef<Partial<Record<FieldName, HTMLInputElement | null>>>({});

  useEffect(() => {
    inputs.current.name?.focus();
  }, []);

  const setup = useMutation({
    mutationFn: api.setup,
    onSuccess: (info) => {
      storeSession(info);
      navigate('/', { replace: true });
    },
  });

  const problems: Partial<Record<FieldName, string>> = {};
  if (!values.name.trim()) problems.name = t('setup.validation.nameRequired');
  if (!EMAIL_PATTERN.test(values.email.trim())) problems.email = t('setup.validation.emailInvalid');
  if (values.password.length < MIN_PASSWORD) {
    problems.password = t('setup.validation.passwordTooShort', { length: values.password.length });
  }
  if (values.confirm !== values.password) problems.confirm = t('setup.validation.passwordMismatch');
  if (askPublicUrl && !isWebAddress(values.publicUrl.trim())) problems.publicUrl = t('setup.validation.publicUrlInvalid');
  const shown = attempted ? problems : {};

  const serverFields = serverInvalidFields(setup.error, FIELDS);
  const fieldLabel = (field: (typeof FIELDS)[number]) => t(`fields.${field}`);
  const alreadyDone = setup.error instanceof ApiRequestError && setup.error.code === 'setup.already_done';

  const bind = (field: FieldName) => ({
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setValues((prev) => ({ ...prev, [field]: event.target.value })),
    ref: (el: HTMLInputElement | null) => {
      inputs.current[field] = el;
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (setup.isPending) return;
    setAttempted(true);
    const firstProblem = (['name', 'email', 'password', 'confirm', 'publicUrl'] as const).find((field) => problems[field]);
    if (firstProblem) {
      inputs.current[firstProblem]?.focus();
      return;
    }
    setup.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      password: values.password,
      locale: currentLocale(),
      ...(askPublicUrl ? { publicUrl: values.publicUrl.trim() } : {}),
    });
  };

  const goToLogin = () => {
    queryClient.setQueryData(queryKeys.setup, { needsSetup: false });
    navigate('/login', { replace: true });
  };

  return (
    <AuthLayout>
      <div className="auth-card wide">
        <h1>{t('setup.title')}</h1>
        <p className="auth-lead">{t('setup.intro')}</p>
        <form className="auth-form" data-testid="setup-form" onSubmit={onSubmit} noValidate>
          {setup.isError ? (
            <Notice testId="setup-error">
              <span>{submitErrorMessage(setup.error, serverFields.map(fieldLabel))}</span>
              {alreadyDone ? (
                <span>
                  <button type="button" className="link-button" onClick={goToLogin}>
                    {t('setup.goToLogin')}
                  </button>
                </span>
              ) : null}
            </Notice>
          ) : null}
          <Field
            id="setup-name"
            data-testid="setup-name"
            label={t('fields.name')}
            placeholder={t('setup.namePlaceholder')}
            autoComplete="name"
            maxLength={120}
            error={shown.name}
            invalid={serverFields.includes('name')}
            {...bind('name')}
          />
          <Field
            id="setup-email"
            data-testid="setup-email"
            label={t('fields.email')}
            type="email"
            placeholder={t('setup.emailPlaceholder')}
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            error={shown.email}
            invalid={serverFields.includes('email')}
            {...bind('email')}
          />
          <Field
            id="setup-password"
            data-testid="setup-password"
            label={t('fields.password')}
            type="password"
            autoComplete="new-password"
            hint={t('setup.passwordHint')}
            maxLength={256}
            error={shown.password}
            invalid={serverFields.includes('password')}
            {...bind('password')}
          />
          <Field
            id="setup-password-confirm"
            data-testid="setup-password-confirm"
            label={t('fields.passwordConfirm')}
            type="password"
            autoComplete="new-password"
            maxLength={256}
            error={shown.confirm}
            {...bind('confirm')}
          />
          {askPublicUrl ? (
            <Field
              id="setup-public-url"
              data-testid="setup-public-url"
              label={t('fields.publicUrl')}
              type="url"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              maxLength={300}
              hint={t('setup.publicUrlHint')}
              error={shown.publicUrl}
              invalid={serverFields.includes('publicUrl')}
              {...bind('publicUrl')}
            />
          ) : null}
          <button type="submit" className="btn btn-primary btn-lg btn-block" data-testid="setup-submit" disabled={setup.isPending}>
            {setup.isPending ? t('setup.submitting') : t('setup.submit')}
          </button>
        </form>
        <p className="auth-foot">{t('setup.footnote')}</p>
      </div>
    </AuthLayout>
  );
}

/** http(s), no query or fragment: what the server accepts (PublicUrlSchema). */
function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !value.includes('?') && !value.includes('#');
  } catch {
    return false;
  }
}
