import type { FaqSuggestion, Upload } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { faqApi, faqKeys } from './api';
import './strings';
import './knowledge.css';

const shown = 3;

/**
 * Above the reply editor: the answers most likely to fit the conversation's newest mail (the
 * library and the team's past sent answers, ranked by the server). Alt+1…3 inserts one, in the
 * mail's language, with its variables filled and its attachments added to the reply.
 */
export function FaqSuggestions({
  conversationId,
  mailboxId,
  onInsert,
}: {
  conversationId: string;
  mailboxId: string;
  onInsert: (html: string, uploads: Upload[]) => void;
}) {
  const { t } = useTranslation('faq');
  const suggestions = useQuery({ queryKey: faqKeys.suggestions(conversationId), queryFn: () => faqApi.suggestions(conversationId) });
  const [status, setStatus] = useState<string | null>(null);
  const items = (suggestions.data?.items ?? []).slice(0, shown);
  const language = suggestions.data?.language ?? undefined;

  async function insert(item: FaqSuggestion) {
    try {
      if (item.kind === 'library') {
        const rendered = await faqApi.render(item.id, { language: item.language ?? language, mailboxId, conversationId, insert: true });
        onInsert(rendered.html, rendered.uploads);
      } else {
        const draft = await faqApi.draftFromSent(item.id);
        onInsert(draft.bodyHtml, []);
      }
      setStatus(t('suggestions.inserted', { title: item.title }));
    } catch (err) {
      setStatus(errorMessage(err));
    }
  }
  // The handler reads the current list through a ref: the listener is added once.
  const insertRef = useRef<(n: number) => void>(() => undefined);
  insertRef.current = (n: number) => {
    const item = items[n];
    if (item && mailboxId) void insert(item);
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const match = /^Digit([1-9])$/.exec(event.code);
      if (!event.altKey || event.ctrlKey || event.metaKey || !match) return;
      event.preventDefault();
      insertRef.current(Number(match[1]) - 1);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (suggestions.isLoading || suggestions.isError) return null;
  return (
    <section className="faq-suggestions" aria-label={t('suggestions.label')} data-testid="faq-suggestions">
      <h3 className="faq-suggestions-title">{t('suggestions.label')}</h3>
      {items.length === 0 ? (
        <p className="muted">{t('suggestions.none')}</p>
      ) : (
        <ol className="faq-suggestion-list">
          {items.map((item, i) => (
            <li key={`${item.kind}:${item.id}`}>
              <button
                type="button"
                className="faq-suggestion"
                data-testid="faq-suggestion"
                data-kind={item.kind}
                title={t('suggestions.insertHint', { n: i + 1 })}
                disabled={!mailboxId}
                onClick={() => void insert(item)}
              >
                <kbd>{t('suggestions.key', { n: i + 1 })}</kbd>
                <span className={`badge ${item.kind === 'library' ? 'accent' : ''}`}>
                  {item.kind === 'library' ? t('suggestions.library') : t('suggestions.sent')}
                </span>
                {item.language ? <span className="faq-lang">{item.language}</span> : null}
                <span className="faq-suggestion-text">
                  <strong>
                    <bdi>{item.title}</bdi>
                  </strong>
                  <span className="muted">
                    <bdi>{item.snippet}</bdi>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {status ? (
        <p className="muted" role="status" data-testid="faq-suggestion-status">
          {status}
        </p>
      ) : null}
    </section>
  );
}
