import { type AutoReplySettings, type AutoReplyVersion, autoReplyVariables, unknownAutoReplyVariables } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { errorMessage } from '../../i18n';
import { autoReplyApi, autoReplyKeys } from './api';
import './registerCatalogue';
import './auto-reply.css';

/** Languages a version can be written for: the primary tags detectLanguage gives for the mail Pier's users meet most. */
const LANGUAGES = ['en', 'zh', 'de', 'fr', 'es', 'pt', 'it', 'ru', 'ar', 'ja', 'ko', 'tr', 'vi', 'nl', 'pl'] as const;
type Language = (typeof LANGUAGES)[number];

type Draft = Omit<AutoReplySettings, 'periodHours'> & { periodDays: number };

function toDraft(settings: AutoReplySettings): Draft {
  const { periodHours, ...rest } = settings;
  return { ...rest, periodDays: Math.max(1, Math.round(periodHours / 24)) };
}

/** Settings → mailbox → Auto-reply: on/off, limits, and the texts per language (admins who manage the mailbox). */
export function AutoReplySetting({ mailboxId }: { mailboxId: string }) {
  const { t } = useTranslation('autoReply');
  const id = useId();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: autoReplyKeys.settings(mailboxId), queryFn: () => autoReplyApi.settings(mailboxId) });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (query.data) setDraft(toDraft(query.data));
  }, [query.data]);
  const save = useMutation({
    mutationFn: (value: Draft) => {
      const { periodDays, ...rest } = value;
      return autoReplyApi.save(mailboxId, { ...rest, periodHours: periodDays * 24 });
    },
    onSuccess: (data) => queryClient.setQueryData(autoReplyKeys.settings(mailboxId), data),
  });
  if (!draft) return null;

  const change = (next: Partial<Draft>) => {
    save.reset();
    setDraft({ ...draft, ...next });
  };
  const changeVersion = (index: number, next: Partial<AutoReplyVersion>) =>
    change({ templates: { versions: draft.templates.versions.map((v, i) => (i === index ? { ...v, ...next } : v)) } });
  const used = new Set(draft.templates.versions.map((v) => v.language));
  const free = LANGUAGES.filter((l) => !used.has(l));
  const unknown = [
    ...new Set(
      draft.templates.versions.flatMap((v) => [
        ...unknownAutoReplyVariables(v.insideHours),
        ...unknownAutoReplyVariables(v.outsideHours ?? ''),
      ]),
    ),
  ];

  return (
    <section className="settings-section auto-reply-settings" data-testid="auto-reply-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(draft);
        }}
      >
        <label className="auto-reply-toggle">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
            data-testid="auto-reply-enabled"
          />
          {t('enabled')}
        </label>
        <div className="auto-reply-limits">
          <label className="field">
            <span className="label">{t('periodDays')}</span>
            <input
              className="input"
              type="number"
              min={1}
              max={30}
              value={draft.periodDays}
              onChange={(e) => change({ periodDays: Math.min(30, Math.max(1, Number(e.target.value) || 1)) })}
              data-testid="auto-reply-period"
            />
          </label>
          <label className="field">
            <span className="label">{t('hourlyCap')}</span>
            <input
              className="input"
              type="number"
              min={1}
              max={10}
              value={draft.hourlyCap}
              onChange={(e) => change({ hourlyCap: Math.min(10, Math.max(1, Number(e.target.value) || 1)) })}
              data-testid="auto-reply-cap"
            />
          </label>
        </div>

        <h3>{t('versionsTitle')}</h3>
        <p className="muted">{t('versionsIntro')}</p>
        {draft.templates.versions.map((version, index) => (
          <fieldset
            key={version.language ?? 'default'}
            className="auto-reply-version"
            data-testid="auto-reply-version"
            data-language={version.language ?? 'default'}
          >
            <legend>
              {version.language === null ? (
                t('defaultLanguage')
              ) : (
                <select
                  className="select"
                  aria-label={t('language')}
                  value={version.language}
                  onChange={(e) => changeVersion(index, { language: e.target.value })}
                  data-testid="auto-reply-language"
                >
                  {[version.language, ...free].map((l) => (
                    <option key={l} value={l}>
                      {t(`languages.${l as Language}`, { defaultValue: l })}
                    </option>
                  ))}
                </select>
              )}
            </legend>
            <ReplyText
              label={t('insideHours')}
              value={version.insideHours}
              onChange={(insideHours) => changeVersion(index, { insideHours })}
              testId="auto-reply-inside"
            />
            <label className="auto-reply-same">
              <input
                type="checkbox"
                checked={version.outsideHours === null}
                onChange={(e) => changeVersion(index, { outsideHours: e.target.checked ? null : version.insideHours })}
                data-testid="auto-reply-same-outside"
              />
              {t('sameOutside')}
            </label>
            {version.outsideHours !== null ? (
              <ReplyText
                label={t('outsideHours')}
                value={version.outsideHours}
                onChange={(outsideHours) => changeVersion(index, { outsideHours })}
                testId="auto-reply-outside"
              />
            ) : null}
            {version.language !== null ? (
              <button
                type="button"
                className="btn btn-sm btn-quiet"
                onClick={() => change({ templates: { versions: draft.templates.versions.filter((_, i) => i !== index) } })}
              >
                {t('removeVersion')}
              </button>
            ) : null}
          </fieldset>
        ))}
        {free.length > 0 && draft.templates.versions.length < 20 ? (
          <button
            type="button"
            className="btn btn-sm"
            // A new language starts empty: the default's text in another language would go out unnoticed.
            onClick={() =>
              change({
                templates: {
                  versions: [...draft.templates.versions, { language: free[0] as string, insideHours: '', outsideHours: null }],
                },
              })
            }
            data-testid="auto-reply-add-version"
          >
            {t('addVersion')}
          </button>
        ) : null}

        <div className="auto-reply-variables">
          <strong>{t('variables')}</strong>
          <ul>
            {autoReplyVariables.map((v) => (
              <li key={v}>
                <code>{`{{${v}}}`}</code> {t(`variable.${v}`)}
              </li>
            ))}
          </ul>
        </div>
        {unknown.length > 0 ? (
          <p className="field-error" role="alert" data-testid="auto-reply-unknown">
            {t('unknownVariables', { names: unknown.map((u) => `{{${u}}}`).join(', ') })}
          </p>
        ) : null}
        {save.isError ? (
          <p className="field-error" role="alert" data-testid="auto-reply-error">
            {saveErrorText(save.error)}
          </p>
        ) : null}
        <div className="auto-reply-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="auto-reply-save">
            {save.isPending ? t('saving') : t('save')}
          </button>
          {save.isSuccess ? (
            <span className="auto-reply-saved" role="status">
              {t('saved')}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/** A refused save names what the server found (the unknown variable, a missing default version) after the general text. */
function saveErrorText(error: unknown): string {
  const general = errorMessage(error);
  return error instanceof ApiRequestError && error.code === 'request.invalid' && error.message ? `${general} ${error.message}` : general;
}

/** One version's text for inside or outside business hours. */
function ReplyText({ label, value, onChange, testId }: { label: string; value: string; onChange: (text: string) => void; testId: string }) {
  return (
    <label className="field">
      <span className="label">{label}</span>
      <textarea className="input" rows={6} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}
