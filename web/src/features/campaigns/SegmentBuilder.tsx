import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next, { errorMessage } from '../../i18n';
import { campaignSegmentsEn } from '../../i18n/campaign-segments.en';
import { campaignSegmentsZhCN } from '../../i18n/campaign-segments.zh-CN';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { languageName } from '../conversation/format';
import { customersApi } from '../customers/api';
import { type CampaignSegment, campaignsApi, campaignsKeys } from './api';

i18next.addResourceBundle('en', 'campaignSegments', campaignSegmentsEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignSegments', campaignSegmentsZhCN, true, true);

/** Languages the mail-facts detector names (ISO 639-1) that export teams write in most. */
const LANGUAGES = ['zh', 'en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'ru', 'ar', 'tr', 'ja', 'ko', 'vi', 'th', 'pl'];

const commaList = (text: string) =>
  text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

type Form = {
  name: string;
  tags: string;
  countries: string;
  domains: string;
  owner: string;
  language: string;
  contactedWithin: string;
  quietFor: string;
};
const empty: Form = { name: '', tags: '', countries: '', domains: '', owner: '', language: '', contactedWithin: '', quietFor: '' };

function segmentOf(form: Form): CampaignSegment {
  const days = (text: string) => (Number.isInteger(Number(text)) && Number(text) > 0 ? Number(text) : undefined);
  const contactedWithinDays = days(form.contactedWithin);
  const quietForDays = days(form.quietFor);
  return {
    ...(form.tags.trim() ? { tags: commaList(form.tags) } : {}),
    ...(form.countries.trim() ? { countries: commaList(form.countries).map((c) => c.toUpperCase()) } : {}),
    ...(form.domains.trim() ? { companyDomains: commaList(form.domains) } : {}),
    ...(form.owner ? { owners: [form.owner] } : {}),
    ...(form.language ? { languages: [form.language] } : {}),
    ...(contactedWithinDays ? { contactedWithinDays } : {}),
    ...(quietForDays ? { quietForDays } : {}),
  };
}

/** A segment of the customers (tag, country, company, owner, language, last contact) with its live count and first recipients. */
export function SegmentBuilder() {
  const { t } = useTranslation('campaignSegments');
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(empty);
  const set = (key: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const segment = useMemo(() => segmentOf(form), [form]);
  const debounced = useDebouncedValue(segment, 300);
  const owners = useQuery({ queryKey: ['customers', 'owners'], queryFn: customersApi.owners });
  const audience = useQuery({
    queryKey: campaignsKeys.segmentPreview(debounced),
    queryFn: () => campaignsApi.previewSegment(debounced),
    placeholderData: (previous) => previous,
  });
  const save = useMutation({
    mutationFn: () => campaignsApi.createSegment({ name: form.name.trim(), segment }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  const a = audience.data;
  return (
    <form
      className="campaign-compose segment-builder"
      data-testid="segment-builder"
      onSubmit={(e) => {
        e.preventDefault();
        if (form.name.trim()) save.mutate();
      }}
    >
      <h4>{t('title')}</h4>
      <p className="hint">{t('intro')}</p>
      <Field id="segment-name" label={t('name')} value={form.name} onChange={set('name')} maxLength={120} />
      <div className="campaign-row">
        <Field id="segment-tags" label={t('tags')} value={form.tags} onChange={set('tags')} />
        <Field id="segment-countries" label={t('countries')} value={form.countries} onChange={set('countries')} />
        <Field id="segment-domains" label={t('domains')} value={form.domains} onChange={set('domains')} />
      </div>
      <div className="campaign-row">
        <div className="field">
          <label htmlFor="segment-owner">{t('owner')}</label>
          <select id="segment-owner" className="input" value={form.owner} onChange={set('owner')}>
            <option value="">{t('anyOwner')}</option>
            <option value="none">{t('pool')}</option>
            {(owners.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="segment-language">{t('language')}</label>
          <select id="segment-language" className="input" value={form.language} onChange={set('language')}>
            <option value="">{t('anyLanguage')}</option>
            {LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="segment-contacted-within"
          label={t('contactedWithin')}
          inputMode="numeric"
          value={form.contactedWithin}
          onChange={set('contactedWithin')}
        />
        <Field id="segment-quiet-for" label={t('quietFor')} inputMode="numeric" value={form.quietFor} onChange={set('quietFor')} />
      </div>
      <output className="segment-count" data-testid="segment-count" aria-live="polite">
        {a ? t('count', { matching: a.matching, suppressed: a.suppressed, recipients: a.recipients }) : t('counting')}
      </output>
      {audience.isError ? <Notice>{errorMessage(audience.error)}</Notice> : null}
      {a && a.sample.length === 0 ? <p className="hint">{t('noMatch')}</p> : null}
      {a && a.sample.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table" data-testid="segment-sample" aria-label={t('sampleTitle')}>
            <thead>
              <tr>
                <th>{t('address')}</th>
                <th>{t('contactName')}</th>
                <th>{t('company')}</th>
                <th>{t('country')}</th>
              </tr>
            </thead>
            <tbody>
              {a.sample.map((m) => (
                <tr key={m.address}>
                  <td dir="ltr">{m.address}</td>
                  <td>
                    <bdi>{m.name ?? ''}</bdi>
                  </td>
                  <td>
                    <bdi>{m.company ?? ''}</bdi>
                  </td>
                  <td>{m.country ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div>
        <button type="submit" className="btn" disabled={!form.name.trim() || save.isPending} data-testid="segment-save">
          {t('save')}
        </button>
      </div>
      {save.isSuccess ? <p className="hint">{t('saved', { name: form.name.trim() })}</p> : null}
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
    </form>
  );
}
