import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { type ConversationContact, fraudApi, fraudKeys } from './api';
import './fraud.css';

/** Invalidates what shows a number: ['fraud', id] is the prefix of the contacts, callable contacts and approvals keys. */
function useSavePhone(conversationId: string, contact: ConversationContact, onSaved: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (phone: string | null) => fraudApi.setPhone(contact.contactId, { phone }),
    onSuccess: () => {
      onSaved();
      void queryClient.invalidateQueries({ queryKey: fraudKeys.conversation(conversationId) });
    },
  });
}

/** One contact's number, with an inline editor (validated and normalised by the server). */
export function ContactPhoneEditor({ conversationId, contact }: { conversationId: string; contact: ConversationContact }) {
  const { t } = useTranslation('fraud');
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(contact.phone ?? '');
  const save = useSavePhone(conversationId, contact, () => setEditing(false));
  const who = contact.name ?? contact.address;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(value.trim() === '' ? null : value.trim());
  };
  if (!editing) {
    return (
      <span className="fraud-contact-phone" data-testid="contact-phone" data-address={contact.address}>
        <span className="fraud-contact-number">{contact.phone ?? t('contacts.none')}</span>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            setValue(contact.phone ?? '');
            setEditing(true);
          }}
          data-testid="contact-phone-edit"
        >
          {contact.phone ? t('contacts.edit') : t('contacts.add')}
        </button>
      </span>
    );
  }
  return (
    <form className="fraud-contact-form" onSubmit={submit} data-testid="contact-phone-form">
      <label htmlFor={`${id}-phone`} className="visually-hidden">
        {t('contacts.label', { who })}
      </label>
      <input
        id={`${id}-phone`}
        className="input"
        type="tel"
        autoComplete="off"
        placeholder={t('contacts.placeholder')}
        value={value}
        maxLength={40}
        onChange={(e) => setValue(e.target.value)}
        data-testid="contact-phone-input"
      />
      <button type="submit" className="btn btn-primary btn-small" disabled={save.isPending} data-testid="contact-phone-save">
        {t('contacts.save')}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
        {t('contacts.cancel')}
      </button>
      {save.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(save.error)}
        </span>
      ) : null}
    </form>
  );
}

/** Every number the team may record for this conversation's customer side (and the company a look-alike imitates). */
export function ContactPhones({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('fraud');
  const query = useQuery({ queryKey: fraudKeys.contacts(conversationId), queryFn: () => fraudApi.contacts(conversationId) });
  const contacts = query.data?.items ?? [];
  if (contacts.length === 0) return null;
  return (
    <div className="fraud-contacts" data-testid="fraud-contacts">
      <h4>{t('contacts.title')}</h4>
      <p className="fraud-contacts-hint">{t('contacts.hint')}</p>
      <ul>
        {contacts.map((c) => (
          <li key={c.contactId}>
            <span className="fraud-contact-who">{c.name ? `${c.name} <${c.address}>` : c.address}</span>
            <ContactPhoneEditor key={`${c.contactId}:${c.phone ?? ''}`} conversationId={conversationId} contact={c} />
          </li>
        ))}
      </ul>
      {query.isError ? <p className="field-error">{errorMessage(query.error)}</p> : null}
    </div>
  );
}

/** The customer header's number (features/conversation/CustomerHeader.tsx): shown and editable in place. */
export function CustomerPhone({ conversationId, address }: { conversationId: string; address: string }) {
  const { t } = useTranslation('fraud');
  const query = useQuery({ queryKey: fraudKeys.contacts(conversationId), queryFn: () => fraudApi.contacts(conversationId) });
  const contact = query.data?.items.find((c) => c.address.toLowerCase() === address.toLowerCase());
  if (!contact) return null;
  return (
    <span className="customer-phone" data-testid="customer-phone">
      <span className="customer-phone-label">{t('contacts.phone')}</span>
      <ContactPhoneEditor key={`${contact.contactId}:${contact.phone ?? ''}`} conversationId={conversationId} contact={contact} />
    </span>
  );
}
