import type { ConnectionTestResult, Mailbox, MailboxDetail } from '@pier/contracts';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../../i18n';
import { AlertIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { useStepUp } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';
import { queryKeys } from '../../session/queries';
import { CheckIcon, PlusIcon } from '../icons';
import { formatRelative, useNow } from '../relativeTime';
import { mailboxApi, mailboxKeys, refreshAfterChange } from './api';
import { isKnownPreset } from './form';
import { RemoveDialog } from './RemoveDialog';
import { SyncProgressLine } from './SyncProgress';
import { mailboxState } from './status';
import { ProblemText, TestResult } from './TestResult';

/** How often the list re-reads sync status while it is open. */
const REFRESH_MS = 30_000;

/** A one-line confirmation after a change ("sales@ added."), passed along in the router state. */
export type Flash = { key: 'added' | 'addedListener' | 'saved' | 'removed' | 'removedPurged' | 'paused' | 'resumed'; address: string };

function flashFrom(state: unknown): Flash | null {
  if (typeof state !== 'object' || state === null || !('flash' in state)) return null;
  return (state as { flash: Flash }).flash;
}

export function MailboxesPage() {
  const { t } = useTranslation('settings');
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [flash, setFlash] = useState<Flash | null>(() => flashFrom(location.state));
  const [removing, setRemoving] = useState<Mailbox | null>(null);
  useDocumentTitle(t('mailboxes.pageTitle'));

  // Show a confirmation passed by the form once: drop it from history so a reload does not repeat it.
  useEffect(() => {
    if (flashFrom(location.state)) navigate('.', { replace: true, state: null });
  }, [location.state, navigate]);

  const list = useQuery({ queryKey: mailboxKeys.list, queryFn: mailboxApi.list, refetchInterval: REFRESH_MS });
  const items = list.data?.items ?? [];
  // The list answers the basics; status detail, last sync and the provider come with each mailbox's detail.
  const details = useQueries({
    queries: items.map((mailbox) => ({
      queryKey: mailboxKeys.detail(mailbox.id),
      queryFn: () => mailboxApi.detail(mailbox.id),
      refetchInterval: REFRESH_MS,
    })),
  });

  const remove = useMutation({
    mutationFn: ({ mailbox, purge }: { mailbox: Mailbox; purge: boolean }) => mailboxApi.remove(mailbox.id, purge),
    onSuccess: (_data, { mailbox, purge }) => {
      setRemoving(null);
      setFlash({ key: purge ? 'removedPurged' : 'removed', address: mailbox.address });
      queryClient.setQueryData<{ items: Mailbox[] }>(mailboxKeys.list, (old) =>
        old ? { items: old.items.filter((item) => item.id !== mailbox.id) } : old,
      );
      queryClient.removeQueries({ queryKey: mailboxKeys.detail(mailbox.id) });
      refreshAfterChange(queryClient);
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationsAll });
    },
  });

  const showEmpty = list.isSuccess && items.length === 0;
  let body: ReactNode;
  if (list.isPending) {
    body = (
      <div className="list-loading" aria-busy="true">
        <span className="visually-hidden">{t('mailboxes.loading')}</span>
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    );
  } else if (list.isError) {
    body = (
      <div className="empty" role="alert">
        <h2>{t('mailboxes.loadFailed')}</h2>
        <p>{errorMessage(list.error)}</p>
        <button type="button" className="btn" onClick={() => void list.refetch()}>
          <RetryLabel />
        </button>
      </div>
    );
  } else if (showEmpty) {
    body = (
      <div className="empty settings-empty" data-testid="mailboxes-empty">
        <h2>{t('mailboxes.emptyTitle')}</h2>
        <p>{t('mailboxes.emptyHint')}</p>
        <Link to="new" className="btn btn-primary" data-testid="mailbox-add">
          <PlusIcon />
          {t('mailboxes.add')}
        </Link>
      </div>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="data-table mailbox-table">
          <thead>
            <tr>
              <th scope="col">{t('mailboxes.columns.address')}</th>
              <th scope="col">{t('mailboxes.columns.name')}</th>
              <th scope="col">{t('mailboxes.columns.purpose')}</th>
              <th scope="col">{t('mailboxes.columns.status')}</th>
              <th scope="col">{t('mailboxes.columns.lastSynced')}</th>
              <th scope="col" className="num" title={t('mailboxes.openTitle')}>
                {t('mailboxes.columns.open')}
              </th>
              <th scope="col" className="actions">
                <span className="visually-hidden">{t('mailboxes.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          {items.map((mailbox, index) => (
            <MailboxRow
              key={mailbox.id}
              mailbox={mailbox}
              detail={details[index]?.data}
              onFlash={setFlash}
              onRemove={() => {
                remove.reset();
                setRemoving(mailbox);
              }}
            />
          ))}
        </table>
      </div>
    );
  }

  return (
    <div className="settings-page" data-testid="mailboxes-page">
      <header className="page-head">
        <div>
          <h2>{t('mailboxes.pageTitle')}</h2>
          <p className="page-intro">{t('mailboxes.intro')}</p>
        </div>
        {showEmpty ? null : (
          <Link to="new" className="btn btn-primary" data-testid="mailbox-add">
            <PlusIcon />
            {t('mailboxes.add')}
          </Link>
        )}
      </header>
      {flash ? (
        <div className="flash" role="status" data-testid="mailboxes-flash">
          <CheckIcon />
          <span>{t(`mailboxes.${flash.key}`, { address: flash.address })}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFlash(null)}>
            {t('mailboxes.dismiss')}
          </button>
        </div>
      ) : null}
      {body}
      {removing ? (
        <RemoveDialog
          mailbox={removing}
          pending={remove.isPending}
          error={remove.error}
          onCancel={() => setRemoving(null)}
          onConfirm={(purge) => remove.mutate({ mailbox: removing, purge })}
        />
      ) : null}
    </div>
  );
}

