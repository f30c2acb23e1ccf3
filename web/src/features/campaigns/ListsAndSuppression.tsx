import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { type CampaignList, type CampaignOverview, campaignsApi, campaignsKeys } from './api';
import { DataTable } from './DataTable';
import { MailboxSelect } from './MailboxSelect';
import { SegmentActions, SegmentRules, useSegmentDelete } from './SegmentActions';
import { SegmentBuilder } from './SegmentBuilder';

/** The lists with their sizes; a CSV import (consent required per row) and a segment of the contacts. */
export function ListsSection({ lists, mailboxes }: { lists: CampaignList[]; mailboxes: CampaignOverview['mailboxes'] }) {
  const { t } = useTranslation('campaigns');
  const { t: to } = useTranslation('campaignOptIn');
  const [optInMailbox, setOptInMailbox] = useState('');
  const { t: ts } = useTranslation('campaignSegments');
  const { t: tse } = useTranslation('campaignSegmentEdit');
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = lists.find((l) => l.id === editingId && l.kind === 'segment');
  const deletion = useSegmentDelete();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview });
  const [name, setName] = useState('');
  const [csv, setCsv] = useState('');
  const [consentSource, setConsentSource] = useState('');
  const [consentDate, setConsentDate] = useState('');
  const importCsv = useMutation({
    mutationFn: () =>
      campaignsApi.importCsv({
        name,
        csv,
        ...(consentSource ? { consentSource } : {}),
        ...(consentDate ? { consentDate } : {}),
        ...(optInMailbox ? { doubleOptInMailboxId: optInMailbox } : {}),
      }),
    onSuccess: refresh,
  });
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-lists-title">
      <h3 id="campaigns-lists-title">{t('lists.title')}</h3>
      {lists.length === 0 ? <p className="hint">{t('lists.empty')}</p> : null}
      {lists.length > 0 ? (
        <DataTable
          testId="campaign-lists"
          head={
            <>
              <th>{t('lists.name')}</th>
              <th>{t('lists.kind')}</th>
              <th className="num">{t('lists.members')}</th>
              <th className="num">{ts('suppressed')}</th>
              <th className="num">{ts('recipients')}</th>
              <th>{to('title')}</th>
              <th>{tse('rules')}</th>
              <th className="actions" />
            </>
          }
        >
          {lists.map((l) => (
            <tr key={l.id}>
              <td>{l.name}</td>
              <td>{l.kind === 'static' ? t('lists.static') : t('lists.segment')}</td>
              <td className="num">{l.members}</td>
              <td className="num">{l.suppressed}</td>
              <td className="num">{l.recipients}</td>
              <td>{l.doubleOptIn ? to('listColumn', { count: l.unconfirmed }) : '—'}</td>
              <td>{l.segment ? <SegmentRules segment={l.segment} /> : null}</td>
              <td className="actions">
                {l.kind === 'segment' ? (
                  <SegmentActions onEdit={() => setEditingId(l.id)} onDelete={() => deletion.remove(l)} busy={deletion.pending} />
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {deletion.notice}
      <form
        className="campaign-compose"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && csv.trim()) importCsv.mutate();
        }}
      >
        <h4>{t('lists.importTitle')}</h4>
        <Field id="list-name" label={t('lists.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
        <div className="field">
          <label htmlFor="list-csv">{t('lists.csv')}</label>
          <textarea id="list-csv" className="input" rows={4} value={csv} onChange={(e) => setCsv(e.target.value)} />
        </div>
        <div className="campaign-row">
          <Field
            id="list-consent-source"
            label={t('lists.consentSource')}
            value={consentSource}
            onChange={(e) => setConsentSource(e.target.value)}
          />
          <Field
            id="list-consent-date"
            label={t('lists.consentDate')}
            value={consentDate}
            onChange={(e) => setConsentDate(e.target.value)}
          />
        </div>
        <MailboxSelect
          id="list-opt-in"
          label={to('importOptIn')}
          mailboxes={mailboxes}
          value={optInMailbox}
          onChange={setOptInMailbox}
          none={to('importOptInOff')}
        />
        <button type="submit" className="btn" disabled={!name.trim() || !csv.trim() || importCsv.isPending}>
          {t('lists.import')}
        </button>
        {importCsv.data ? (
          <p className="hint">
            {t('lists.imported', { count: importCsv.data.imported })}{' '}
            {importCsv.data.refused.length > 0
              ? t('lists.refused', { lines: importCsv.data.refused.map((r) => `${r.line} (${r.reason})`).join(', ') })
              : null}
          </p>
        ) : null}
        {importCsv.isError ? <Notice>{errorMessage(importCsv.error)}</Notice> : null}
      </form>
      {editing ? <SegmentBuilder key={editing.id} editing={editing} onDone={() => setEditingId(null)} /> : <SegmentBuilder />}
    </section>
  );
}

/** Who no campaign may mail, and why; an admin adds an address by hand. */
export function SuppressionSection() {
  const { t, i18n } = useTranslation('campaigns');
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: campaignsKeys.suppressions, queryFn: campaignsApi.suppressions });
  const [address, setAddress] = useState('');
  const add = useMutation({
    mutationFn: () => campaignsApi.suppress(address),
    onSuccess: (data) => {
      queryClient.setQueryData(campaignsKeys.suppressions, data);
      setAddress('');
    },
  });
  const rows = list.data?.suppressions ?? [];
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-suppression-title">
      <h3 id="campaigns-suppression-title">{t('suppression.title')}</h3>
      <p className="hint">{t('suppression.intro')}</p>
      <form
        className="campaign-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (address.trim()) add.mutate();
        }}
      >
        <Field
          id="suppress-address"
          label={t('suppression.address')}
          type="email"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!address.trim() || add.isPending}>
          {t('suppression.add')}
        </button>
      </form>
      {add.isError ? <Notice>{errorMessage(add.error)}</Notice> : null}
      {list.data && rows.length === 0 ? <p className="hint">{t('suppression.empty')}</p> : null}
      {rows.length > 0 ? (
        <DataTable
          testId="campaign-suppressions"
          head={
            <>
              <th>{t('suppression.address')}</th>
              <th>{t('suppression.reason')}</th>
              <th>{t('suppression.since')}</th>
            </>
          }
        >
          {rows.map((s) => (
            <tr key={s.address}>
              <td dir="ltr">{s.address}</td>
              <td>{t(`suppression.reasons.${s.reason}`)}</td>
              <td>{new Date(s.createdAt).toLocaleString(i18n.language)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
