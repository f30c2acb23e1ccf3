import { type PushKind, type PushSettings, pushKinds, type SessionInfo } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiRequestError } from '../../api/client';
import { currentLocale, errorMessage } from '../../i18n';
import { BackIcon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { TopBar } from '../inbox/TopBar';
import { useLogout } from '../session/queries';
import { pushApi, pushKeys } from './api';
import { currentSubscription, deviceState, turnOffPush, turnOnPush } from './device';
import './strings';
import '../accounts/accounts.css';
import './push.css';

function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** /notifications: this device on or off, which kinds are pushed, and the person's devices. */
export function NotificationSettingsPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('push');
  useDocumentTitle(t('pageTitle'));
  const navigate = useNavigate();
  const logout = useLogout();
  const queryClient = useQueryClient();
  const device = useQuery({ queryKey: ['push', 'device'], queryFn: deviceState });
  const settings = useQuery({
    queryKey: pushKeys.settings,
    queryFn: async () => pushApi.settings((await currentSubscription())?.endpoint ?? null),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['push'] });
  };
  const toggle = useMutation({
    mutationFn: async (on: boolean) => {
      if (!on) return turnOffPush();
      const publicKey = settings.data?.publicKey;
      if (publicKey) await turnOnPush(publicKey);
    },
    onSettled: refresh,
  });
  const test = useMutation({ mutationFn: pushApi.test, onSettled: refresh });
  const [saved, setSaved] = useState(false);
  // The box changes at once (optimistic); a refusal puts the saved choice back.
  const setKinds = (kinds: PushKind[]) =>
    queryClient.setQueryData<PushSettings>(pushKeys.settings, (old) => (old ? { ...old, kinds } : old));
  const choose = useMutation({
    mutationFn: pushApi.chooseKinds,
    onMutate: (kinds) => setKinds(kinds),
    onSuccess: (result) => {
      setKinds(result.kinds);
      setSaved(true);
    },
    onError: refresh,
  });
  const remove = useMutation({ mutationFn: pushApi.removeDevice, onSettled: refresh });

  const kinds = settings.data?.kinds ?? [];
  const setKind = (kind: PushKind, on: boolean) => {
    setSaved(false);
    choose.mutate(on ? [...kinds, kind] : kinds.filter((k) => k !== kind));
  };
  const state = device.data;
  // The server's refusals have their own messages; the browser's (permission, push service) are named as it gave them.
  const toggleError = (error: Error) =>
    error instanceof ApiRequestError
      ? errorMessage(error)
      : error.message === 'permission'
        ? t('device.blocked')
        : t('device.failed', { reason: error.message });
  const working = toggle.isPending || test.isPending;

  return (
    <div className="security-shell" data-testid="push-page">
      <TopBar
        session={session}
        title={t('title')}
        subtitle={null}
        onSignOut={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        signingOut={logout.isPending}
      />
      <main className="security-main">
        <Link to="/" className="sec-back" data-testid="push-back">
          <BackIcon />
          {t('back')}
        </Link>
        <section className="security-card" data-testid="push-device">
          <h2>{t('device.title')}</h2>
          <p className="muted">{t('device.intro')}</p>
          {state ? (
            <p data-testid="push-device-state" data-state={state}>
              {state === 'on' || state === 'off' ? <span className={`status-dot ${state}`} aria-hidden="true" /> : null}
              {t(`device.${state}`)}
            </p>
          ) : null}
          {toggle.isError ? <Notice>{toggleError(toggle.error)}</Notice> : null}
          {test.data ? (
            <p className="muted" role="status" data-testid="push-test-result">
              {test.data.sent > 0 ? t('device.testSent', { count: test.data.sent }) : t('device.testNone')}
            </p>
          ) : null}
          <div className="push-actions">
            {state === 'off' || state === 'on' ? (
              <button
                type="button"
                className={state === 'off' ? 'btn btn-primary' : 'btn'}
                data-testid="push-toggle"
                disabled={working || !settings.data}
                onClick={() => toggle.mutate(state === 'off')}
              >
                {toggle.isPending ? t('device.working') : state === 'off' ? t('device.turnOn') : t('device.turnOff')}
              </button>
            ) : null}
            <button type="button" className="btn" data-testid="push-test" disabled={working} onClick={() => test.mutate()}>
              {t('device.test')}
            </button>
          </div>
        </section>
        <section className="security-card" data-testid="push-kinds">
          <h2>{t('kinds.title')}</h2>
          <p className="muted">{t('kinds.intro')}</p>
          {settings.isError ? <Notice>{errorMessage(settings.error)}</Notice> : null}
          {choose.isError ? <Notice>{errorMessage(choose.error)}</Notice> : null}
          {/* Not drawn before the saved choice is known: unticked boxes would read as "nothing is pushed". */}
          {settings.data ? (
            <fieldset className="push-kinds">
              <legend className="visually-hidden">{t('kinds.title')}</legend>
              {pushKinds.map((kind) => (
                <label key={kind} className="push-kind">
                  <input
                    type="checkbox"
                    data-testid={`push-kind-${kind}`}
                    checked={kinds.includes(kind)}
                    onChange={(event) => setKind(kind, event.target.checked)}
                  />
                  <span>{t(`kinds.${kind}`)}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {saved ? (
            <p className="muted" role="status" data-testid="push-kinds-saved">
              {t('kinds.saved')}
            </p>
          ) : null}
        </section>
        <section className="security-card" data-testid="push-devices">
          <h2>{t('devices.title')}</h2>
          {settings.data && settings.data.devices.length === 0 ? <p className="muted">{t('devices.none')}</p> : null}
          <ul className="push-device-list">
            {settings.data?.devices.map((d) => (
              <li key={d.id} className="push-device-row" data-testid="push-device-row">
                <div className="push-device-text">
                  <strong>{d.device}</strong>
                  {d.current ? <span className="badge accent">{t('devices.thisDevice')}</span> : null}
                  <span className="muted">
                    {t('devices.added', { date: formatDate(d.createdAt) })}
                    {d.lastSentAt ? ` · ${t('devices.lastSent', { date: formatDate(d.lastSentAt) })}` : ''}
                  </span>
                </div>
                <button type="button" className="btn" disabled={remove.isPending} onClick={() => remove.mutate(d.id)}>
                  {t('devices.remove')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
