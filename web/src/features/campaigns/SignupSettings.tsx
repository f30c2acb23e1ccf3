import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { http } from '../../api/client';
import { errorMessage } from '../../i18n';
import { campaignSignupEn } from '../../i18n/campaign-signup.en';
import { campaignSignupZhCN } from '../../i18n/campaign-signup.zh-CN';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { CopyButton } from '../settings/api/CopyButton';
import type { CampaignList, CampaignOverview } from './api';
import { MailboxSelect } from './MailboxSelect';
import './signup.css';

i18next.addResourceBundle('en', 'campaignSignup', campaignSignupEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignSignup', campaignSignupZhCN, true, true);

type SignupLanguage = 'en' | 'zh-CN';
export type SignupView = {
  id: string;
  enabled: boolean;
  mailboxId: string | null;
  title: string | null;
  intro: string | null;
  url: string | null;
  snippets: Record<SignupLanguage, string> | null;
};
type SignupInput = { enabled: boolean; mailboxId?: string | null; title?: string | null; intro?: string | null };

const signupPath = (listId: string) => `/api/campaign-lists/${encodeURIComponent(listId)}/signup`;
const signupKey = (listId: string) => ['campaigns', 'signup', listId] as const;

/**
 * A static list's public sign-up form (decision 0071): on or off, the mailbox its confirmation mails
 * go from, the page's title and intro, and once on, the public URL and the HTML form to paste, each
 * with a copy button.
 */
export function SignupSettings({ list, mailboxes }: { list: CampaignList; mailboxes: CampaignOverview['mailboxes'] }) {
  const { t, i18n } = useTranslation('campaignSignup');
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: signupKey(list.id), queryFn: () => http.get<SignupView>(signupPath(list.id)) });
  const [form, setForm] = useState({ enabled: false, mailboxId: '', title: '', intro: '' });
  const [snippetLang, setSnippetLang] = useState<SignupLanguage>(i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  useEffect(() => {
    if (!view.data) return;
    setForm({
      enabled: view.data.enabled,
      mailboxId: view.data.mailboxId ?? mailboxes[0]?.id ?? '',
      title: view.data.title ?? '',
      intro: view.data.intro ?? '',
    });
  }, [view.data, mailboxes]);
  const save = useMutation({
    mutationFn: () =>
      http.put<SignupView>(signupPath(list.id), {
        enabled: form.enabled,
        ...(form.enabled ? { mailboxId: form.mailboxId } : {}),
        title: form.title.trim() || null,
        intro: form.intro.trim() || null,
      } satisfies SignupInput),
    onSuccess: (data) => queryClient.setQueryData(signupKey(list.id), data),
  });
  const sender = mailboxes.find((m) => m.id === form.mailboxId)?.displayName ?? '';
  const saved = view.data;
  return (
    <form
      className="campaign-compose signup-settings"
      data-testid="signup-settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h4>{t('title')}</h4>
      <p className="hint">{t('intro')}</p>
      <label className="campaign-check">
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          data-testid="signup-enabled"
        />{' '}
        {t('enabled')}
      </label>
      {form.enabled ? (
        <MailboxSelect
          id="signup-mailbox"
          label={t('mailbox')}
          mailboxes={mailboxes}
          value={form.mailboxId}
          onChange={(mailboxId) => setForm({ ...form, mailboxId })}
        />
      ) : null}
      <Field
        id="signup-title"
        label={t('pageTitle')}
        hint={t('pageTitleHint', { sender: sender || '…' })}
        maxLength={120}
        value={form.title}
        onChange={(e) => setForm({ ...form, title: e.target.value })}
      />
      <div className="field">
        <label htmlFor="signup-intro">{t('pageIntro')}</label>
        <textarea
          id="signup-intro"
          className="input"
          rows={3}
          maxLength={1000}
          value={form.intro}
          onChange={(e) => setForm({ ...form, intro: e.target.value })}
        />
        <p className="field-hint">{t('pageIntroHint')}</p>
      </div>
      <div className="campaign-row">
        <button type="submit" className="btn" disabled={save.isPending || !view.data || (form.enabled && !form.mailboxId)}>
          {t('save')}
        </button>
        {save.isSuccess ? <span className="hint">{t('saved')}</span> : null}
      </div>
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
      {view.isError ? <Notice>{errorMessage(view.error)}</Notice> : null}
      {saved && !saved.enabled && saved.url ? <p className="hint">{t('off')}</p> : null}
      {saved?.enabled && !saved.url ? <Notice>{t('noPublicUrl')}</Notice> : null}
      {saved?.enabled && saved.url && saved.snippets ? (
        <>
          <div className="field">
            <label htmlFor="signup-url">{t('url')}</label>
            <div className="campaign-row signup-url-row">
              <input id="signup-url" className="input" readOnly value={saved.url} dir="ltr" onFocus={(e) => e.target.select()} />
              <CopyButton text={saved.url} />
              <a className="btn btn-sm" href={saved.url} target="_blank" rel="noopener noreferrer">
                {t('open')}
              </a>
            </div>
          </div>
          <div className="field">
            <div className="campaign-row signup-snippet-head">
              <label htmlFor="signup-snippet">{t('snippet')}</label>
              <select
                aria-label={t('snippetLanguage')}
                className="input signup-snippet-lang"
                value={snippetLang}
                onChange={(e) => setSnippetLang(e.target.value as SignupLanguage)}
              >
                <option value="en">English</option>
                <option value="zh-CN">中文</option>
              </select>
              <CopyButton text={saved.snippets[snippetLang]} />
            </div>
            <textarea
              id="signup-snippet"
              className="input signup-snippet"
              readOnly
              rows={8}
              dir="ltr"
              value={saved.snippets[snippetLang]}
              onFocus={(e) => e.target.select()}
            />
            <p className="hint">{t('snippetHint')}</p>
          </div>
        </>
      ) : null}
    </form>
  );
}
