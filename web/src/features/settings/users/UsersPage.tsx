import type {
  AccountLink,
  DeactivateRequest,
  OpenConversations,
  Role,
  SessionInfo,
  Team,
  UserAdminList,
  UserAdminView,
} from '@pier/contracts';
import './users.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { currentLocale, errorMessage } from '../../../i18n';
import type { UsersCatalogue } from '../../../i18n/users.en';
import { Field } from '../../../ui/Field';
import { AlertIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { useStepUpAction } from '../../accounts/StepUp';
import { CheckIcon, PlusIcon } from '../icons';
import { PublicAddress } from './PublicAddress';

const usersApi = {
  list: () => request<UserAdminList>('GET', '/api/users'),
  invite: (body: { email: string; name: string; role: Role }) => request<AccountLink>('POST', '/api/users/invitations', body),
  changeRole: (id: string, role: Role) => request<void>('PATCH', `/api/users/${encodeURIComponent(id)}/role`, { role }),
  resetTwoFactor: (id: string) => request<void>('DELETE', `/api/users/${encodeURIComponent(id)}/two-factor`),
  passwordLink: (id: string) => request<AccountLink>('POST', `/api/users/${encodeURIComponent(id)}/password-reset`),
  deactivate: (id: string, body: DeactivateRequest) =>
    request<{ unassigned: number; reassigned: number }>('POST', `/api/users/${encodeURIComponent(id)}/deactivate`, body ?? {}),
  openConversations: (id: string) => request<OpenConversations>('GET', `/api/users/${encodeURIComponent(id)}/open-conversations`),
  teams: () => request<{ items: Team[] }>('GET', '/api/teams'),
  reactivate: (id: string) => request<void>('POST', `/api/users/${encodeURIComponent(id)}/reactivate`),
  revokeSessions: (id: string) => request<{ revoked: number }>('DELETE', `/api/users/${encodeURIComponent(id)}/sessions`),
};
const usersKey = ['settings', 'users'] as const;
const ROLES: readonly Role[] = ['super_admin', 'admin', 'agent', 'auditor'];

function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A confirmation, translated when shown (so it follows a language switch). */
type Flash = { key: keyof UsersCatalogue['done']; params: Record<string, string | number> };
type Shown = { name: string; link: AccountLink };

/**
 * /settings/users: every account with its role, second factor, last sign-in and status.
 * Admins invite, change roles (step-up), reset a second factor, hand out password links,
 * deactivate and sign people out; auditors see the same list without a single button.
 */
export function UsersPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('users');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('pageTitle'));
  const me = session.user;
  const readOnly = me.role === 'auditor';
  const list = useQuery({ queryKey: usersKey, queryFn: usersApi.list });
  const [flash, setFlash] = useState<Flash | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [inviting, setInviting] = useState(false);
  const items = list.data?.items ?? [];

  return (
    <div className="settings-page" data-testid="users-page">
      <header className="page-head">
        <div>
          <h2>{t('pageTitle')}</h2>
          <p className="page-intro">{t('intro')}</p>
        </div>
        {readOnly ? null : (
          <button type="button" className="btn btn-primary" data-testid="user-invite-open" onClick={() => setInviting(true)}>
            <PlusIcon />
            {t('invite.open')}
          </button>
        )}
      </header>
      {readOnly ? null : <PublicAddress role={me.role} />}
      {readOnly ? (
        <p className="muted" data-testid="users-read-only">
          {t('readOnly')}
        </p>
      ) : null}
      {list.data?.warnings.includes('too_many_super_admins') ? (
        <div className="users-warning" role="alert" data-testid="users-super-admin-warning">
          <AlertIcon />
          <span>{t('tooManySuperAdmins')}</span>
        </div>
      ) : null}
      {flash ? (
        <div className="flash" role="status" data-testid="users-flash">
          <CheckIcon />
          <span>{t(`done.${flash.key}`, flash.params)}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFlash(null)}>
            {t('dismiss')}
          </button>
        </div>
      ) : null}
      {inviting ? (
        <InviteForm
          canInviteSuperAdmin={me.role === 'super_admin'}
          onCancel={() => setInviting(false)}
          onInvited={(name, link) => {
            setInviting(false);
            setShown({ name, link });
          }}
        />
      ) : null}
      {shown ? <LinkPanel shown={shown} onClose={() => setShown(null)} /> : null}
      {list.isPending ? <p className="muted">{t('loading')}</p> : null}
      {list.isError ? <Notice>{`${t('loadFailed')} ${errorMessage(list.error)}`}</Notice> : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table users-table">
            <thead>
              <tr>
                <th scope="col">{t('columns.user')}</th>
                <th scope="col">{t('columns.role')}</th>
                <th scope="col">{t('columns.twoFactor')}</th>
                <th scope="col">{t('columns.lastLogin')}</th>
                <th scope="col">{t('columns.status')}</th>
                {readOnly ? null : (
                  <th scope="col" className="actions">
                    <span className="visually-hidden">{t('columns.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  colleagues={items.filter((u) => u.id !== user.id && u.status === 'active' && u.role !== 'auditor')}
                  me={me}
                  readOnly={readOnly}
                  roleLabel={(role) => tc(`roles.${role}`)}
                  onFlash={setFlash}
                  onLink={(link) => setShown({ name: user.name, link })}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function UserRow({
  user,
  colleagues,
  me,
  readOnly,
  roleLabel,
  onFlash,
  onLink,
}: {
  user: UserAdminView;
  /** Who could take over this user's conversations: the other active accounts that may reply. */
  colleagues: UserAdminView[];
  me: SessionInfo['user'];
  readOnly: boolean;
  roleLabel: (role: Role) => string;
  onFlash: (flash: Flash) => void;
  onLink: (link: AccountLink) => void;
}) {
  const { t } = useTranslation('users');
  const queryClient = useQueryClient();
  const isMe = user.id === me.id;
  // Only a super admin touches a super admin (the server says so too).
  const canManage = !readOnly && (me.role === 'super_admin' || user.role !== 'super_admin');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: usersKey });
  const [deactivating, setDeactivating] = useState(false);
  const action = useStepUpAction((run: () => Promise<Flash | null>) => run(), {
    onSuccess: (flash) => {
      if (flash) onFlash(flash);
    },
    onSettled: refresh,
  });
  const name = user.name;

  const twoFactor = user.twoFactor
    ? [user.totp ? t('twoFactor.totp') : null, user.passkeys > 0 ? t('twoFactor.passkeys', { count: user.passkeys }) : null]
        .filter(Boolean)
        .join(' · ')
    : t('twoFactor.none');

  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td>
        <div className="user-cell">
          <span className="user-cell-name">
            {user.name}
            {isMe ? <span className="muted"> ({t('you')})</span> : null}
          </span>
          <span className="muted">{user.email}</span>
        </div>
        {action.isError ? <Notice>{errorMessage(action.error)}</Notice> : null}
        {action.dialog}
      </td>
      <td>
        {canManage && !isMe ? (
          <select
            className="input users-role"
            aria-label={t('columns.role')}
            data-testid="user-role"
            value={user.role}
            disabled={action.isPending}
            onChange={(event) => {
              const role = event.target.value as Role;
              action.mutate(async () => {
                await usersApi.changeRole(user.id, role);
                return { key: 'role', params: { name } };
              });
            }}
          >
            {ROLES.filter((role) => role !== 'super_admin' || me.role === 'super_admin').map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        ) : (
          <span data-testid="user-role-text">{roleLabel(user.role)}</span>
        )}
      </td>
      <td>
        <span className={`status-dot ${user.twoFactor ? 'on' : 'off'}`} aria-hidden="true" />
        <span data-testid="user-two-factor">{twoFactor}</span>
      </td>
      <td className="sec-nowrap">{user.lastLoginAt ? formatTime(user.lastLoginAt) : t('never')}</td>
      <td>
        <span className={`badge user-status-${user.status}`} data-testid="user-status">
          {t(`status.${user.status}`)}
        </span>
      </td>
      {readOnly ? null : (
        <td className="actions">
          {canManage && !isMe ? (
            <div className="users-actions">
              {user.status === 'disabled' ? (
                <UserAction
                  testId="user-reactivate"
                  label={t('actions.reactivate')}
                  action={action}
                  run={async () => {
                    await usersApi.reactivate(user.id);
                    return { key: 'reactivate', params: { name } };
                  }}
                />
              ) : (
                <>
                  {user.twoFactor ? (
                    <UserAction
                      testId="user-reset-two-factor"
                      label={t('actions.resetTwoFactor')}
                      confirm={t('confirm.resetTwoFactor', { name })}
                      action={action}
                      run={async () => {
                        await usersApi.resetTwoFactor(user.id);
                        return { key: 'resetTwoFactor', params: { name } };
                      }}
                    />
                  ) : null}
                  {user.status === 'active' ? (
                    <>
                      <UserAction
                        testId="user-password-link"
                        label={t('actions.passwordLink')}
                        action={action}
                        run={async () => {
                          onLink(await usersApi.passwordLink(user.id));
                          return null;
                        }}
                      />
                      <UserAction
                        testId="user-revoke-sessions"
                        label={t('actions.revokeSessions')}
                        confirm={t('confirm.revokeSessions', { name })}
                        action={action}
                        run={async () => {
                          const { revoked } = await usersApi.revokeSessions(user.id);
                          return { key: 'revokeSessions', params: { name, count: revoked } };
                        }}
                      />
                    </>
                  ) : null}
                  <button
                    type="button"
                    className="btn btn-sm"
                    data-testid="user-deactivate"
                    disabled={action.isPending}
                    onClick={() => setDeactivating(true)}
                  >
                    {t('actions.deactivate')}
                  </button>
                  {deactivating ? (
                    <DeactivateDialog
                      user={user}
                      colleagues={colleagues}
                      onCancel={() => setDeactivating(false)}
                      onConfirm={(body) => {
                        setDeactivating(false);
                        action.mutate(async () => {
                          const { unassigned, reassigned } = await usersApi.deactivate(user.id, body);
                          return { key: 'deactivate', params: { name, count: unassigned, reassigned } };
                        });
                      }}
                    />
                  ) : null}
                </>
              )}
            </div>
          ) : null}
        </td>
      )}
    </tr>
  );
}

/**
 * Deactivation asks where the user's open conversations go, after showing how many there are and
 * in which teams: a colleague, a team, or (default) each one's own team queue, else unassigned.
 */
function DeactivateDialog({
  user,
  colleagues,
  onCancel,
  onConfirm,
}: {
  user: UserAdminView;
  colleagues: UserAdminView[];
  onCancel: () => void;
  onConfirm: (body: DeactivateRequest) => void;
}) {
  const { t } = useTranslation('users');
  const open = useQuery({ queryKey: ['settings', 'users', user.id, 'open'], queryFn: () => usersApi.openConversations(user.id) });
  const teams = useQuery({ queryKey: ['settings', 'teams'], queryFn: usersApi.teams });
  const [to, setTo] = useState<'default' | 'colleague' | 'team'>('default');
  const [colleagueId, setColleagueId] = useState(colleagues[0]?.id ?? '');
  const [teamId, setTeamId] = useState('');
  const teamList = teams.data?.items ?? [];
  const chosenTeam = teamId || teamList[0]?.id || '';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (to === 'colleague' && colleagueId) onConfirm({ reassignTo: { userId: colleagueId } });
    else if (to === 'team' && chosenTeam) onConfirm({ reassignTo: { teamId: chosenTeam } });
    else onConfirm({});
  };
  const counts = open.data;
  return (
    <div className="sec-backdrop">
      <div
        className="sec-dialog deactivate-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="deactivate-title"
        data-testid="deactivate-dialog"
      >
        <h2 id="deactivate-title">{t('deactivation.title', { name: user.name })}</h2>
        <p className="muted">{t('deactivation.lead')}</p>
        {open.isError ? <Notice>{errorMessage(open.error)}</Notice> : null}
        {!counts ? (
          <p className="muted">{t('deactivation.counting')}</p>
        ) : counts.open === 0 ? (
          <p data-testid="deactivate-count">{t('deactivation.none', { name: user.name })}</p>
        ) : (
          <div data-testid="deactivate-count">
            <p>{t('deactivation.count', { name: user.name, count: counts.open })}</p>
            <ul className="deactivate-breakdown">
              {counts.teams.map((team) => (
                <li key={team.teamId}>{t('deactivation.inTeam', { team: team.name, count: team.count })}</li>
              ))}
              {counts.withoutTeam > 0 ? <li>{t('deactivation.withoutTeam', { count: counts.withoutTeam })}</li> : null}
            </ul>
          </div>
        )}
        <form className="auth-form" onSubmit={submit} noValidate>
          {counts && counts.open > 0 ? (
            <fieldset className="deactivate-choice">
              <legend>{t('deactivation.handTo')}</legend>
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'default'}
                  onChange={() => setTo('default')}
                  data-testid="deactivate-to-default"
                />{' '}
                {t('deactivation.toDefault')}
              </label>
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'colleague'}
                  disabled={colleagues.length === 0}
                  onChange={() => setTo('colleague')}
                  data-testid="deactivate-to-colleague"
                />{' '}
                {t('deactivation.toColleague')}
              </label>
              {to === 'colleague' ? (
                <div className="field">
                  <select
                    className="input"
                    aria-label={t('deactivation.colleague')}
                    value={colleagueId}
                    onChange={(event) => setColleagueId(event.target.value)}
                    data-testid="deactivate-colleague"
                  >
                    {colleagues.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name} ({c.email})
                      </option>
                    ))}
                  </select>
                  <p className="muted">{t('deactivation.colleagueHint')}</p>
                </div>
              ) : null}
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'team'}
                  disabled={teamList.length === 0}
                  onChange={() => setTo('team')}
                  data-testid="deactivate-to-team"
                />{' '}
                {t('deactivation.toTeam')}
              </label>
              {to === 'team' ? (
                <select
                  className="input"
                  aria-label={t('deactivation.team')}
                  value={chosenTeam}
                  onChange={(event) => setTeamId(event.target.value)}
                  data-testid="deactivate-team"
                >
                  {teamList.map((team) => (
                    <option key={team.id} value={team.id}>
                      {team.name}
                    </option>
                  ))}
                </select>
              ) : null}
            </fieldset>
          ) : null}
          <div className="sec-dialog-actions">
            <button type="button" className="btn" onClick={onCancel}>
              {t('deactivation.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={!counts} data-testid="deactivate-submit">
              {t('deactivation.submit')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** One action button of a user row: asks `confirm` first when given, then runs through the row's step-up action. */
function UserAction({
  testId,
  label,
  confirm,
  action,
  run,
}: {
  testId: string;
  label: string;
  confirm?: string;
  action: { mutate: (run: () => Promise<Flash | null>) => void; isPending: boolean };
  run: () => Promise<Flash | null>;
}) {
  return (
    <button
      type="button"
      className="btn btn-sm"
      data-testid={testId}
      disabled={action.isPending}
      onClick={() => {
        if (confirm === undefined || window.confirm(confirm)) action.mutate(run);
      }}
    >
      {label}
    </button>
  );
}

function InviteForm({
  canInviteSuperAdmin,
  onCancel,
  onInvited,
}: {
  canInviteSuperAdmin: boolean;
  onCancel: () => void;
  onInvited: (name: string, link: AccountLink) => void;
}) {
  const { t } = useTranslation('users');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const invite = useMutation({
    mutationFn: () => usersApi.invite({ email: email.trim(), name: name.trim(), role }),
    onSuccess: (link) => {
      void queryClient.invalidateQueries({ queryKey: usersKey });
      onInvited(name.trim(), link);
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!invite.isPending) invite.mutate();
  };
  return (
    <form className="users-invite" data-testid="user-invite-form" onSubmit={onSubmit} noValidate>
      <h3>{t('invite.title')}</h3>
      {invite.isError ? <Notice testId="user-invite-error">{errorMessage(invite.error)}</Notice> : null}
      <div className="users-invite-fields">
        <Field
          id="invite-email"
          data-testid="user-invite-email"
          type="email"
          label={t('invite.email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          id="invite-name"
          data-testid="user-invite-name"
          label={t('invite.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field">
          <label htmlFor="invite-role">{t('invite.role')}</label>
          <select
            id="invite-role"
            className="input"
            data-testid="user-invite-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.filter((r) => r !== 'super_admin' || canInviteSuperAdmin).map((r) => (
              <option key={r} value={r}>
                {tc(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="users-invite-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('invite.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="user-invite-submit" disabled={invite.isPending}>
          {invite.isPending ? t('invite.submitting') : t('invite.submit')}
        </button>
      </div>
    </form>
  );
}

function LinkPanel({ shown, onClose }: { shown: Shown; onClose: () => void }) {
  const { t } = useTranslation('users');
  const [copied, setCopied] = useState(false);
  return (
    <div className="users-link" role="status" data-testid="user-link-panel">
      <h3>{t('link.title', { name: shown.name })}</h3>
      <p className="muted">
        {shown.link.emailed
          ? t('link.emailed')
          : shown.link.notEmailedBecause === 'no_public_url'
            ? t('link.notEmailedNoPublicUrl')
            : t('link.notEmailed')}
      </p>
      <input
        className="input users-link-input"
        readOnly
        value={shown.link.link}
        data-testid="user-link"
        aria-label={t('link.title', { name: shown.name })}
      />
      <p className="muted">{t('link.expires', { time: formatTime(shown.link.expiresAt) })}</p>
      <div className="users-invite-actions">
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(shown.link.link).then(() => setCopied(true));
          }}
        >
          {copied ? t('link.copied') : t('link.copy')}
        </button>
        <button type="button" className="btn btn-primary" data-testid="user-link-close" onClick={onClose}>
          {t('link.close')}
        </button>
      </div>
    </div>
  );
}
