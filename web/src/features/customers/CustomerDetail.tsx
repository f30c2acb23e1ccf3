import type { ContactDetail, CustomerTimelineItem } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { countryName } from '../conversation/format';
import { customersApi } from './api';

const formatDate = (ms: number) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(new Date(ms));

function phonesText(c: ContactDetail): string {
  return c.phones
    .filter((p) => !p.verified)
    .map((p) => (p.label ? `${p.label}: ${p.phone}` : p.phone))
    .join('\n');
}
function parsePhones(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.lastIndexOf(':');
      return at > 0 ? { label: l.slice(0, at).trim() || null, phone: l.slice(at + 1).trim() } : { label: null, phone: l };
    });
}
function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
const splitTags = (text: string) =>
  text
    .split(/[,，;；]/)
    .map((t) => t.trim())
    .filter(Boolean);

/** A contact: its fields (edited in place), owner (claim / return), merge, and its history. */
export function ContactPanel({ id, userId, isAdmin, onChanged }: { id: string; userId: string; isAdmin: boolean; onChanged: () => void }) {
  const { t } = useTranslation('customers');
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['customers', 'contact', id], queryFn: () => customersApi.contact(id) });
  const owners = useQuery({ queryKey: ['customers', 'owners'], queryFn: customersApi.owners });
  const c = detail.data;
  const [form, setForm] = useState({ name: '', country: '', tags: '', phones: '', fields: '', owner: '' });
  const [mergeText, setMergeText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!c) return;
    setForm({
      name: c.name ?? '',
      country: c.country ?? '',
      tags: c.tags.join(', '),
      phones: phonesText(c),
      fields: Object.entries(c.customFields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
      owner: c.owner?.id ?? '',
    });
  }, [c]);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['customers'] });
    onChanged();
  };
  const save = useMutation({
    mutationFn: (body: Parameters<typeof customersApi.updateContact>[1]) => customersApi.updateContact(id, body),
    onSuccess: () => {
      setMessage(t('detail.saved'));
      refresh();
    },
  });
  const merge = useMutation({
    mutationFn: async () => {
      const addresses = splitTags(mergeText).map((a) => a.toLowerCase());
      const found = await Promise.all(
        addresses.map(async (a) => (await customersApi.contacts({ q: a, country: '', owner: '', tag: '', lastContact: '' }, 5)).items),
      );
      const ids = found.flat().filter((x) => addresses.includes(x.address) && x.id !== id);
      return customersApi.merge(id, [...new Set(ids.map((x) => x.id))]);
    },
    onSuccess: (r) => {
      setMessage(t('detail.mergedDone', { count: r.merged }));
      setMergeText('');
      refresh();
    },
  });
  if (detail.isError) return <Notice>{errorMessage(detail.error)}</Notice>;
  if (!c) return <p className="muted">…</p>;
  const mayEdit = isAdmin || c.owner === null || c.owner.id === userId;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    save.mutate({
      name: form.name.trim() || null,
      country: /^[A-Za-z]{2}$/.test(form.country.trim()) ? form.country.trim().toUpperCase() : null,
      tags: splitTags(form.tags),
      phones: parsePhones(form.phones),
      customFields: parseFields(form.fields),
      ...(isAdmin && form.owner !== (c.owner?.id ?? '') ? { ownerId: form.owner || null } : {}),
    });
  };
  return (
    <div className="customer-detail" data-testid="customer-detail">
      <h2>{c.name ?? c.address}</h2>
      <p className="muted">
        {c.address}
        {c.company ? ` · ${c.company.name === c.company.domain ? c.company.domain : `${c.company.name} (${c.company.domain})`}` : ''}
        {c.country ? ` · ${countryName(c.country)}` : ''}
      </p>
      {c.mergedAddresses.length > 0 ? <p className="muted">{t('detail.merged', { addresses: c.mergedAddresses.join(', ') })}</p> : null}
      <p data-testid="customer-owner">
        <strong>{t('detail.owner')}:</strong> {c.owner ? c.owner.name : t('detail.noOwner')}
        {c.owner && c.ownedSince ? ` · ${t('detail.ownedSince', { date: formatDate(c.ownedSince) })}` : ''}{' '}
        {c.owner === null ? (
          <button type="button" className="btn" data-testid="customer-claim" onClick={() => save.mutate({ ownerId: userId })}>
            {t('detail.claim')}
          </button>
        ) : c.owner.id === userId ? (
          <button type="button" className="btn btn-ghost" onClick={() => save.mutate({ ownerId: null })}>
            {t('detail.release')}
          </button>
        ) : null}
      </p>
      {c.phones.some((p) => p.verified) ? (
        <p>
          <strong>{t('detail.phones')}:</strong>{' '}
          {c.phones
            .filter((p) => p.verified)
            .map((p) => `${p.phone} (${t('detail.verified')})`)
            .join(', ')}
        </p>
      ) : null}
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
      {merge.isError ? <Notice>{errorMessage(merge.error)}</Notice> : null}
      {mayEdit ? (
        <form className="customer-form" onSubmit={submit} data-testid="customer-form">
          <label>
            {t('detail.name')}
            <input
              className="input"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              data-testid="customer-name"
            />
          </label>
          <label>
            {t('detail.country')}
            <input className="input" value={form.country} maxLength={2} onChange={(e) => setForm({ ...form, country: e.target.value })} />
          </label>
          <label>
            {t('detail.tags')}
            <input
              className="input"
              value={form.tags}
              onChange={(e) => setForm({ ...form, tags: e.target.value })}
              data-testid="customer-tags"
            />
          </label>
          <label>
            {t('detail.phones')}
            <textarea className="input" rows={2} value={form.phones} onChange={(e) => setForm({ ...form, phones: e.target.value })} />
            <span className="muted small">{t('detail.phonesHint')}</span>
          </label>
          <label>
            {t('detail.customFields')}
            <textarea className="input" rows={2} value={form.fields} onChange={(e) => setForm({ ...form, fields: e.target.value })} />
          </label>
          {isAdmin ? (
            <label>
              {t('detail.owner')}
              <select className="input" value={form.owner} onChange={(e) => setForm({ ...form, owner: e.target.value })}>
                <option value="">{t('detail.noOwner')}</option>
                {(owners.data?.items ?? []).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="customer-save">
            {t('detail.save')}
          </button>
          <label>
            {t('detail.mergeInto')}
            <input className="input" value={mergeText} placeholder={t('detail.mergeHint')} onChange={(e) => setMergeText(e.target.value)} />
          </label>
          <button type="button" className="btn" disabled={!mergeText.trim() || merge.isPending} onClick={() => merge.mutate()}>
            {t('detail.merge')}
          </button>
        </form>
      ) : null}
      <Timeline kind="contact" id={c.id} mayWrite={mayEdit} />
    </div>
  );
}

/** A company: its name and tags, its people, and the history of all of them. */
export function CompanyPanel({ id, onOpenContact }: { id: string; onOpenContact: (id: string) => void }) {
  const { t } = useTranslation('customers');
  const detail = useQuery({ queryKey: ['customers', 'company', id], queryFn: () => customersApi.company(id) });
  const c = detail.data;
  if (detail.isError) return <Notice>{errorMessage(detail.error)}</Notice>;
  if (!c) return <p className="muted">…</p>;
  return (
    <div className="customer-detail" data-testid="company-detail">
      <h2>{c.name}</h2>
      <p className="muted">
        {c.domain}
        {c.country ? ` · ${countryName(c.country)}` : ''}
      </p>
      <h3>{t('detail.people')}</h3>
      <ul className="customer-people">
        {c.people.map((p) => (
          <li key={p.id}>
            <button type="button" className="link-button" onClick={() => onOpenContact(p.id)}>
              {p.name ?? p.address}
            </button>{' '}
            <span className="muted">
              {p.address}
              {p.owner ? ` · ${p.owner.name}` : ` · ${t('pool')}`}
            </span>
          </li>
        ))}
      </ul>
      <Timeline kind="company" id={c.id} mayWrite />
    </div>
  );
}

function describe(item: CustomerTimelineItem, t: ReturnType<typeof useTranslation<'customers'>>['t']): string {
  switch (item.kind) {
    case 'conversation':
      return t('timeline.conversation', { subject: item.subject, mailboxes: item.mailboxes.join(', '), status: item.status });
    case 'note':
      return `${t('timeline.note', { author: item.author ?? '' })}: ${item.body}`;
    case 'fraud_flag':
      return t(item.cleared ? 'timeline.fraud_cleared' : 'timeline.fraud_flag', { level: item.level });
    case 'phone_confirmation':
      return t('timeline.phone_confirmation', { phone: item.phone, outcome: item.outcome });
    case 'bank_detail':
      return t('timeline.bank_detail', {
        type: item.type,
        value: item.value,
        first: formatDate(item.firstSeenAt),
        last: formatDate(item.lastSeenAt),
      });
    case 'owner': {
      const reason = item.reason as keyof typeof import('../../i18n/customers.en').customersEn.timeline.reasons;
      return `${t('timeline.owner', { owner: item.owner ?? t('timeline.pool'), reason: t(`timeline.reasons.${reason}`) })} · ${item.contact}`;
    }
  }
}

function Timeline({ kind, id, mayWrite }: { kind: 'contact' | 'company'; id: string; mayWrite: boolean }) {
  const { t } = useTranslation('customers');
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const timeline = useQuery({
    queryKey: ['customers', kind, id, 'timeline'],
    queryFn: () => (kind === 'contact' ? customersApi.contactTimeline(id) : customersApi.companyTimeline(id)),
  });
  const add = useMutation({
    mutationFn: () => customersApi.addNote(kind, id, note),
    onSuccess: () => {
      setNote('');
      void queryClient.invalidateQueries({ queryKey: ['customers', kind, id, 'timeline'] });
    },
  });
  return (
    <section className="customer-timeline" data-testid="customer-timeline">
      <h3>{t('timeline.title')}</h3>
      {mayWrite ? (
        <form
          className="customer-note"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) add.mutate();
          }}
        >
          <input className="input" value={note} placeholder={t('timeline.addNote')} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" className="btn" disabled={!note.trim() || add.isPending}>
            {t('timeline.noteSave')}
          </button>
        </form>
      ) : null}
      {timeline.isError ? <Notice>{errorMessage(timeline.error)}</Notice> : null}
      {timeline.data?.items.length === 0 ? <p className="muted">{t('timeline.empty')}</p> : null}
      <ol>
        {(timeline.data?.items ?? []).map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is read-only and re-read whole; two items may share kind and time.
          <li key={`${item.kind}-${item.at}-${i}`} data-kind={item.kind}>
            <time className="muted">{formatDate(item.at)}</time>{' '}
            {item.kind === 'conversation' ? (
              <a href={`/?c=${encodeURIComponent(item.conversationId)}`}>{describe(item, t)}</a>
            ) : (
              describe(item, t)
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
