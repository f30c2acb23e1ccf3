import type { SessionInfo } from '@pier/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { AuthLayout } from '../auth/AuthLayout';
import { useStoreSession } from '../session/queries';
import { accountsApi } from './api';
import './accounts.css';

/**
 * /invitation#token=… and /reset-password#token=…: choose a password with a link
 * from an email. The token is in the fragment, so it never reaches a server log.
 */
export function TokenPasswordPage({ purpose }: { purpose: 'invite' | 'reset' }) {
  const { t } = useTranslation('accounts');
  useDocumentTitle(purpose === 'invite' ? t('tokenPassword.invitePageTitle') : t('tokenPassword.resetPageTitle'));
  const { hash } = useLocation();
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
  const navigate = useNavigate();
  const storeSession = useStoreSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [attempted, setAttempted] = useState(false);
  const save = useMutation({
    mutationFn: async (): Promise<SessionInfo | null> => {
      if (purpose === 'invite') return accountsApi.acceptInvitation({ token, password });
      await accountsApi.completeReset({ token, password });
      return null;
    },
    onSuccess: (result) => {
      if (result) {
        storeSession(result);
        navigate('/', { replace: true });
      }
    },
  });
  const mismatch = attempted && confirm !== password ? t('tokenPassword.mismatch') : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (!password || confirm !== password || save.isPending) return;
    save.mutate();
  };

  if (purpose === 'reset' && save.isSuccess) {
    return (
      <AuthLayout>
        <div className="auth-card" data-testid="reset-done">
          <h1>{t('tokenPassword.resetTitle')}</h1>
          <p className="auth-lead">{t('tokenPassword.resetDone')}</p>
          <Link to="/login" className="btn btn-primary btn-lg btn-block">
            {t('tokenPassword.toLogin')}
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout>
      <div className="auth-card">
        <h1>{purpose === 'invite' ? t('tokenPassword.inviteTitle') : t('tokenPassword.resetTitle')}</h1>
        <p className="auth-lead">{purpose === 'invite' ? t('tokenPassword.inviteLead') : t('tokenPassword.resetLead')}</p>
        {!token ? <Notice>{t('tokenPassword.missingToken')}</Notice> : null}
        <form className="auth-form" data-testid="token-password-form" onSubmit={onSubmit} noValidate>
          {save.isError ? <Notice testId="token-password-error">{errorMessage(save.error)}</Notice> : null}
          <Field
            id="token-password"
            data-testid="token-password"
            type="password"
            autoComplete="new-password"
            label={t('tokenPassword.password')}
            hint={t('tokenPassword.passwordHint')}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <Field
            id="token-password-confirm"
            data-testid="token-password-confirm"
            type="password"
            autoComplete="new-password"
            label={t('tokenPassword.confirm')}
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            error={mismatch}
          />
          <button
            type="submit"
            className="btn btn-primary btn-lg btn-block"
            data-testid="token-password-submit"
            disabled={!token || save.isPending}
          >
            {save.isPending ? t('tokenPassword.submitting') : t('tokenPassword.submit')}
          </button>
        </form>
      </div>
    </AuthLayout>
  );
}

/** /forgot-password: asks for a reset link; the answer is the same whether the account exists or not. */
export function ForgotPasswordPage() {
  const { t } = useTranslation('accounts');
  useDocumentTitle(t('forgot.pageTitle'));
  const [email, setEmail] = useState('');
  const send = useMutation({ mutationFn: () => accountsApi.requestReset(email.trim()) });
  return (
    <AuthLayout>
      <div className="auth-card">
        <h1>{t('forgot.title')}</h1>
        <p className="auth-lead">{t('forgot.lead')}</p>
        {send.isSuccess ? (
          <p data-testid="forgot-sent">{t('forgot.sent')}</p>
        ) : (
          <form
            className="auth-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (email.trim() && !send.isPending) send.mutate();
            }}
          >
            {send.isError ? <Notice>{errorMessage(send.error)}</Notice> : null}
            <Field
              id="forgot-email"
              data-testid="forgot-email"
              type="email"
              autoComplete="username"
              label={t('forgot.email')}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <button type="submit" className="btn btn-primary btn-lg btn-block" data-testid="forgot-submit" disabled={send.isPending}>
              {t('forgot.submit')}
            </button>
          </form>
        )}
        <p className="auth-foot">
          <Link to="/login">{t('tokenPassword.toLogin')}</Link>
        </p>
      </div>
    </AuthLayout>
  );
}
