import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { campaignOptInEn } from '../../i18n/campaign-opt-in.en';
import { campaignOptInZhCN } from '../../i18n/campaign-opt-in.zh-CN';
import { Notice } from '../../ui/Notice';
import { type CampaignList, type CampaignOverview, campaignsApi, campaignsKeys, type OptInMember } from './api';
import { DataTable } from './DataTable';
import { MailboxSelect } from './MailboxSelect';

i18next.addResourceBundle('en', 'campaignOptIn', campaignOptInEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignOptIn', campaignOptInZhCN, true, true);

/**
 * Double opt-in per imported list (decision 0059): the setting with the mailbox its confirmation
 * mails go from, each member's state (awaiting, expired, confirmed with its proof) and resending.
 */
export function OptInSection({ lists, mailboxes }: { lists: CampaignList[]; mailboxes: CampaignOverview['mailboxes'] }) {
  const { t } = useTranslation('campaignOptIn');
  const staticLists = lists.filter((l) => l.kind === 'static');
  const [listId, setListId] = useState('');
  const list = staticLists.find((l) => l.id === listId) ?? staticLists[0];
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-opt-in-title" data-testid="campaign-opt-in">
      <h3 id="campaigns-opt-in-title">{t('title')}</h3>
      <p className="hint">{t('intro')}</p>
      {list ? (
        <>
          <div className="campaign-row">
            <div className="field campaign-picker">
              <label htmlFor="opt-in-list">{t('list')}</label>
              <select id="opt-in-list" className="input" value={list.id} onChange={(e) => setListId(e.target.value)}>
                {staticLists.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <OptInSettings key={list.id} list={list} mailboxes={mailboxes} />
          <OptInMembers listId={list.id} />
        </>
      ) : (
        <p className="hint">{t('noStaticList')}</p>
      )}
    </section>
  );
}

function OptInSettings({ list, mailboxes }: { list: CampaignList; mailboxes: CampaignOverview['mailboxes'] }) {
  const { t } = useTranslation('campaignOptIn');
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(list.doubleOptIn);
  const [mailboxId, setMailboxId] = useState(list.optInMailboxId ?? mailboxes[0]?.id ?? '');
  useEffect(() => setEnabled(list.doubleOptIn), [list.doubleOptIn]);
  const save = useMutation({
    mutationFn: () => campaignsApi.setDoubleOptIn(list.id, { enabled, mailboxId: enabled ? mailboxId : null }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignsKeys.overview }),
  });
  return (
    <form
      className="campaign-compose"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label className="campaign-check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="opt-in-enabled" />{' '}
        {t('enabled')}
      </label>
      {enabled ? (
        <MailboxSelect id="opt-in-mailbox" label={t('mailbox')} mailboxes={mailboxes} value={mailboxId} onChange={setMailboxId} />
      ) : null}
      <p className="hint">{t('existingNote')}</p>
      <div className="campaign-row">
        <button type="submit" className="btn" disabled={save.isPending || (enabled && !mailboxId)}>
          {t('save')}
        </button>
        {save.isSuccess ? <span className="hint">{t('saved')}</span> : null}
      </div>
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
    </form>
  );
}

function OptInMembers({ listId }: { listId: string }) {
  const { t, i18n } = useTranslation('campaignOptIn');
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: campaignsKeys.members(listId), queryFn: () => campaignsApi.members(listId) });
  const resend = useMutation({
    mutationFn: (address?: string) => campaignsApi.resendConfirmation(listId, address),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: campaignsKeys.members(listId) });
      void queryClient.invalidateQueries({ queryKey: campaignsKeys.overview });
    },
  });
  const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString(i18n.language));
  if (members.isError) return <Notice>{errorMessage(members.error)}</Notice>;
  if (!members.data) return <p aria-busy="true" />;
  const { counts, members: rows } = members.data;
  return (
    <div className="campaign-compose">
      <p className="hint" data-testid="opt-in-counts">
        {t('counts', counts)}
      </p>
      {counts.pending > 0 ? (
        <div className="campaign-row">
          <button type="button" className="btn" onClick={() => resend.mutate(undefined)} disabled={resend.isPending}>
            {t('resendAll')}
          </button>
          <span className="hint">{t('resendHint')}</span>
        </div>
      ) : null}
      {resend.data ? <p className="hint">{t('resendAllDone', resend.data)}</p> : null}
      {resend.isError ? <Notice>{errorMessage(resend.error)}</Notice> : null}
      {rows.length === 0 ? <p className="hint">{t('empty')}</p> : null}
      {rows.length > 0 ? (
        <DataTable
          testId="opt-in-members"
          head={
            <>
              <th>{t('address')}</th>
              <th>{t('state')}</th>
              <th className="num">{t('mails')}</th>
              <th>{t('lastMail')}</th>
              <th>{t('evidence')}</th>
              <th>{t('consent')}</th>
              <th />
            </>
          }
        >
          {rows.map((m) => (
            <MemberRow key={m.address} member={m} when={when} onResend={() => resend.mutate(m.address)} busy={resend.isPending} />
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function MemberRow(props: { member: OptInMember; when: (ms: number | null) => string; onResend: () => void; busy: boolean }) {
  const { t } = useTranslation('campaignOptIn');
  const { member: m, when } = props;
  return (
    <tr data-state={m.optIn}>
      <td dir="ltr">{m.address}</td>
      <td>
        <span className={m.optIn === 'confirmed' ? 'badge accent' : 'badge'}>{t(`states.${m.optIn}`)}</span>
        {m.mail && m.optIn !== 'confirmed' ? (
          <span className="hint" title={m.mailError ?? undefined}>
            {' '}
            {t(`mailStates.${m.mail}`)}
          </span>
        ) : null}
      </td>
      <td className="num">{m.mails}</td>
      <td>{when(m.lastMailAt)}</td>
      <td>
        {m.confirmedAt !== null ? (
          <span title={m.confirmedUserAgent ?? undefined}>
            {when(m.confirmedAt)} · <span dir="ltr">{m.confirmedIp ?? '—'}</span>
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>
        {m.consentSource} · {new Date(m.consentAt).toLocaleDateString()}
      </td>
      <td>
        {m.optIn === 'pending' || m.optIn === 'expired' ? (
          <button type="button" className="btn" onClick={props.onResend} disabled={!m.canResend || props.busy}>
            {t('resend')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
