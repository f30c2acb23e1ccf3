import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useStoreSession } from '../session/queries';
import { AuthLayout } from './AuthLayout';
import { serverInvalidFields, submitErrorMessage } from './formErrors';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.pageTitle'));
  const navigate = useNavigate();
  const storeSession = useStoreSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [attempted, setAttempted] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  const login = useMutation({
    mutationFn: api.login,
    onSuccess: (info) => {
      storeSession(info);
      navigate('/', { replace: true });
    },
    onError: () => {
      passwordRef.current?.focus();
      passwordRef.current?.select();
    },
  });

  const emailProblem = attempted && !email.trim() ? t('login.validation.emailRequired') : null;
  const passwordProblem = attempted && !password ? t('login.validation.passwordRequired') : null;
  const serverFields = serverInvalidFields(login.error, FIELDS);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (login.isPending) return;
    setAttempted(true);
    if (!email.trim()) {
      emailRef.current?.focus();
    } else if (!password) {
      passwordRef.current?.focus();
    } else {
      login.mutate({ email: email.trim(), password });
    }
  };

  return (
    <AuthLayout>
      <div className="auth-card">
        <h1>{t('login.title')}</h1>
        <p className="auth-lead">{t('login.subtitle')}</p>
        <form className="auth-form" data-testid="login-form" onSubmit={onSubmit} noValidate>
          {login.isError ? (
            <Notice testId="login-error">
              {submitErrorMessage(
                login.error,
                serverFields.map((field) => t(`fields.${field}`)),
              )}
            </Notice>
          ) : null}
          <Field
            id="login-email"
            data-testid="login-email"
            ref={emailRef}
            label={t('fields.email')}
            type="email"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={emailProblem}
            invalid={serverFields.includes('email')}
          />
          <Field
            id="login-password"
            data-testid="login-password"
            ref={passwordRef}
            label={t('fields.password')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={passwordProblem}
            invalid={serverFields.includes('password')}
          />
          <button type="submit" className="btn btn-primary btn-lg btn-block" data-testid="login-submit" disabled={login.isPending}>
            {login.isPending ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <p className="auth-foot">
          <Link to="/forgot-password" data-testid="forgot-link">
            {t('forgot.link', { ns: 'accounts' })}
          </Link>
        </p>
      </div>
    </AuthLayout>
  );
}
