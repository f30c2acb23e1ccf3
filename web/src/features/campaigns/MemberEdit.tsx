import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { suppressionApi } from './admin-api';
import type { OptInMember } from './api';

/** Edit and Remove for one member (decision 0072); the removal is confirmed first and leaves the suppression list alone. */
export function MemberActions(props: { listId: string; listName: string; member: OptInMember; onEdit: () => void; onChanged: () => void }) {
  const { t } = useTranslation('campaignSuppression');
  const remove = useMutation({
    mutationFn: () => suppressionApi.removeMember(props.listId, props.member.address),
    onSuccess: props.onChanged,
  });
  return (
    <span className="member-actions">
      <button type="button" className="btn btn-sm" data-testid="member-edit" onClick={props.onEdit}>
        {t('member.edit')}
      </button>
      <button
        type="button"
        className="btn btn-sm"
        data-testid="member-remove"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(t('member.removeConfirm', { address: props.member.address, list: props.listName }))) remove.mutate();
        }}
      >
        {t('member.remove')}
      </button>
      {remove.isError ? <Notice>{errorMessage(remove.error)}</Notice> : null}
    </span>
  );
}

/** A member's merge fields and confirmation-mail language; the address and consent record are not editable. */
export function MemberEditForm(props: { listId: string; member: OptInMember; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation('campaignSuppression');
  const { member } = props;
  const [form, setForm] = useState({
    name: member.name ?? '',
    company: member.company ?? '',
    country: member.country ?? '',
    timeZone: member.timeZone ?? '',
  });
  const [language, setLanguage] = useState<'' | 'zh-CN' | 'en'>(member.language ?? '');
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  const save = useMutation({
    mutationFn: () =>
      suppressionApi.updateMember(props.listId, member.address, {
        name: form.name.trim() || null,
        company: form.company.trim() || null,
        country: form.country.trim() || null,
        timeZone: form.timeZone.trim() || null,
        language: language || null,
      }),
    onSuccess: () => props.onDone(true),
  });
  return (
    <form
      className="campaign-compose member-edit"
      data-testid="member-edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h4 dir="auto">{t('member.editTitle', { address: member.address })}</h4>
      <p className="hint">{t('member.editHint')}</p>
      <div className="campaign-row">
        <Field id="member-edit-name" label={t('member.name')} value={form.name} onChange={set('name')} maxLength={200} />
        <Field id="member-edit-company" label={t('member.company')} value={form.company} onChange={set('company')} maxLength={200} />
      </div>
      <div className="campaign-row">
        <Field id="member-edit-country" label={t('member.country')} value={form.country} onChange={set('country')} maxLength={2} />
        <Field id="member-edit-zone" label={t('member.timeZone')} value={form.timeZone} onChange={set('timeZone')} maxLength={64} />
        <div className="field">
          <label htmlFor="member-edit-language">{t('member.language')}</label>
          <select
            id="member-edit-language"
            className="input"
            value={language}
            onChange={(e) => setLanguage(e.target.value as '' | 'zh-CN' | 'en')}
          >
            <option value="">{t('member.languageNone')}</option>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </div>
      </div>
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
      <div className="campaign-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('member.save')}
        </button>
        <button type="button" className="btn" onClick={() => props.onDone(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
