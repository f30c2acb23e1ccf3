import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next, { errorMessage } from '../../i18n';
import { campaignSegmentEditEn } from '../../i18n/campaign-segment-edit.en';
import { campaignSegmentEditZhCN } from '../../i18n/campaign-segment-edit.zh-CN';
import { campaignSegmentsEn } from '../../i18n/campaign-segments.en';
import { campaignSegmentsZhCN } from '../../i18n/campaign-segments.zh-CN';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { languageName } from '../conversation/format';
import { customersApi } from '../customers/api';
import { type CampaignList, type CampaignSegment, campaignsApi, campaignsKeys } from './api';
import { DataTable } from './DataTable';

i18next.addResourceBundle('en', 'campaignSegments', campaignSegmentsEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignSegments', campaignSegmentsZhCN, true, true);
i18next.addResourceBundle('en', 'campaignSegmentEdit', campaignSegmentEditEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignSegmentEdit', campaignSegmentEditZhCN, true, true);

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
  companyTags: string;
  countries: string;
  domains: string;
  owner: string;
  /** Whose owner: the customer's own, or anyone's at the customer's company. */
  ownerScope: 'contact' | 'company';
  language: string;
  contactedWithin: string;
  quietFor: string;
};
const empty: Form = {
  name: '',
  tags: '',
  companyTags: '',
  countries: '',
  domains: '',
  owner: '',
  ownerScope: 'contact',
  language: '',
  contactedWithin: '',
  quietFor: '',
};
/** A saved segment with several owners or languages (the CLI's repeated options) keeps them until one is chosen here. */
const AS_SAVED = '__as_saved';

function formOf(name: string, segment: CampaignSegment): Form {
  const owners = segment.companyOwners?.length ? segment.companyOwners : (segment.owners ?? []);
  const one = (values: string[] | undefined) => (values?.length === 1 ? (values[0] ?? '') : values?.length ? AS_SAVED : '');
  return {
    name,
    tags: (segment.tags ?? []).join(', '),
    companyTags: (segment.companyTags ?? []).join(', '),
    countries: (segment.countries ?? []).join(', '),
    domains: (segment.companyDomains ?? []).join(', '),
    owner: one(owners),
    ownerScope: segment.companyOwners?.length ? 'company' : 'contact',
    language: one(segment.languages),
    contactedWithin: segment.contactedWithinDays ? String(segment.contactedWithinDays) : '',
    quietFor: segment.quietForDays ? String(segment.quietForDays) : '',
  };
}

function segmentOf(form: Form, saved: CampaignSegment): CampaignSegment {
  const days = (text: string) => (Number.isInteger(Number(text)) && Number(text) > 0 ? Number(text) : undefined);
  const contactedWithinDays = days(form.contactedWithin);
  const quietForDays = days(form.quietFor);
  const owners = form.owner === AS_SAVED ? [...(saved.companyOwners ?? []), ...(saved.owners ?? [])] : form.owner ? [form.owner] : [];
  const languages = form.language === AS_SAVED ? (saved.languages ?? []) : form.language ? [form.language] : [];
  // "In the pool" is the customer's own state: a company has no pool.
  const byCompany = form.ownerScope === 'company' && !owners.includes('none');
  return {
    ...(form.tags.trim() ? { tags: commaList(form.tags) } : {}),
    ...(form.companyTags.trim() ? { companyTags: commaList(form.companyTags) } : {}),
    ...(form.countries.trim() ? { countries: commaList(form.countries).map((c) => c.toUpperCase()) } : {}),
    ...(form.domains.trim() ? { companyDomains: commaList(form.domains) } : {}),
    ...(owners.length ? (byCompany ? { companyOwners: owners } : { owners }) : {}),
    ...(languages.length ? { languages } : {}),
    ...(contactedWithinDays ? { contactedWithinDays } : {}),
    ...(quietForDays ? { quietForDays } : {}),
  };
}

/**
 * A segment of the customers (tag, company tag, country, company, owner, language, last contact) with
 * its live count and first recipients; new, or a saved one being edited (`editing`).
 */
export function SegmentBuilder({ editing, onDone }: { editing?: CampaignList | undefined; onDone?: () => void }) {
  const { t } = useTranslation('campaignSegments');
  const { t: te } = useTranslation('campaignSegmentEdit');
  const queryClient = useQueryClient();
  const saved = editing?.segment ?? {};
  const [form, setForm] = useState<Form>(() => (editing ? formOf(editing.name, saved) : empty));
  const set = (key: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `saved` changes only with `editing`, which remounts this form.
  const segment = useMemo(() => segmentOf(form, saved), [form]);
  const debounced = useDebouncedValue(segment, 300);
  const owners = useQuery({ queryKey: ['customers', 'owners'], queryFn: customersApi.owners });
  const audience = useQuery({
    queryKey: campaignsKeys.segmentPreview(debounced),
    queryFn: () => campaignsApi.previewSegment(debounced),
    placeholderData: (previous) => previous,
  });
  const save = useMutation({
    mutationFn: async () => {
      if (editing) await campaignsApi.updateSegment(editing.id, { name: form.name.trim(), segment });
      else await campaignsApi.createSegment({ name: form.name.trim(), segment });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: campaignsKeys.overview });
      if (editing) onDone?.();
    },
  });
  const a = audience.data;
  const idPrefix = editing ? 'segment-edit' : 'segment';
  return (
    <form
      className="campaign-compose segment-builder"
      data-testid={editing ? 'segment-editor' : 'segment-builder'}
      onSubmit={(e) => {
        e.preventDefault();
        if (form.name.trim()) save.mutate();
      }}
    >
      <h4>{editing ? te('editTitle', { name: editing.name }) : t('title')}</h4>
      <p className="hint">{editing ? te('editIntro') : t('intro')}</p>
      <Field id={`${idPrefix}-name`} label={t('name')} value={form.name} onChange={set('name')} maxLength={120} />
      <div className="campaign-row">
        <Field id={`${idPrefix}-tags`} label={t('tags')} value={form.tags} onChange={set('tags')} />
        <Field id={`${idPrefix}-company-tags`} label={te('companyTags')} value={form.companyTags} onChange={set('companyTags')} />
        <Field id={`${idPrefix}-countries`} label={t('countries')} value={form.countries} onChange={set('countries')} />
        <Field id={`${idPrefix}-domains`} label={t('domains')} value={form.domains} onChange={set('domains')} />
      </div>
      <div className="campaign-row">
        <div className="field">
          <label htmlFor={`${idPrefix}-owner`}>{t('owner')}</label>
          <select id={`${idPrefix}-owner`} className="input" value={form.owner} onChange={set('owner')}>
            <option value="">{t('anyOwner')}</option>
            {form.owner === AS_SAVED ? <option value={AS_SAVED}>{te('asSaved')}</option> : null}
            <option value="none">{t('pool')}</option>
            {(owners.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-owner-scope`}>{te('ownerScope')}</label>
          <select
            id={`${idPrefix}-owner-scope`}
            className="input"
            value={form.ownerScope}
            onChange={set('ownerScope')}
            disabled={!form.owner || form.owner === 'none'}
          >
            <option value="contact">{te('ownerOfCustomer')}</option>
            <option value="company">{te('ownerAtCompany')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-language`}>{t('language')}</label>
          <select id={`${idPrefix}-language`} className="input" value={form.language} onChange={set('language')}>
            <option value="">{t('anyLanguage')}</option>
            {form.language === AS_SAVED ? <option value={AS_SAVED}>{te('asSaved')}</option> : null}
            {LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id={`${idPrefix}-contacted-within`}
          label={t('contactedWithin')}
          inputMode="numeric"
          value={form.contactedWithin}
          onChange={set('contactedWithin')}
        />
        <Field id={`${idPrefix}-quiet-for`} label={t('quietFor')} inputMode="numeric" value={form.quietFor} onChange={set('quietFor')} />
      </div>
      <output className="segment-count" data-testid={editing ? 'segment-edit-count' : 'segment-count'} aria-live="polite">
        {a ? t('count', { matching: a.matching, suppressed: a.suppressed, recipients: a.recipients }) : t('counting')}
      </output>
      {audience.isError ? <Notice>{errorMessage(audience.error)}</Notice> : null}
      {a && a.sample.length === 0 ? <p className="hint">{t('noMatch')}</p> : null}
      {a && a.sample.length > 0 ? (
        <DataTable
          testId="segment-sample"
          ariaLabel={t('sampleTitle')}
          head={
            <>
              <th>{t('address')}</th>
              <th>{t('contactName')}</th>
              <th>{t('company')}</th>
              <th>{t('country')}</th>
            </>
          }
        >
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
        </DataTable>
      ) : null}
      <div className="campaign-row">
        <button
          type="submit"
          className="btn"
          disabled={!form.name.trim() || save.isPending}
          data-testid={editing ? 'segment-edit-save' : 'segment-save'}
        >
          {editing ? te('saveChanges') : t('save')}
        </button>
        {editing ? (
          <button type="button" className="btn" onClick={onDone}>
            {te('cancel')}
          </button>
        ) : null}
      </div>
      {save.isSuccess && !editing ? <p className="hint">{t('saved', { name: form.name.trim() })}</p> : null}
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
    </form>
  );
}