function RetryLabel() {
  const { t } = useTranslation();
  return <>{t('common.retry')}</>;
}

type RowProps = {
  mailbox: Mailbox;
  detail: MailboxDetail | undefined;
  onFlash: (flash: Flash) => void;
  onRemove: () => void;
};

/** One mailbox: its `<tbody>` holds the row and, below it, what needs saying (an error, a test result). */
function MailboxRow({ mailbox, detail, onFlash, onRemove }: RowProps) {
  const { t } = useTranslation('settings');
  const { t: tt } = useTranslation('teams');
  const queryClient = useQueryClient();
  const now = useNow();
  const state = mailboxState(mailbox, detail);
  const paused = mailbox.status === 'paused';

  // A test signs in with the saved secret: the server asks for a fresh step-up (password + code).
  const stepUp = useStepUp();
  const test = useMutation<ConnectionTestResult>({ mutationFn: () => stepUp.run(() => mailboxApi.test(mailbox.id)) });
  const toggle = useMutation({
    mutationFn: () => mailboxApi.update(mailbox.id, { status: paused ? 'active' : 'paused' }),
    onSuccess: (updated) => {
      refreshAfterChange(queryClient, updated);
      onFlash({ key: updated.status === 'paused' ? 'paused' : 'resumed', address: mailbox.address });
    },
  });

  const connection = detail?.connection;
  const provider = connection
    ? isKnownPreset(connection.preset)
      ? t(`presets.${connection.preset}.name`)
      : connection.imap.host
    : detail
      ? t('mailboxes.listenerOnly')
      : null;

  let lastSynced: ReactNode = <span className="muted-3">…</span>;
  if (detail) {
    if (detail.lastSyncedAt) {
      lastSynced = (
        <time dateTime={new Date(detail.lastSyncedAt).toISOString()} title={formatFullTime(detail.lastSyncedAt)}>
          {formatRelative(detail.lastSyncedAt, now)}
        </time>
      );
    } else {
      lastSynced = <span className="muted-3">{connection ? t('mailboxes.never') : t('mailboxes.notApplicable')}</span>;
    }
  }

  const actionError = toggle.error ?? test.error;
  const hasExtra = state.kind === 'error' || test.isPending || test.data || actionError;

  return (
    <tbody
      className={state.kind === 'error' ? 'mailbox-row has-problem' : 'mailbox-row'}
      data-testid="mailbox-row"
      data-address={mailbox.address}
    >
      <tr>
        <td>
          <div className="cell-main">{mailbox.address}</div>
          {provider ? <div className="cell-sub">{provider}</div> : null}
        </td>
        <td>{mailbox.displayName}</td>
        <td>{t(`purposes.${mailbox.purpose}`)}</td>
        <td>
          <StatusBadge state={state} />
        </td>
        <td>
          <div className="nowrap">
            <span className="cell-label">{t('mailboxes.columns.lastSynced')}</span>
            {lastSynced}
          </div>
          {connection ? <SyncProgressLine mailboxId={mailbox.id} /> : null}
        </td>
        <td className="num">
          <span className="cell-label">{t('mailboxes.openTitle')}</span>
          <OpenCount count={mailbox.openCount} cap={mailbox.openCountCap} />
        </td>
        <td className="actions">
          <fieldset className="row-actions">
            <legend className="visually-hidden">{t('mailboxes.rowActions', { address: mailbox.address })}</legend>
            <Link to={mailbox.id} className="btn btn-sm" data-testid="mailbox-edit">
              {t('mailboxes.actions.edit')}
            </Link>
            <Link to={`${mailbox.id}/access`} className="btn btn-sm" data-testid="mailbox-access">
              {tt('access.manage')}
            </Link>
            <button type="button" className="btn btn-sm" data-testid="mailbox-test" disabled={test.isPending} onClick={() => test.mutate()}>
              {test.isPending ? t('mailboxes.actions.testing') : t('mailboxes.actions.test')}
            </button>
            <button
              type="button"
              className="btn btn-sm"
              data-testid="mailbox-pause"
              disabled={toggle.isPending}
              onClick={() => toggle.mutate()}
            >
              {paused ? t('mailboxes.actions.resume') : t('mailboxes.actions.pause')}
            </button>
            <button type="button" className="btn btn-sm btn-quiet" data-testid="mailbox-remove" onClick={onRemove}>
              {t('mailboxes.actions.remove')}
            </button>
          </fieldset>
        </td>
      </tr>
      {hasExtra ? (
        <tr className="row-extra">
          <td colSpan={7}>
            {state.kind === 'error' ? (
              <div className="row-problem" data-testid="mailbox-problem">
                <ProblemText problem={state.problem} />
              </div>
            ) : null}
            {actionError ? <Notice>{errorMessage(actionError)}</Notice> : null}
            {stepUp.dialog}
            <div aria-live="polite">
              {test.isPending ? <p className="muted">{t('form.testing')}</p> : null}
              {test.data && !test.isPending ? (
                <TestResult
                  result={test.data}
                  imapServer={connection ? `${connection.imap.host}:${connection.imap.port}` : undefined}
                  smtpServer={connection ? `${connection.smtp.host}:${connection.smtp.port}` : undefined}
                />
              ) : null}
            </div>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Counted up to the cap (decision 0014): at the cap it reads "99+", and its title says so in words. */
function OpenCount({ count, cap }: { count: number; cap: number }) {
  const { t } = useTranslation('settings');
  if (count < cap) return <span data-testid="mailbox-open">{count}</span>;
  return (
    <span data-testid="mailbox-open" title={t('mailboxes.openCountCappedTitle', { count: cap - 1 })}>
      {t('mailboxes.openCountCapped', { count: cap - 1 })}
    </span>
  );
}
function StatusBadge({ state }: { state: ReturnType<typeof mailboxState> }) {
  const { t } = useTranslation('settings');
  switch (state.kind) {
    case 'active':
      return (
        <span className="badge status-badge" data-testid="mailbox-status" data-status="active">
          <span className="dot ok" aria-hidden="true" />
          {t('mailboxes.status.active')}
        </span>
      );
    case 'paused':
      return (
        <span className="badge status-badge paused" data-testid="mailbox-status" data-status="paused" title={t('mailboxes.pausedHint')}>
          <span className="dot" aria-hidden="true" />
          {t('mailboxes.status.paused')}
        </span>
      );
    case 'error':
      return (
        <span
          className="badge status-badge problem"
          data-testid="mailbox-status"
          data-status="error"
          title={state.problem.key ? t(`connectionErrors.${state.problem.key}.fix`) : state.problem.message}
        >
          <AlertIcon />
          <span className="visually-hidden">{t('mailboxes.status.error')}: </span>
          {state.problem.key ? t(`connectionErrors.${state.problem.key}.title`) : t('mailboxes.status.error')}
        </span>
      );
    default:
      return (
        <span className="badge status-badge" data-testid="mailbox-status" data-status={state.status}>
          {state.status}
        </span>
      );
  }
}
