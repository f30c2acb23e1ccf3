import type { SessionInfo } from '@pier/contracts';
import './users.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { AlertIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { CheckIcon, PlusIcon } from '../icons';
import { usersApi, usersKeys } from './api';
import { InviteForm } from './InviteForm';
import { LinkPanel, type Shown } from './LinkPanel';
import { LinkSender, type SenderChoice } from './LinkSender';
import { PublicAddress } from './PublicAddress';
import { SuperAdminLimit } from './SuperAdminLimit';
import { type Flash, UserRow } from './UserRow';

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
  const list = useQuery({ queryKey: usersKeys.list, queryFn: usersApi.list });
  const [flash, setFlash] = useState<Flash | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [inviting, setInviting] = useState(false);
  const [sender, setSender] = useState<SenderChoice | null>(null);
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
      {readOnly ? null : <LinkSender choice={sender} onChoose={setSender} />}
      {readOnly ? null : <SuperAdminLimit role={me.role} />}
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
          sender={sender ?? { kind: 'copy' }}
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
                  sender={sender ?? { kind: 'copy' }}
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
