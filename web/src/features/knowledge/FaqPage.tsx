import { type FaqAnswer, faqVariables, type SessionInfo } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { currentLocale, errorMessage } from '../../i18n';
import { BackIcon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { TopBar } from '../inbox/TopBar';
import { useLogout } from '../session/queries';
import { isAdminRole } from '../session/roles';
import { AnswerEditor, type EditorStart, languageLabel } from './AnswerEditor';
import { faqApi, faqKeys } from './api';
import { htmlToText } from './html-text';
import { UnansweredQuestions } from './UnansweredQuestions';
import './strings';
import '../accounts/accounts.css';
import './knowledge.css';

function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(new Date(ms));
}

/**
 * /faq: the team's standard answers, searchable, by folder, each in its languages — what a new
 * colleague reads to learn how the team answers. People who write mail keep it; ?from=MESSAGE
 * opens the editor with a sent reply ("turn into FAQ answer").
 */
export function FaqPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('faq');
  useDocumentTitle(t('pageTitle'));
  const navigate = useNavigate();
  const logout = useLogout();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const library = useQuery({ queryKey: faqKeys.library, queryFn: faqApi.library });
  const [query, setQuery] = useState('');
  const [folder, setFolder] = useState<string>('all');
  const [editing, setEditing] = useState<EditorStart | null>(null);
  const [newFolder, setNewFolder] = useState('');
  const [error, setError] = useState<string | null>(null);
  const canWrite = session.user.role !== 'auditor';
  const canDelete = isAdminRole(session.user.role);

  const from = params.get('from');
  useEffect(() => {
    if (!from || !canWrite) return;
    faqApi
      .draftFromSent(from)
      .then((draft) =>
        setEditing({
          title: draft.title,
          versions: [{ language: draft.language, bodyHtml: draft.bodyHtml }],
          sourceMessageId: draft.sourceMessageId,
        }),
      )
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setParams({}, { replace: true }));
  }, [from, canWrite, setParams]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['faq'] });
  const folders = library.data?.folders ?? [];
  const answers = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (library.data?.answers ?? []).filter((a) => {
      if (folder === 'none' ? a.folderId !== null : folder !== 'all' && a.folderId !== folder) return false;
      if (!needle) return true;
      return [a.title, ...a.versions.map((v) => htmlToText(v.bodyHtml))].some((text) => text.toLowerCase().includes(needle));
    });
  }, [library.data, query, folder]);

  async function addFolder() {
    if (!newFolder.trim()) return;
    try {
      await faqApi.createFolder(newFolder.trim());
      setNewFolder('');
      refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  async function remove(answer: FaqAnswer) {
    if (!window.confirm(t('confirmDelete', { title: answer.title }))) return;
    try {
      await faqApi.deleteAnswer(answer.id);
      refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="security-shell" data-testid="faq-page">
      <TopBar
        session={session}
        title={t('title')}
        subtitle={null}
        onSignOut={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        signingOut={logout.isPending}
      />
      <main className="security-main faq-main">
        <Link to="/" className="sec-back" data-testid="faq-back">
          <BackIcon />
          {t('back')}
        </Link>
        <p className="muted">{t('intro')}</p>
        {error ? <Notice>{error}</Notice> : null}
        {library.isError ? <Notice>{errorMessage(library.error)}</Notice> : null}
        {editing ? (
          <AnswerEditor
            start={editing}
            folders={folders}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              refresh();
            }}
          />
        ) : null}
        <div className="faq-toolbar">
          <input
            className="input faq-search"
            type="search"
            aria-label={t('search')}
            placeholder={t('searchPlaceholder')}
            data-testid="faq-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          {canWrite && !editing ? (
            <button
              type="button"
              className="btn btn-primary"
              data-testid="faq-new"
              onClick={() => setEditing({ folderId: folder.length > 4 ? folder : null })}
            >
              + {t('newAnswer')}
            </button>
          ) : null}
        </div>
        <nav className="faq-folders" aria-label={t('folders')}>
          {[
            { id: 'all', name: t('allFolders'), count: library.data?.answers.length ?? 0 },
            ...folders.map((f) => ({ id: f.id, name: f.name, count: f.answerCount })),
            { id: 'none', name: t('unfiled'), count: (library.data?.answers ?? []).filter((a) => a.folderId === null).length },
          ].map((f) => (
            <button
              key={f.id}
              type="button"
              className={folder === f.id ? 'faq-chip is-active' : 'faq-chip'}
              aria-pressed={folder === f.id}
              data-testid="faq-folder-chip"
              onClick={() => setFolder(f.id)}
            >
              {f.name} <span className="muted">{f.count}</span>
            </button>
          ))}
          {canWrite ? (
            <span className="faq-new-folder">
              <input
                className="input"
                aria-label={t('folderName')}
                placeholder={t('newFolder')}
                value={newFolder}
                onChange={(e) => setNewFolder(e.target.value)}
                data-testid="faq-folder-name"
              />
              <button type="button" className="btn btn-ghost" onClick={() => void addFolder()} data-testid="faq-folder-add">
                {t('addFolder')}
              </button>
            </span>
          ) : null}
        </nav>
        {library.data && library.data.answers.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        {library.data && library.data.answers.length > 0 && answers.length === 0 ? (
          <p className="muted">{t('noMatch', { query })}</p>
        ) : null}
        <ul className="faq-list">
          {answers.map((answer) => (
            <AnswerCard
              key={answer.id}
              answer={answer}
              folderName={folders.find((f) => f.id === answer.folderId)?.name ?? null}
              onEdit={canWrite ? () => setEditing({ answer }) : undefined}
              onDelete={canDelete ? () => void remove(answer) : undefined}
            />
          ))}
        </ul>
        <UnansweredQuestions
          canWrite={canWrite}
          onWrite={(cluster) => {
            setEditing({
              title: cluster.subject,
              versions: [{ language: cluster.language === 'zh' ? 'zh-CN' : (cluster.language ?? 'en'), bodyHtml: '' }],
            });
            window.scrollTo({ top: 0 });
          }}
        />
      </main>
    </div>
  );
}

