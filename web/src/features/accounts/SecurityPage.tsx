import type { Passkey, SecurityAlert, SessionInfo } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { currentLocale, errorMessage } from '../../i18n';
import { BackIcon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { TopBar } from '../inbox/TopBar';
import { useLogout } from '../session/queries';
import { accountsApi, accountsKeys } from './api';
import { createPasskey, passkeyErrorMessage } from './passkeys';
import { RecoveryCodesPanel } from './RecoveryCodesPanel';
import { useStepUp } from './StepUp';
import './accounts.css';

function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  try {
    return new Intl.DisplayNames([currentLocale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** /security: the signed-in user's two-step sign-in, sessions, alerts and sign-in history. */
export function SecurityPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('accounts');
  useDocumentTitle(t('security.pageTitle'));
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <div className="security-shell" data-testid="security-page">
      <TopBar
        session={session}
        title={t('security.title')}
        subtitle={null}
        onSignOut={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        signingOut={logout.isPending}
      />
      <main className="security-main">
        <Link to="/" className="sec-back" data-testid="security-back">
          <BackIcon />
          {t('security.back')}
        </Link>
        <TwoFactorSection />
        <PasskeysSection />
        <AlertsSection />
        <SessionsSection />
        <LoginsSection />
      </main>
    </div>
  );
}

function TwoFactorSection() {
  const { t } = useTranslation('accounts');
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: accountsKeys.twoFactor, queryFn: accountsApi.twoFactorStatus });
  const stepUp = useStepUp();
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useMutation({
    mutationFn: () => stepUp.run(accountsApi.regenerateRecoveryCodes),
    onSuccess: (result) => {
      setCodes(result.codes);
      void queryClient.invalidateQueries({ queryKey: accountsKeys.twoFactor });
    },
  });
  return (
    <section className="security-card" data-testid="security-two-factor">
      <h2>{t('security.twoFactor.title')}</h2>
      {status.data ? (
        <>
          <p>
            <span className={`status-dot ${status.data.enrolled ? 'on' : 'off'}`} aria-hidden="true" />
            {status.data.enrolled ? t('security.twoFactor.on') : t('security.twoFactor.off')}
          </p>
          {status.data.enrolled ? (
            <p className="muted" data-testid="two-factor-methods">
              {status.data.totp ? t('passkeys.totpOn') : t('passkeys.totpOff')} {t('passkeys.count', { count: status.data.passkeys })}
            </p>
          ) : null}
          {status.data.enrolled ? (
            <p className="muted" data-testid="recovery-left">
              {t('security.twoFactor.recoveryLeft', { count: status.data.recoveryCodesLeft })}
            </p>
          ) : null}
          {regenerate.isError ? <Notice>{errorMessage(regenerate.error)}</Notice> : null}
          {status.data.enrolled ? (
            <button
              type="button"
              className="btn"
              data-testid="regenerate-recovery-codes"
              disabled={regenerate.isPending}
              onClick={() => regenerate.mutate()}
            >
              {t('security.twoFactor.regenerate')}
            </button>
          ) : null}
        </>
      ) : null}
      {stepUp.dialog}
      {codes ? (
        <div className="sec-backdrop">
          <div className="sec-dialog" role="dialog" aria-modal="true">
            <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} />
          </div>
        </div>
      ) : null}
    </section>
  );
}

