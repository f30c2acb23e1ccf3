import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiRequestError, api } from '../../api/client';
import { currentLocale } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { queryKeys, useStoreSession } from '../session/queries';
import { AuthLayout } from './AuthLayout';
import { EMAIL_PATTERN, serverInvalidFields, submitErrorMessage } from './formErrors';

const MIN_PASSWORD = 12;
const FIELDS = ['name', 'email', 'password'] as const;

type Values = { name: string; email: string; password: string; confirm: string };
type FieldName = keyof Values;

export function SetupPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('setup.pageTitle'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const storeSession = useStoreSession();
  const [values, setValues] = useState<Values>({ name: '', email: '', password: '', confirm: '' });
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
    const firstProblem = (['name', 'email', 'password', 'confirm'] as const).find((field) => problems[field]);
    if (firstProblem) {
      inputs.current[firstProblem]?.focus();
      return;
    }
    setup.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      password: values.password,
      locale: currentLocale(),
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
          <button type="submit" className="btn btn-primary btn-lg btn-block" data-testid="setup-submit" disabled={setup.isPending}>
            {setup.isPending ? t('setup.submitting') : t('setup.submit')}
          </button>
        </form>
        <p className="auth-foot">{t('setup.footnote')}</p>
      </div>
    </AuthLayout>
  );
}
