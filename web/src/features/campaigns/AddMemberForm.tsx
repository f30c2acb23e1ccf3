import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { campaignsApi, type NewMember, type Suppression } from './api';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * One contact added to a static list by hand (decision 0068): consent source and date required; a
 * suppressed address is refused and the form says why (unsubscribed, bounced… since when).
 */
export function AddMemberForm({ listId, onAdded }: { listId: string; onAdded: () => void }) {
  const { t, i18n } = useTranslation('campaignMembers');
  const { t: tc } = useTranslation('campaigns');
  const empty = { address: '', name: '', company: '', country: '', consentSource: '', consentDate: today() };
  const [form, setForm] = useState(empty);
  const [language, setLanguage] = useState<'' | 'zh-CN' | 'en'>('');
  const set = (key: keyof typeof empty) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  const add = useMutation({
    mutationFn: () => {
      const member: NewMember = { address: form.address.trim(), consentSource: form.consentSource.trim(), consentDate: form.consentDate };
      for (const key of ['name', 'company', 'country'] as const) if (form[key].trim()) member[key] = form[key].trim();
      if (language) member.language = language;
      return campaignsApi.addMember(listId, member);
    },
    onSuccess: () => {
      setForm({ ...empty, consentSource: form.consentSource, consentDate: form.consentDate });
      onAdded();
    },
  });
  const ready = form.address.trim() && form.consentSource.trim() && form.consentDate;
  const suppressed =
    add.error instanceof ApiRequestError && add.error.code === 'campaign.address_suppressed'
      ? (add.error.details as { reason: Suppression['reason']; since: string })
      : null;
  return (
    <form
      className="campaign-compose member-add"
      data-testid="member-add"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) add.mutate();
      }}
    >
      <h4>{t('add.title')}</h4>
      <div className="campaign-row">
        <Field id="member-address" label={t('add.address')} type="email" value={form.address} onChange={set('address')} maxLength={320} />
        <Field id="member-name" label={t('add.name')} value={form.name} onChange={set('name')} maxLength={200} />
        <Field id="member-company" label={t('add.company')} value={form.company} onChange={set('company')} maxLength={200} />
      </div>
      <div className="campaign-row">
        <Field id="member-country" label={t('add.country')} value={form.country} onChange={set('country')} maxLength={2} />
        <div className="field">
          <label htmlFor="member-language">{t('add.language')}</label>
          <select
            id="member-language"
            className="input"
            value={language}
            onChange={(e) => setLanguage(e.target.value as '' | 'zh-CN' | 'en')}
          >
            <option value="">{t('add.languageAuto')}</option>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </div>
      </div>
      <div className="campaign-row">
        <Field
          id="member-consent-source"
          label={t('add.consentSource')}
          value={form.consentSource}
          onChange={set('consentSource')}
          maxLength={200}
          required
        />
        <Field
          id="member-consent-date"
          label={t('add.consentDate')}
          type="date"
          value={form.consentDate}
          onChange={set('consentDate')}
          required
        />
      </div>
      <p className="hint">{t('add.consentSourceHint')}</p>
      <div className="campaign-row">
        <button type="submit" className="btn" disabled={!ready || add.isPending} data-testid="member-add-submit">
          {t('add.submit')}
        </button>
      </div>
      {add.data ? (
        <p className="hint" data-testid="member-added">
          {t(add.data.status === 'pending' ? 'add.addedPending' : 'add.added', { address: add.data.address })}
        </p>
      ) : null}
      {suppressed ? (
        <Notice>
          <span data-testid="member-suppressed">
            {t('add.suppressed', {
              address: form.address.trim().toLowerCase(),
              reason: tc(`suppression.reasons.${suppressed.reason}`),
              since: new Date(suppressed.since).toLocaleDateString(i18n.language),
            })}
          </span>
        </Notice>
      ) : add.isError ? (
        <Notice>{errorMessage(add.error)}</Notice>
      ) : null}
    </form>
  );
}