function PasskeysSection() {
  const { t } = useTranslation('accounts');
  const queryClient = useQueryClient();
  const passkeys = useQuery({ queryKey: accountsKeys.passkeys, queryFn: accountsApi.passkeys });
  const stepUp = useStepUp();
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: accountsKeys.passkeys });
    void queryClient.invalidateQueries({ queryKey: accountsKeys.twoFactor });
  };
  const add = useMutation({
    mutationFn: () => stepUp.run(() => createPasskey(t('passkeys.defaultName'))),
    onSuccess: (result) => {
      if (result.recoveryCodes) setCodes(result.recoveryCodes);
    },
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => stepUp.run(() => accountsApi.removePasskey(id)),
    onSettled: refresh,
  });
  const items = passkeys.data?.items ?? [];
  const failure = add.error ?? remove.error;
  return (
    <section className="security-card" data-testid="security-passkeys">
      <div className="security-card-head">
        <div>
          <h2>{t('passkeys.title')}</h2>
          <p className="muted">{t('passkeys.lead')}</p>
        </div>
        <button type="button" className="btn" data-testid="passkey-add" disabled={add.isPending} onClick={() => add.mutate()}>
          {add.isPending ? t('passkeys.adding') : t('passkeys.add')}
        </button>
      </div>
      {failure ? <Notice testId="passkey-error">{passkeyErrorMessage(failure, errorMessage)}</Notice> : null}
      {passkeys.isSuccess && items.length === 0 ? <p className="muted">{t('passkeys.none')}</p> : null}
      {items.length > 0 ? (
        <div className="sec-table-scroll">
          <table className="sec-table">
            <thead>
              <tr>
                <th>{t('passkeys.name')}</th>
                <th>{t('passkeys.added')}</th>
                <th>{t('passkeys.lastUsed')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((passkey) => (
                <PasskeyRow
                  key={passkey.id}
                  passkey={passkey}
                  onSaved={refresh}
                  onRemove={() => {
                    if (window.confirm(t('passkeys.removeConfirm', { name: passkey.name }))) remove.mutate(passkey.id);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {stepUp.dialog}
      {codes ? (
        <div className="sec-backdrop">
          <div className="sec-dialog" role="dialog" aria-modal="true">
            <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} />
          </div>
        </div>
      ) : null}
    </section>
  );
}

function PasskeyRow({ passkey, onSaved, onRemove }: { passkey: Passkey; onSaved: () => void; onRemove: () => void }) {
  const { t } = useTranslation('accounts');
  const [editing, setEditing] = useState<string | null>(null);
  const rename = useMutation({
    mutationFn: (name: string) => accountsApi.renamePasskey(passkey.id, name),
    onSuccess: () => {
      setEditing(null);
      onSaved();
    },
  });
  return (
    <tr data-testid="passkey-row">
      <td>
        {editing === null ? (
          <span data-testid="passkey-name">{passkey.name}</span>
        ) : (
          <form
            className="passkey-rename"
            onSubmit={(event) => {
              event.preventDefault();
              if (editing.trim()) rename.mutate(editing.trim());
            }}
          >
            <input
              className="input"
              aria-label={t('passkeys.name')}
              data-testid="passkey-name-input"
              value={editing}
              maxLength={80}
              onChange={(event) => setEditing(event.target.value)}
            />
            <button type="submit" className="btn sec-btn-sm" data-testid="passkey-rename-save" disabled={rename.isPending}>
              {t('passkeys.save')}
            </button>
            <button type="button" className="btn sec-btn-sm" onClick={() => setEditing(null)}>
              {t('passkeys.cancel')}
            </button>
          </form>
        )}
        {rename.isError ? <Notice>{errorMessage(rename.error)}</Notice> : null}
      </td>
      <td className="sec-nowrap">{formatTime(passkey.createdAt)}</td>
      <td className="sec-nowrap">{passkey.lastUsedAt ? formatTime(passkey.lastUsedAt) : t('passkeys.never')}</td>
      <td className="sec-row-actions">
        {editing === null ? (
          <button type="button" className="btn sec-btn-sm" data-testid="passkey-rename" onClick={() => setEditing(passkey.name)}>
            {t('passkeys.rename')}
          </button>
        ) : null}
        <button type="button" className="btn sec-btn-sm" data-testid="passkey-remove" onClick={onRemove}>
          {t('passkeys.remove')}
        </button>
      </td>
    </tr>
  );
}

function alertText(t: ReturnType<typeof useTranslation<'accounts'>>['t'], alert: SecurityAlert): string {
  const d = alert.detail as Record<string, string | number | undefined>;
  const params = {
    country: countryName(String(d.country ?? '')) ?? '',
    device: String(d.device ?? ''),
    from: countryName(String(d.from ?? '')) ?? '',
    to: countryName(String(d.to ?? '')) ?? '',
    failures: d.failures ?? '',
    minutes: d.minutes ?? '',
  };
  return t(`security.alerts.kinds.${alert.kind}`, params);
}

function AlertsSection() {
  const { t } = useTranslation('accounts');
  const alerts = useQuery({ queryKey: accountsKeys.alerts, queryFn: accountsApi.alerts });
  const items = alerts.data?.items ?? [];
  return (
    <section className="security-card" data-testid="security-alerts">
      <h2>{t('security.alerts.title')}</h2>
      {alerts.isSuccess && items.length === 0 ? <p className="muted">{t('security.alerts.none')}</p> : null}
      {items.length > 0 ? (
        <ul className="alert-list">
          {items.map((alert) => (
            <li key={alert.id} className="alert-item">
              <span className="alert-text">{alertText(t, alert)}</span>
              <span className="muted">
                {alert.userEmail} · {formatTime(alert.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function SessionsSection() {
  const { t } = useTranslation('accounts');
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: accountsKeys.sessions, queryFn: accountsApi.sessions });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: accountsKeys.sessions });
  const revoke = useMutation({ mutationFn: accountsApi.revokeSession, onSettled: refresh });
  const revokeOthers = useMutation({ mutationFn: accountsApi.revokeOtherSessions, onSettled: refresh });
  const items = sessions.data?.items ?? [];
  return (
    <section className="security-card" data-testid="security-sessions">
      <div className="security-card-head">
        <div>
          <h2>{t('security.sessions.title')}</h2>
          <p className="muted">{t('security.sessions.lead')}</p>
        </div>
        {items.length > 1 ? (
          <button type="button" className="btn" data-testid="revoke-other-sessions" onClick={() => revokeOthers.mutate()}>
            {t('security.sessions.revokeOthers')}
          </button>
        ) : null}
      </div>
      {revoke.isError ? <Notice>{errorMessage(revoke.error)}</Notice> : null}
      <div className="sec-table-scroll">
        <table className="sec-table">
          <thead>
            <tr>
              <th>{t('security.sessions.device')}</th>
              <th>{t('security.sessions.ip')}</th>
              <th>{t('security.sessions.started')}</th>
              <th>{t('security.sessions.lastSeen')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid="session-row">
                <td>
                  {s.device ?? t('security.sessions.unknownDevice')}
                  {s.current ? <span className="badge accent session-current">{t('security.sessions.current')}</span> : null}
                </td>
                <td className="sec-nowrap">{s.ip ?? '—'}</td>
                <td className="sec-nowrap">{formatTime(s.createdAt)}</td>
                <td className="sec-nowrap">{formatTime(s.lastSeenAt)}</td>
                <td className="sec-row-actions">
                  {s.current ? null : (
                    <button type="button" className="btn sec-btn-sm" data-testid="revoke-session" onClick={() => revoke.mutate(s.id)}>
                      {t('security.sessions.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LoginsSection() {
  const { t } = useTranslation('accounts');
  const logins = useQuery({ queryKey: accountsKeys.logins, queryFn: accountsApi.logins });
  return (
    <section className="security-card" data-testid="security-logins">
      <h2>{t('security.logins.title')}</h2>
      <div className="sec-table-scroll">
        <table className="sec-table">
          <thead>
            <tr>
              <th>{t('security.logins.when')}</th>
              <th>{t('security.logins.result')}</th>
              <th>{t('security.logins.where')}</th>
              <th>{t('security.logins.device')}</th>
              <th>{t('security.sessions.ip')}</th>
            </tr>
          </thead>
          <tbody>
            {(logins.data?.items ?? []).map((r) => (
              <tr
                key={r.id}
                data-testid="login-row"
                className={r.result === 'success' || r.result === 'second_factor_pending' ? undefined : 'login-failed'}
              >
                <td className="sec-nowrap">{formatTime(r.at)}</td>
                <td>
                  {t(`security.logins.results.${r.result}`)}
                  {r.anomalies.map((a) => (
                    <span key={a} className="badge anomaly">
                      {t(`security.logins.anomalies.${a as 'new_country'}`)}
                    </span>
                  ))}
                </td>
                <td>{countryName(r.country) ?? t('security.logins.unknownCountry')}</td>
                <td>{r.device ?? '—'}</td>
                <td className="sec-nowrap">{r.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
