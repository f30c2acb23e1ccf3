import { type AccountLink, type Role, roles, type SessionInfo, type UserAdminView } from '@pier/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import type { UsersCatalogue } from '../../../i18n/users.en';
import { Notice } from '../../../ui/Notice';
import { useStepUpAction } from '../../accounts/StepUp';
import { usersApi, usersKeys } from './api';
import { DeactivateDialog } from './DeactivateDialog';
import { formatTime } from './format';
import { type SenderChoice, viaMailboxIdOf } from './LinkSender';

/** A confirmation, translated when shown (so it follows a language switch). */
export type Flash = { key: keyof UsersCatalogue['done']; params: Record<string, string | number> };

/** One account in the users table, with the actions the viewer may take on it. */
export function UserRow({
  user,
  colleagues,
  me,
  readOnly,
  roleLabel,
  onFlash,
  onLink,
  sender,
}: {
  user: UserAdminView;
  /** Who could take over this user's conversations: the other active accounts that may reply. */
  colleagues: UserAdminView[];
  me: SessionInfo['user'];
  readOnly: boolean;
  roleLabel: (role: Role) => string;
  onFlash: (flash: Flash) => void;
  onLink: (link: AccountLink) => void;
  /** Where a reset link is emailed from (LinkSender, on the page). */
  sender: SenderChoice;
}) {
  const { t } = useTranslation('users');
  const queryClient = useQueryClient();
  const isMe = user.id === me.id;
  // Only a super admin touches a super admin (the server says so too).
  const canManage = !readOnly && (me.role === 'super_admin' || user.role !== 'super_admin');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: usersKeys.list });
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
            {roles
              .filter((role) => role !== 'super_admin' || me.role === 'super_admin')
              .map((role) => (
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
                          onLink(await usersApi.passwordLink(user.id, viaMailboxIdOf(sender)));
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
                          const { unassigned, reassigned, customers = 0 } = await usersApi.deactivate(user.id, body);
                          return { key: 'deactivate', params: { name, count: unassigned, reassigned, customers } };
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
