import { type AccountLink, type Role, roles } from '@pier/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { usersApi, usersKeys } from './api';
import { type SenderChoice, senderAddressOf, viaMailboxIdOf } from './LinkSender';

/** Inviting someone: email, name and role; the invitation link is shown afterwards (LinkPanel). */
export function InviteForm({
  canInviteSuperAdmin,
  sender,
  onCancel,
  onInvited,
}: {
  canInviteSuperAdmin: boolean;
  /** Where the invitation is emailed from (LinkSender, on the page). */
  sender: SenderChoice;
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
    mutationFn: () => {
      const viaMailboxId = viaMailboxIdOf(sender);
      return usersApi.invite({ email: email.trim(), name: name.trim(), role, ...(viaMailboxId ? { viaMailboxId } : {}) });
    },
    onSuccess: (link) => {
      void queryClient.invalidateQueries({ queryKey: usersKeys.list });
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
            {roles
              .filter((r) => r !== 'super_admin' || canInviteSuperAdmin)
              .map((r) => (
                <option key={r} value={r}>
                  {tc(`roles.${r}`)}
                </option>
              ))}
          </select>
        </div>
      </div>
      <p className="muted" data-testid="user-invite-sender">
        {senderAddressOf(sender) ? t('invite.sendsFrom', { mailbox: senderAddressOf(sender) }) : t('invite.copyOnly')}
      </p>
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
