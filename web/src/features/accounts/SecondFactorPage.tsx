import type { SessionInfo } from '@pier/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { AuthLayout } from '../auth/AuthLayout';
import { queryKeys, useLogout, useStoreSession } from '../session/queries';
import { accountsApi } from './api';
import { createPasskey, passkeyAnswer, passkeyErrorMessage } from './passkeys';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import './accounts.css';

/** Shown for every path while the session owes its second factor: verify a code, or enrol an authenticator. */
export function SecondFactorPage({ session }: { session: SessionInfo }) {
  return <AuthLayout>{session.secondFactor === 'enrol' ? <EnrolCard /> : <VerifyCard />}</AuthLayout>;
}

function useFinishSignIn() {
  const storeSession = useStoreSession();
  const navigate = useNavigate();
  return async () => {
    const session = await api.session();
    if (session) storeSession(session);
    navigate(session ? '/' : '/login', { replace: true });
  };
}

function SignOutLink() {
  const { t } = useTranslation('accounts');
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <p className="auth-foot">
      <button
        type="button"
        className="link-button"
        data-testid="second-factor-sign-out"
        onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
      >
        {t('verify.otherAccount')}
      </button>
    </p>
  );
}

function CodeField({
  value,
  onChange,
  error,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  error: string | null;
  testId: string;
}) {
  const { t } = useTranslation('accounts');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Field
      id={testId}
      data-testid={testId}
      ref={ref}
      label={t('verify.code')}
      hint={t('verify.codeHint')}
      autoComplete="one-time-code"
      inputMode="text"
      spellCheck={false}
      className="code-input"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

function VerifyCard() {
  const { t } = useTranslation('accounts');
  useDocumentTitle(t('verify.pageTitle'));
  const finish = useFinishSignIn();
  const [code, setCode] = useState('');
  const [attempted, setAttempted] = useState(false);
  const verify = useMutation({
    mutationFn: accountsApi.verifySecondFactor,
    onSuccess: finish,
    // The notice says what went wrong; an emptied field is not a second problem.
    onError: () => {
      setCode('');
      setAttempted(false);
    },
  });

  const withPasskey = useMutation({
    mutationFn: async () => accountsApi.verifyWithPasskey(await passkeyAnswer()),
    onSuccess: finish,
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (code.trim() && !verify.isPending) verify.mutate(code.trim());
  };

  return (
    <div className="auth-card">
      <h1>{t('verify.title')}</h1>
      <p className="auth-lead">{t('verify.lead')}</p>
      <form className="auth-form" data-testid="second-factor-form" onSubmit={onSubmit} noValidate>
        {verify.isError ? <Notice testId="second-factor-error">{errorMessage(verify.error)}</Notice> : null}
        <CodeField
          value={code}
          onChange={setCode}
          error={attempted && !code.trim() ? t('verify.codeRequired') : null}
          testId="second-factor-code"
        />
        <button type="submit" className="btn btn-primary btn-lg btn-block" data-testid="second-factor-submit" disabled={verify.isPending}>
          {verify.isPending ? t('verify.submitting') : t('verify.submit')}
        </button>
      </form>
      <div className="passkey-alt">
        {withPasskey.isError ? <Notice testId="passkey-verify-error">{passkeyErrorMessage(withPasskey.error, errorMessage)}</Notice> : null}
        <button
          type="button"
          className="btn btn-block"
          data-testid="passkey-verify"
          disabled={withPasskey.isPending}
          onClick={() => withPasskey.mutate()}
        >
          {withPasskey.isPending ? t('passkeys.verifying') : t('passkeys.verifyWith')}
        </button>
      </div>
      <SignOutLink />
    </div>
  );
}

function EnrolCard() {
  const { t } = useTranslation('accounts');
  useDocumentTitle(t('enrol.pageTitle'));
  const finish = useFinishSignIn();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [attempted, setAttempted] = useState(false);
  const start = useMutation({ mutationFn: accountsApi.startTotp });
  const confirm = useMutation({
    mutationFn: accountsApi.confirmTotp,
    onError: () => {
      setCode('');
      setAttempted(false);
    },
  });
  const started = useRef(false);
  const viaPasskey = useMutation({ mutationFn: () => createPasskey(t('passkeys.defaultName')) });
  const recoveryCodes = confirm.data?.codes ?? viaPasskey.data?.recoveryCodes ?? null;

  useEffect(() => {
    // Once: a second start would replace the secret the QR code shows.
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);

  if (recoveryCodes) {
    return (
      <div className="auth-card auth-card-wide">
        <RecoveryCodesPanel
          codes={recoveryCodes}
          onDone={() => {
            void queryClient.invalidateQueries({ queryKey: queryKeys.session });
            void finish();
          }}
        />
      </div>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (code.trim() && !confirm.isPending) confirm.mutate(code.trim());
  };

  return (
    <div className="auth-card auth-card-wide">
      <h1>{t('enrol.title')}</h1>
      <p className="auth-lead">{t('enrol.lead')}</p>
      {start.isError ? <Notice testId="enrol-error">{errorMessage(start.error)}</Notice> : null}
      <ol className="enrol-steps">
        <li>{t('enrol.step1')}</li>
        <li>
          {t('enrol.step2')}
          <div className="enrol-qr">
            {start.data ? (
              <img src={start.data.qrCodeDataUrl} alt={t('enrol.qrAlt')} width={184} height={184} data-testid="totp-qr" />
            ) : (
              <span className="muted">{t('enrol.preparing')}</span>
            )}
          </div>
          {start.data ? (
            <p className="enrol-manual">
              {t('enrol.manual')} <code data-testid="totp-secret">{start.data.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
          ) : null}
        </li>
        <li>{t('enrol.step3')}</li>
      </ol>
      <form className="auth-form" data-testid="enrol-form" onSubmit={onSubmit} noValidate>
        {confirm.isError ? <Notice testId="enrol-confirm-error">{errorMessage(confirm.error)}</Notice> : null}
        <CodeField value={code} onChange={setCode} error={attempted && !code.trim() ? t('verify.codeRequired') : null} testId="totp-code" />
        <button
          type="submit"
          className="btn btn-primary btn-lg btn-block"
          data-testid="totp-submit"
          disabled={confirm.isPending || !start.data}
        >
          {confirm.isPending ? t('enrol.submitting') : t('enrol.submit')}
        </button>
      </form>
      <div className="passkey-alt">
        <p className="muted">{t('passkeys.enrolAlternative')}</p>
        {viaPasskey.isError ? <Notice testId="passkey-enrol-error">{passkeyErrorMessage(viaPasskey.error, errorMessage)}</Notice> : null}
        <button
          type="button"
          className="btn btn-block"
          data-testid="passkey-enrol"
          disabled={viaPasskey.isPending}
          onClick={() => viaPasskey.mutate()}
        >
          {viaPasskey.isPending ? t('passkeys.adding') : t('passkeys.enrolWith')}
        </button>
      </div>
      <SignOutLink />
    </div>
  );
}
