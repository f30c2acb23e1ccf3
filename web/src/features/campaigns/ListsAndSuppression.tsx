import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { type CampaignList, type CampaignOverview, campaignsApi, campaignsKeys } from './api';
import { DataTable } from './DataTable';
import { ImportReport } from './ImportReport';
import { MailboxSelect } from './MailboxSelect';
import { SegmentActions, SegmentRules, useSegmentDelete } from './SegmentActions';
import { SegmentBuilder } from './SegmentBuilder';

/** The lists with their sizes; a CSV import (consent required per row, its report per row) and a segment of the contacts. */
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
        {importCsv.data ? <ImportReport result={importCsv.data} listName={name} /> : null}
        {importCsv.isError ? <Notice>{errorMessage(importCsv.error)}</Notice> : null}
      </form>
      {editing ? <SegmentBuilder key={editing.id} editing={editing} onDone={() => setEditingId(null)} /> : <SegmentBuilder />}
    </section>
  );
}
