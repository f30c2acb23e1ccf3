import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next, { errorMessage } from '../../i18n';
import { campaignMembersEn } from '../../i18n/campaign-members.en';
import { campaignMembersZhCN } from '../../i18n/campaign-members.zh-CN';
import { campaignSuppressionEn } from '../../i18n/campaign-suppression.en';
import { campaignSuppressionZhCN } from '../../i18n/campaign-suppression.zh-CN';
import { campaignsEn } from '../../i18n/campaigns.en';
import { campaignsZhCN } from '../../i18n/campaigns.zh-CN';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { type CampaignOverview, campaignsApi, campaignsKeys } from './api';
import { CampaignLinks } from './CampaignLinks';
import { ListsSection } from './ListsAndSuppression';
import { OptInSection } from './OptInSection';
import { ProviderLimitsSection } from './ProviderLimits';
import { SuppressionSection } from './SuppressionList';
import './campaigns.css';
import { DataTable } from './DataTable';
import { MailboxSelect } from './MailboxSelect';

i18next.addResourceBundle('en', 'campaigns', campaignsEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaigns', campaignsZhCN, true, true);
i18next.addResourceBundle('en', 'campaignMembers', campaignMembersEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignMembers', campaignMembersZhCN, true, true);
i18next.addResourceBundle('en', 'campaignSuppression', campaignSuppressionEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignSuppression', campaignSuppressionZhCN, true, true);

/** /settings/campaigns: campaigns with their counts, a new one (preview, test send, queue), lists and the suppression list. */
export function CampaignsPage() {
  const { t } = useTranslation('campaigns');
  useDocumentTitle(t('pageTitle'));
  const overview = useQuery({ queryKey: campaignsKeys.overview, queryFn: campaignsApi.overview, refetchInterval: 10_000 });
  return (
    <div className="settings-page campaigns-page" data-testid="campaigns-page">
      <header className="page-head">
        <div>
          <h2>{t('pageTitle')}</h2>
          <p className="page-intro">{t('intro')}</p>
        </div>
      </header>
      {overview.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {overview.isError ? <Notice>{t('loadFailed')}</Notice> : null}
      {overview.data ? (
        <>
          <CampaignTable overview={overview.data} />
          <Compose overview={overview.data} />
          <ListsSection lists={overview.data.lists} mailboxes={overview.data.mailboxes} />
          <OptInSection lists={overview.data.lists} mailboxes={overview.data.mailboxes} />
          <SuppressionSection />
          <ProviderLimitsSection />
        </>
      ) : null}
    </div>
  );
}

function CampaignTable({ overview }: { overview: CampaignOverview }) {
  const { t } = useTranslation('campaigns');
  const { t: tk } = useTranslation('campaignLinks');
  const { t: tm, i18n } = useTranslation('campaignMembers');
  const [linksOf, setLinksOf] = useState<string | null>(null);
  const shown = overview.campaigns.find((c) => c.id === linksOf && c.counts.clicked !== null);
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: ({ id, pause }: { id: string; pause: boolean }) => (pause ? campaignsApi.pause(id) : campaignsApi.resume(id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => campaignsApi.cancel(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  const askCancel = (c: CampaignOverview['campaigns'][number]) => {
    if (window.confirm(tm('cancel.confirm', { subject: c.subject, pending: c.counts.pending, sent: c.counts.sent }))) cancel.mutate(c.id);
  };
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-list-title">
      <h3 id="campaigns-list-title">{t('list.title')}</h3>
      {overview.campaigns.length === 0 ? <p className="hint">{t('list.empty')}</p> : null}
      {overview.campaigns.length > 0 ? (
        <DataTable
          testId="campaigns-table"
          head={
            <>
              <th>{t('list.subject')}</th>
              <th className="campaign-state">{t('list.state')}</th>
              <th className="num">{t('list.recipients')}</th>
              <th className="num" title={tm('pendingHint')}>
                {tm('pending')}
              </th>
              <th className="num">{t('list.sent')}</th>
              <th className="num" title={t('list.deliveredHint')}>
                {t('list.delivered')}
              </th>
              <th className="num">{t('list.bounced')}</th>
              <th className="num">{t('list.unsubscribed')}</th>
              <th className="num">{t('list.replied')}</th>
              <th className="num">{t('list.clicked')}</th>
              <th className="actions" />
            </>
          }
        >
          {overview.campaigns.map((c) => (
            <tr key={c.id} id={`campaign-${c.id}`}>
              <td>
                {c.subject}
                {c.counts.state === 'sending' && c.counts.sent === 0 && c.sendAt > Date.now() ? (
                  <span className="hint campaign-note">
                    {tm('cancel.scheduled', { when: new Date(c.sendAt).toLocaleString(i18n.language) })}
                  </span>
                ) : null}
                {c.counts.cancelled > 0 ? (
                  <span className="hint campaign-note">{tm('cancel.cancelledNote', { count: c.counts.cancelled })}</span>
                ) : null}
              </td>
              <td className="campaign-state" data-testid="campaign-state">
                {t(`list.states.${c.counts.state}`)}
                {c.counts.uncertain > 0 ? ` · ${t('list.uncertain')} ${c.counts.uncertain}` : ''}
              </td>
              <td className="num">{c.counts.recipients}</td>
              <td className="num" data-testid="campaign-pending">
                {c.counts.pending}
              </td>
              <td className="num">{c.counts.sent}</td>
              <td className="num">{c.counts.delivered}</td>
              <td className="num">{c.counts.bounced}</td>
              <td className="num">{c.counts.unsubscribed}</td>
              <td className="num">{c.counts.replied}</td>
              <td className="num">{c.counts.clicked ?? t('list.notTracked')}</td>
              <td className="actions campaign-actions">
                {c.counts.clicked !== null ? (
                  <button
                    type="button"
                    className="btn btn-sm"
                    aria-expanded={linksOf === c.id}
                    data-testid="campaign-links-toggle"
                    onClick={() => setLinksOf(linksOf === c.id ? null : c.id)}
                  >
                    {linksOf === c.id ? tk('hide') : tk('show')}
                  </button>
                ) : null}
                {c.counts.state === 'sending' || c.counts.state === 'paused' ? (
                  <>
                    <button
                      type="button"
                      className="btn btn-sm"
                      disabled={toggle.isPending}
                      onClick={() => toggle.mutate({ id: c.id, pause: c.counts.state === 'sending' })}
                    >
                      {c.counts.state === 'sending' ? t('list.pause') : t('list.resume')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-sm"
                      disabled={cancel.isPending}
                      data-testid="campaign-cancel"
                      onClick={() => askCancel(c)}
                    >
                      {tm('cancel.button')}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {shown ? <CampaignLinks campaign={shown} /> : null}
      <p className="hint">{t('list.opens')}</p>
      {toggle.isError ? <Notice>{errorMessage(toggle.error)}</Notice> : null}
      {cancel.isError ? <Notice>{errorMessage(cancel.error)}</Notice> : null}
    </section>
  );
}

function Compose({ overview }: { overview: CampaignOverview }) {
  const { t } = useTranslation('campaigns');
  const { t: tl } = useTranslation('campaignLimits');
  const queryClient = useQueryClient();
  const [mailboxId, setMailboxId] = useState('');
  const [listId, setListId] = useState('');
  const [subject, setSubject] = useState('');
  const [html, setHtml] = useState('<p>Dear {{name|customer}},</p>\n<p></p>\n<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>');
  const [text, setText] = useState('Dear {{name|customer}},\n\n');
  const [rate, setRate] = useState('20');
  const [localTime, setLocalTime] = useState('');
  const [trackClicks, setTrackClicks] = useState(false);
  const [testTo, setTestTo] = useState('');
  const mailbox = mailboxId || overview.mailboxes[0]?.id || '';
  const list = listId || overview.lists[0]?.id || '';
  const template = { subject, html, text };
  const preview = useMutation({ mutationFn: () => campaignsApi.preview({ listId: list, ...template }) });
  const testSend = useMutation({ mutationFn: () => campaignsApi.testSend({ mailboxId: mailbox, to: testTo, ...template }) });
  const queue = useMutation({
    mutationFn: () =>
      campaignsApi.queue({
        mailboxId: mailbox,
        listId: list,
        ...template,
        ratePerMinute: Number(rate) || 20,
        localTime: localTime || null,
        trackClicks,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  if (overview.mailboxes.length === 0) return <Notice>{t('noMarketingMailbox')}</Notice>;
  const ready = Boolean(mailbox && list && subject.trim() && html.trim() && text.trim());
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-compose-title">
      <h3 id="campaigns-compose-title">{t('compose.title')}</h3>
      <form
        className="campaign-compose"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) queue.mutate();
        }}
      >
        <MailboxSelect
          id="campaign-mailbox"
          label={t('compose.mailbox')}
          mailboxes={overview.mailboxes}
          value={mailbox}
          onChange={setMailboxId}
        />
        <div className="field">
          <label htmlFor="campaign-list">{t('compose.audience')}</label>
          <select id="campaign-list" className="input" value={list} onChange={(e) => setListId(e.target.value)}>
            {overview.lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.members})
              </option>
            ))}
          </select>
        </div>
        <Field
          id="campaign-subject"
          label={t('compose.subject')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          maxLength={300}
        />
        <div className="field">
          <label htmlFor="campaign-html">{t('compose.html')}</label>
          <textarea id="campaign-html" className="input" rows={6} value={html} onChange={(e) => setHtml(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="campaign-text">{t('compose.text')}</label>
          <textarea id="campaign-text" className="input" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
          <p className="hint">{t('compose.fieldsHint')}</p>
        </div>
        <div className="campaign-row">
          <Field id="campaign-rate" label={t('compose.rate')} inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} />
          <Field
            id="campaign-local-time"
            label={t('compose.localTime')}
            value={localTime}
            onChange={(e) => setLocalTime(e.target.value)}
            maxLength={5}
          />
        </div>
        <label className="campaign-check">
          <input
            type="checkbox"
            checked={trackClicks}
            onChange={(e) => setTrackClicks(e.target.checked)}
            data-testid="campaign-track-clicks"
          />{' '}
          {tl('trackClicks')}
        </label>
        <p className="hint">{tl('trackClicksHint')}</p>
        <div className="campaign-row">
          <button type="button" className="btn" disabled={!ready || preview.isPending} onClick={() => preview.mutate()}>
            {t('compose.preview')}
          </button>
          <Field
            id="campaign-test-to"
            label={t('compose.testTo')}
            type="email"
            value={testTo}
            onChange={(e) => setTestTo(e.target.value)}
          />
          <button type="button" className="btn" disabled={!ready || !testTo || testSend.isPending} onClick={() => testSend.mutate()}>
            {t('compose.testSend')}
          </button>
        </div>
        {testSend.isSuccess ? <p className="hint">{t('compose.testSent')}</p> : null}
        {preview.data ? (
          <div className="campaign-preview" data-testid="campaign-preview">
            <p className="hint">{t('compose.previewFor', { address: preview.data.address })}</p>
            <p>
              <strong>{preview.data.subject}</strong>
            </p>
            <iframe title={preview.data.subject} sandbox="" srcDoc={preview.data.html} />
            <pre>{preview.data.text}</pre>
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={!ready || queue.isPending} data-testid="campaign-queue">
          {t('compose.submit')}
        </button>
        {queue.data ? <p className="hint">{t('compose.queued', { count: queue.data.recipients })}</p> : null}
        {[preview, testSend, queue].map((m, i) => (m.isError ? <Notice key={String(i)}>{errorMessage(m.error)}</Notice> : null))}
      </form>
    </section>
  );
}
