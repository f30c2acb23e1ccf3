import { type UseMutationOptions, type UseMutationResult, useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError, downloadFile } from '../../api/client';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { accountsApi } from './api';
import { passkeyAnswer, passkeyErrorMessage } from './passkeys';

/**
 * Sensitive actions answer 403 auth.step_up_required when the password and code
 * were last checked more than 10 minutes ago. `run(action)` tries the action,
 * asks for password + code when the server wants them, then tries once more.
 */
export function useStepUp(): { run: <T>(action: () => Promise<T>) => Promise<T>; dialog: ReactNode } {
  const [pending, setPending] = useState<{ resolve: () => void; reject: (e: unknown) => void } | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.code !== 'auth.step_up_required') throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject }));
      return action();
    }
  }, []);
  const dialog = pending ? (
    <StepUpDialog
      onDone={() => {
        pending.resolve();
        setPending(null);
      }}
      onCancel={() => {
        pending.reject(new ApiRequestError(403, 'auth.step_up_required', 'cancelled'));
        setPending(null);
      }}
    />
  ) : null;
  return { run, dialog };
}

/**
 * The step-up-then-call pattern as one mutation: `mutate(input)` runs `action(input)`, asking for
 * password + code when the server wants them and trying once more; render `dialog` somewhere.
 */
export function useStepUpAction<TInput, TResult>(
  action: (input: TInput) => Promise<TResult>,
  options: Omit<UseMutationOptions<TResult, Error, TInput>, 'mutationFn'> = {},
): UseMutationResult<TResult, Error, TInput> & { dialog: ReactNode } {
  const stepUp = useStepUp();
  const mutation = useMutation({ ...options, mutationFn: (input: TInput) => stepUp.run(() => action(input)) });
  return { ...mutation, dialog: stepUp.dialog };
}

/**
 * A download button for exports that need a fresh step-up: it fetches the file, asks for password +
 * code when the server answers auth.step_up_required, then saves the file. Other refusals show inline.
 */
export function StepUpDownload({
  href,
  fileName,
  testId,
  children,
}: {
  href: string;
  fileName: string;
  testId?: string;
  children: ReactNode;
}) {
  const stepUp = useStepUp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await stepUp.run(() => downloadFile(href, fileName));
    } catch (caught) {
      const cancelled = caught instanceof ApiRequestError && caught.code === 'auth.step_up_required' && caught.message === 'cancelled';
      if (!cancelled) setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {stepUp.dialog}
      <button type="button" className="btn" data-testid={testId} disabled={busy} onClick={() => void download()}>
        {children}
      </button>
      {error ? <Notice testId={testId ? `${testId}-error` : undefined}>{errorMessage(error)}</Notice> : null}
    </>
  );
}

function StepUpDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation('accounts');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  const confirm = async (viaPasskey: boolean) => {
    if (busy || !password) return;
    setBusy(true);
    try {
      const second = viaPasskey ? { passkey: await passkeyAnswer() } : code.trim() ? { code: code.trim() } : {};
      await accountsApi.stepUp({ password, ...second });
      onDone();
    } catch (caught) {
      setError(caught);
      setCode('');
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void confirm(false);
  };

  return (
    <div className="sec-backdrop">
      <div className="sec-dialog" role="dialog" aria-modal="true" aria-labelledby="step-up-title" data-testid="step-up-dialog">
        <h2 id="step-up-title">{t('stepUp.title')}</h2>
        <p className="muted">{t('stepUp.lead')}</p>
        <form className="auth-form" onSubmit={onSubmit} noValidate>
          {error ? <Notice testId="step-up-error">{passkeyErrorMessage(error, errorMessage)}</Notice> : null}
          <Field
            id="step-up-password"
            data-testid="step-up-password"
            ref={passwordRef}
            autoFocus
            type="password"
            autoComplete="current-password"
            label={t('stepUp.password')}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <Field
            id="step-up-code"
            data-testid="step-up-code"
            autoComplete="one-time-code"
            label={t('stepUp.code')}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          <button
            type="button"
            className="link-button step-up-passkey"
            data-testid="step-up-passkey"
            disabled={busy || !password}
            onClick={() => void confirm(true)}
          >
            {t('passkeys.useInstead')}
          </button>
          <div className="sec-dialog-actions">
            <button type="button" className="btn" onClick={onCancel}>
              {t('stepUp.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" data-testid="step-up-submit" disabled={busy}>
              {t('stepUp.submit')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
