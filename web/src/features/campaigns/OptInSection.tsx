import { useMutation, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { campaignOptInEn } from '../../i18n/campaign-opt-in.en';
import { campaignOptInZhCN } from '../../i18n/campaign-opt-in.zh-CN';
import { Notice } from '../../ui/Notice';
import { type CampaignList, type CampaignOverview, campaignsApi, campaignsKeys } from './api';
import { ListMembers } from './ListMembers';
import { MailboxSelect } from './MailboxSelect';
import { SignupSettings } from './SignupSettings';

i18next.addResourceBundle('en', 'campaignOptIn', campaignOptInEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignOptIn', campaignOptInZhCN, true, true);

/**
 * An imported list's members and its double opt-in (decisions 0059, 0068): the setting with the
 * mailbox its confirmation mails go from, the members paged and searched with their state and proof,
 * resending, and one contact added by hand.
 */
export function OptInSection({ lists, mailboxes }: { lists: CampaignList[]; mailboxes: CampaignOverview['mailboxes'] }) {
  const { t } = useTranslation('campaignOptIn');
  const { t: tm } = useTranslation('campaignMembers');
  const staticLists = lists.filter((l) => l.kind === 'static');
  const [listId, setListId] = useState('');
  const list = staticLists.find((l) => l.id === listId) ?? staticLists[0];
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-opt-in-title" data-testid="campaign-opt-in">
      <h3 id="campaigns-opt-in-title">{tm('sectionTitle')}</h3>
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
          <SignupSettings key={`signup-${list.id}`} list={list} mailboxes={mailboxes} />
          <ListMembers key={`members-${list.id}`} listId={list.id} listName={list.name} />
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
