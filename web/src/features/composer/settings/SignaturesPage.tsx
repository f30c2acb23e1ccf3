import type { SignatureSettings, UpdateSignature } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { mailboxApi } from '../../settings/mailboxes/api';
import '../registerCatalogue';
import { composerApi } from '../api';
import { SignaturePreview } from '../SignaturePreview';
import { SignatureLogoField } from './SignatureLogoField';
import '../composer.css';

const VARIABLES = [
  'agent.name',
  'agent.title',
  'agent.email',
  'company.name',
  'company.logo',
  'company.website',
  'company.phone',
  'mailbox.name',
  'mailbox.address',
];

/** Settings → Signatures: one template per mailbox, with a live preview. */
export function SignaturesPage() {
  const { t } = useTranslation('composer');
  const queryClient = useQueryClient();
  const mailboxes = useQuery({
    queryKey: ['mailboxes'],
    queryFn: mailboxApi.list,
  });
  const [mailboxId, setMailboxId] = useState('');
  const [form, setForm] = useState<UpdateSignature | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const preferences = useQuery({ queryKey: ['send-preferences'], queryFn: composerApi.preferences });
  const [title, setTitle] = useState<string | null>(null);
  const [titleMessage, setTitleMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const first = mailboxes.data?.items[0]?.id ?? '';
  const selected = mailboxId || first;
  const settings = useQuery({
    queryKey: ['signature', selected],
    queryFn: () => composerApi.signature(selected),
    enabled: selected !== '',
  });
  const preview = useQuery({
    queryKey: ['signature-preview', selected],
    queryFn: () => composerApi.signaturePreview(selected),
    enabled: selected !== '',
  });

  useEffect(() => {
    if (settings.data) {
      const { mailboxId: _id, logo: _logo, ...rest } = settings.data;
      setForm(rest);
    }
  }, [settings.data]);

  if (mailboxes.data && mailboxes.data.items.length === 0) return <p>{t('settings.noMailboxes')}</p>;

  const save = async () => {
    if (!form) return;
    setMessage(null);
    try {
      await composerApi.saveSignature(selected, form);
      setMessage({ ok: true, text: t('settings.saved') });
      await queryClient.invalidateQueries({ queryKey: ['signature-preview', selected] });
      await queryClient.invalidateQueries({ queryKey: ['signature', selected] });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };

  // The job title belongs to each agent (send preferences), not to the mailbox: every signature uses it.
  const saveTitle = async () => {
    if (!preferences.data || title === null) return;
    setTitleMessage(null);
    try {
      const saved = await composerApi.savePreferences({ ...preferences.data, title: title.trim() });
      queryClient.setQueryData(['send-preferences'], saved);
      setTitle(null);
      setTitleMessage({ ok: true, text: t('settings.saved') });
      await queryClient.invalidateQueries({ queryKey: ['signature-preview'] });
    } catch (err) {
      setTitleMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const field = (key: 'companyName' | 'website' | 'phone', label: string) => (
    <label className="sending-field">
      <span>{label}</span>
      <input
        value={form?.[key] ?? ''}
        onChange={(e) => form && setForm({ ...form, [key]: e.target.value })}
        data-testid={`signature-${key}`}
      />
    </label>
  );

  return (
    <div className="settings-page narrow sending-settings" data-testid="signatures-page">
      <h1>{t('settings.signaturesTitle')}</h1>
      <p className="muted">{t('settings.signaturesIntro')}</p>
      <label className="sending-field">
        <span>{t('settings.mailbox')}</span>
        <select value={selected} onChange={(e) => setMailboxId(e.target.value)}>
          {(mailboxes.data?.items ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.displayName} &lt;{m.address}&gt;
            </option>
          ))}
        </select>
      </label>
      {preferences.data ? (
        <div className="sending-title">
          <label className="sending-field">
            <span>{t('settings.jobTitle', { agentTitle: '{{agent.title}}', interpolation: { escapeValue: false } })}</span>
            <input
              value={title ?? preferences.data.title}
              maxLength={200}
              onChange={(e) => setTitle(e.target.value)}
              data-testid="signature-job-title"
            />
          </label>
          <div className="composer-actions-row">
            <button
              type="button"
              className="btn"
              disabled={title === null}
              onClick={() => void saveTitle()}
              data-testid="signature-job-title-save"
            >
              {t('settings.jobTitleSave')}
            </button>
            {titleMessage ? <span className={titleMessage.ok ? 'composer-notice' : 'composer-error'}>{titleMessage.text}</span> : null}
          </div>
        </div>
      ) : null}
      {form ? (
        <>
          {field('companyName', t('settings.companyName'))}
          <SignatureLogoField mailboxId={selected} logo={settings.data?.logo ?? null} />
          {field('website', t('settings.website'))}
          {field('phone', t('settings.phone'))}
          <label className="sending-field">
            <span>{t('settings.template')}</span>
            <textarea
              rows={6}
              value={form.signatureHtml}
              onChange={(e) => setForm({ ...form, signatureHtml: e.target.value })}
              data-testid="signature-template"
            />
          </label>
          <p className="sending-variables">
            {t('settings.variables')}:{' '}
            {VARIABLES.map((v) => (
              <code key={v}>{`{{${v}}}`}</code>
            ))}
          </p>
          <label className="sending-field">
            <span>{t('settings.sentCopy')}</span>
            <select value={form.sentCopy} onChange={(e) => setForm({ ...form, sentCopy: e.target.value as SignatureSettings['sentCopy'] })}>
              <option value="auto">{t('settings.sentCopyAuto')}</option>
              <option value="always">{t('settings.sentCopyAlways')}</option>
              <option value="never">{t('settings.sentCopyNever')}</option>
            </select>
          </label>
          <div className="composer-signature">
            <span className="composer-signature-label">{t('settings.preview')}</span>
            {preview.data?.html ? <SignaturePreview html={preview.data.html} /> : null}
          </div>
          <div className="composer-actions-row">
            <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="signature-save">
              {t('settings.save')}
            </button>
            {message ? (
              <span className={message.ok ? 'composer-notice' : 'composer-error'} data-testid="signature-message">
                {message.text}
              </span>
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