function AnswerCard({
  answer,
  folderName,
  onEdit,
  onDelete,
}: {
  answer: FaqAnswer;
  folderName: string | null;
  onEdit: (() => void) | undefined;
  onDelete: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation('faq');
  const preferred = answer.versions.find((v) => v.language.split('-')[0] === i18n.language.split('-')[0]) ?? answer.versions[0];
  const [language, setLanguage] = useState(preferred?.language ?? '');
  const version = answer.versions.find((v) => v.language === language) ?? preferred;
  return (
    <li className="security-card faq-card" data-testid="faq-answer">
      <div className="faq-card-head">
        <h2>
          <bdi>{answer.title}</bdi>
        </h2>
        <div className="faq-card-actions">
          {onEdit ? (
            <button type="button" className="btn btn-ghost" onClick={onEdit} data-testid="faq-edit">
              {t('edit')}
            </button>
          ) : null}
          {onDelete ? (
            <button type="button" className="btn btn-ghost" onClick={onDelete} data-testid="faq-delete">
              {t('delete')}
            </button>
          ) : null}
        </div>
      </div>
      <div className="faq-tabs" role="tablist">
        {answer.versions.map((v) => (
          <button
            key={v.language}
            type="button"
            role="tab"
            aria-selected={v.language === version?.language}
            className={v.language === version?.language ? 'faq-tab is-active' : 'faq-tab'}
            onClick={() => setLanguage(v.language)}
          >
            {languageLabel(t, v.language)}
          </button>
        ))}
      </div>
      <div className="faq-text" data-testid="faq-answer-text">
        {version ? withVariableNames(htmlToText(version.bodyHtml), (name) => t(`editor.variable.${name}`)) : ''}
      </div>
      {answer.attachments.length > 0 ? (
        <p className="muted">
          {t('attachments')}: {answer.attachments.map((a) => a.filename).join(', ')}
        </p>
      ) : null}
      <p className="muted faq-meta" data-testid="faq-answer-meta">
        {folderName ? <span>{folderName}</span> : null}
        <span>{answer.useCount > 0 ? t('used', { count: answer.useCount }) : t('neverUsed')}</span>
        <span>{t('edited', { name: answer.updatedBy.name, when: formatDate(answer.updatedAt) })}</span>
      </p>
    </li>
  );
}

type Variable = (typeof faqVariables)[number];

/** `{{contact.name}}` reads as ‹Customer’s name› on the page: a colleague learning the answer sees what goes there. */
function withVariableNames(text: string, label: (name: Variable) => string): string {
  return text.replace(/\{\{\s*([a-z_.]+)\s*\}\}/gi, (match, name: string) =>
    (faqVariables as readonly string[]).includes(name) ? `‹${label(name as Variable)}›` : match,
  );
}
