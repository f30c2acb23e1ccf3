import type { LinkSenders } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi, usersKeys } from './api';

/** The sender choice: the system mailbox (no id sent), a connected mailbox's id, or nothing (copy only). */
export type SenderChoice = { kind: 'system'; address: string } | { kind: 'mailbox'; id: string; address: string } | { kind: 'copy' };

export function viaMailboxIdOf(choice: SenderChoice): string | undefined {
  return choice.kind === 'mailbox' ? choice.id : undefined;
}

/** What the UI says about where a link will be mailed from (null: it will not be mailed). */
export function senderAddressOf(choice: SenderChoice): string | null {
  return choice.kind === 'copy' ? null : choice.address;
}

/** The default: the system mailbox when configured, else the first connected mailbox, else copying by hand. */
export function defaultSender(senders: LinkSenders): SenderChoice {
  if (senders.systemMailbox) return { kind: 'system', address: senders.systemMailbox };
  const first = senders.items[0];
  return first ? { kind: 'mailbox', id: first.id, address: first.address } : { kind: 'copy' };
}

function choiceValue(choice: SenderChoice): string {
  return choice.kind === 'mailbox' ? choice.id : choice.kind;
}

/**
 * Which connected mailbox invitation and reset links are emailed from (issue 18): without
 * PIER_SYSTEM_MAILBOX an admin can still mail them, through a mailbox they pick here.
 */
export function LinkSender({ choice, onChoose }: { choice: SenderChoice | null; onChoose: (choice: SenderChoice) => void }) {
  const { t } = useTranslation('users');
  const senders = useQuery({ queryKey: usersKeys.linkSenders, queryFn: usersApi.linkSenders });
  const data = senders.data;
  useEffect(() => {
    if (data && choice === null) onChoose(defaultSender(data));
  }, [data, choice, onChoose]);
  if (!data || choice === null) return null;
  const others = data.items.filter((m) => m.address !== data.systemMailbox);
  const onChange = (value: string) => {
    if (value === 'system' && data.systemMailbox) return onChoose({ kind: 'system', address: data.systemMailbox });
    const mailbox = data.items.find((m) => m.id === value);
    onChoose(mailbox ? { kind: 'mailbox', id: mailbox.id, address: mailbox.address } : { kind: 'copy' });
  };
  return (
    <section className="users-sender" data-testid="link-sender">
      <div className="field">
        <label htmlFor="link-sender">{t('sender.label')}</label>
        <select
          id="link-sender"
          className="input"
          data-testid="link-sender-select"
          value={choiceValue(choice)}
          onChange={(e) => onChange(e.target.value)}
        >
          {data.systemMailbox ? <option value="system">{t('sender.system', { address: data.systemMailbox })}</option> : null}
          {others.map((m) => (
            <option key={m.id} value={m.id}>
              {m.displayName && m.displayName !== m.address ? `${m.displayName} <${m.address}>` : m.address}
            </option>
          ))}
          {data.systemMailbox ? null : <option value="copy">{t('sender.copyOnly')}</option>}
        </select>
      </div>
      <p className="muted">{data.items.length === 0 && !data.systemMailbox ? t('sender.none') : t('sender.hint')}</p>
    </section>
  );
}
