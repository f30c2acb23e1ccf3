import { type FaqAnswer, type FaqFolder, faqVariables, type Upload } from '@pier/contracts';
import type { TFunction } from 'i18next';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { composerApi } from '../composer/api';
import { faqApi } from './api';
import { htmlToText, textToHtml } from './html-text';

export const libraryLanguages = ['zh-CN', 'en', 'de', 'es', 'fr', 'ru', 'ar', 'pt', 'ja'] as const;

export type EditorStart = {
  answer?: FaqAnswer;
  title?: string;
  folderId?: string | null;
  versions?: { language: string; bodyHtml: string }[];
  sourceMessageId?: string;
};

type Version = { language: string; text: string };

/** One answer: question, folder, a text per language with variables, attachments, preview. */
export function AnswerEditor({
  start,
  folders,
  onSaved,
  onCancel,
}: {
  start: EditorStart;
  folders: FaqFolder[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('faq');
  const answer = start.answer;
  const [title, setTitle] = useState(answer?.title ?? start.title ?? '');
  const [folderId, setFolderId] = useState<string | null>(answer?.folderId ?? start.folderId ?? null);
  const [versions, setVersions] = useState<Version[]>(() =>
    (answer?.versions ?? start.versions ?? [{ language: 'zh-CN', bodyHtml: '' }]).map((v) => ({
      language: v.language,
      text: htmlToText(v.bodyHtml),
    })),
  );
  const [active, setActive] = useState(0);
  const [kept, setKept] = useState(answer?.attachments ?? []);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const current = versions[active];

  const setText = (text: string) => setVersions((vs) => vs.map((v, i) => (i === active ? { ...v, text } : v)));
  const insertVariable = (name: string) => {
    const area = bodyRef.current;
    const token = `{{${name}}}`;
    if (!area || !current) return;
    const at = area.selectionStart ?? current.text.length;
    setText(current.text.slice(0, at) + token + current.text.slice(area.selectionEnd ?? at));
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(at + token.length, at + token.length);
    });
  };
  const addLanguage = () => {
    const free = libraryLanguages.find((l) => !versions.some((v) => v.language === l));
    if (!free) return;
    setVersions((vs) => [...vs, { language: free, text: '' }]);
    setActive(versions.length);
  };
  const body = () => ({
    folderId,
    title,
    versions: versions.map((v) => ({ language: v.language, bodyHtml: textToHtml(v.text) })),
    attachments: [...kept.map((a) => ({ attachmentId: a.id })), ...uploads.map((u) => ({ uploadId: u.id }))],
    ...(start.sourceMessageId ? { sourceMessageId: start.sourceMessageId } : {}),
  });

  async function save() {
    setSaving(true);
    setError(null);
    try {
      if (answer) await faqApi.updateAnswer(answer.id, body());
      else await faqApi.createAnswer(body());
      onSaved();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }
  async function showPreview() {
    if (!current) return;
    setError(null);
    try {
      const rendered = await faqApi.preview(textToHtml(current.text));
      setPreview(htmlToText(rendered.html));
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  async function attach(files: FileList) {
    for (const file of Array.from(files)) {
      setUploading(file.name);
      try {
        const upload = await composerApi.upload(file);
        setUploads((u) => [...u, upload]);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setUploading(null);
      }
    }
  }

  return (
    <section
      className="security-card faq-editor"
      data-testid="faq-editor"
      aria-label={answer ? t('editor.titleEdit') : t('editor.titleNew')}
    >
      <h2>{answer ? t('editor.titleEdit') : t('editor.titleNew')}</h2>
      {start.sourceMessageId ? <p className="muted">{t('editor.fromSent')}</p> : null}
      <label className="faq-field">
        <span>{t('editor.question')}</span>
        <input
          className="input"
          data-testid="faq-title"
          value={title}
          placeholder={t('editor.questionHint')}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label className="faq-field">
        <span>{t('editor.folder')}</span>
        <select className="input" data-testid="faq-folder" value={folderId ?? ''} onChange={(e) => setFolderId(e.target.value || null)}>
          <option value="">{t('unfiled')}</option>
          {folders.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <div className="faq-tabs" role="tablist" aria-label={t('editor.language')}>
        {versions.map((v, i) => (
          <button
            key={v.language}
            type="button"
            role="tab"
            aria-selected={i === active}
            className={i === active ? 'faq-tab is-active' : 'faq-tab'}
            data-testid={`faq-tab-${v.language}`}
            onClick={() => setActive(i)}
          >
            {languageLabel(t, v.language)}
          </button>
        ))}
        {versions.length < libraryLanguages.length ? (
          <button type="button" className="btn btn-ghost" data-testid="faq-add-language" onClick={addLanguage}>
            + {t('editor.addLanguage')}
          </button>
        ) : null}
      </div>
      {current ? (
        <div className="faq-version">
          <div className="faq-version-head">
            <label className="faq-field faq-inline">
              <span>{t('editor.language')}</span>
              <select
                className="input"
                data-testid="faq-language"
                value={current.language}
                onChange={(e) => setVersions((vs) => vs.map((v, i) => (i === active ? { ...v, language: e.target.value } : v)))}
              >
                {libraryLanguages
                  .filter((l) => l === current.language || !versions.some((v) => v.language === l))
                  .map((l) => (
                    <option key={l} value={l}>
                      {languageLabel(t, l)}
                    </option>
                  ))}
              </select>
            </label>
            {versions.length > 1 ? (
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  setVersions((vs) => vs.filter((_, i) => i !== active));
                  setActive(0);
                }}
              >
                {t('editor.removeLanguage')}
              </button>
            ) : null}
          </div>
          <label className="faq-field">
            <span>{t('editor.body')}</span>
            <textarea
              ref={bodyRef}
              className="input faq-body"
              data-testid="faq-body"
              rows={8}
              value={current.text}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <div className="faq-variables">
            <span className="muted">{t('editor.variablesHint')}</span>
            <div className="faq-variable-list">
              {faqVariables.map((name) => (
                <button
                  key={name}
                  type="button"
                  className="faq-variable"
                  title={`{{${name}}}`}
                  onClick={() => insertVariable(name)}
                  data-testid={`faq-var-${name}`}
                >
                  {t(`editor.variable.${name}`)}
                </button>
              ))}
            </div>
          </div>
        </div>
      ) : null}
      <div className="faq-attachments">
        <strong>{t('attachments')}</strong>
        <ul>
          {kept.map((a) => (
            <li key={a.id}>
              {a.filename}{' '}
              <button
                type="button"
                className="btn btn-ghost"
                aria-label={t('editor.removeAttachment', { name: a.filename })}
                onClick={() => setKept((k) => k.filter((x) => x.id !== a.id))}
              >
                ×
              </button>
            </li>
          ))}
          {uploads.map((u) => (
            <li key={u.id}>
              {u.filename}{' '}
              <button
                type="button"
                className="btn btn-ghost"
                aria-label={t('editor.removeAttachment', { name: u.filename })}
                onClick={() => setUploads((x) => x.filter((y) => y.id !== u.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {uploading ? <span className="muted">{t('editor.uploading', { name: uploading })}</span> : null}
        <label className="btn btn-ghost">
          + {t('editor.attach')}
          <input
            type="file"
            className="visually-hidden"
            data-testid="faq-file"
            onChange={(e) => e.target.files && void attach(e.target.files)}
          />
        </label>
      </div>
      {preview !== null ? (
        <div className="faq-preview" data-testid="faq-preview">
          <p className="muted">{t('editor.previewHint')}</p>
          <div className="faq-text">{preview}</div>
        </div>
      ) : null}
      {error ? (
        <p className="composer-error" role="alert" data-testid="faq-error">
          {error}
        </p>
      ) : null}
      <div className="faq-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="faq-save"
          disabled={saving || title.trim() === ''}
          onClick={() => void save()}
        >
          {saving ? t('editor.saving') : t('editor.save')}
        </button>
        <button type="button" className="btn" data-testid="faq-preview-button" onClick={() => void showPreview()}>
          {t('editor.preview')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('editor.cancel')}
        </button>
      </div>
    </section>
  );
}

export function languageLabel(t: TFunction<'faq'>, language: string): string {
  return (libraryLanguages as readonly string[]).includes(language)
    ? t(`languages.${language as (typeof libraryLanguages)[number]}`)
    : language;
}
