import { type KeyboardEvent, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { triageApi } from './api';
import { usePeople, useTriageAction } from './useTriage';

type Person = { id: string; name: string; email: string };

/** The word being typed after an @ just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - (match[2]?.length ?? 0) - 1, query: match[2] ?? '' };
}

/**
 * Internal notes with @mention autocomplete. Only colleagues who can see the
 * conversation are offered (the server refuses anyone else); the mentioned are
 * notified in-app. Ctrl/⌘+Enter adds the note.
 */
export function NotesComposer({ conversationId, disabled = false }: { conversationId: string; disabled?: boolean }) {
  const { t } = useTranslation('triage');
  const [body, setBody] = useState('');
  const [picked, setPicked] = useState<Person[]>([]);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once the text with a chosen mention is in the textarea.
  const pendingCaret = useRef<number | null>(null);
  const people = usePeople(conversationId, !disabled);
  const add = useTriageAction(conversationId, (note: { body: string; mentions: string[] }) => triageApi.note(conversationId, note));

  const mention = mentionQuery(body, caret);
  const suggestions = useMemo(() => {
    if (!mention) return [];
    const needle = mention.query.toLowerCase();
    return (people.data?.mentionable ?? []).filter((p) => p.name.toLowerCase().includes(needle) || p.email.startsWith(needle)).slice(0, 6);
  }, [mention, people.data]);

  const choose = (person: Person) => {
    if (!mention) return;
    const inserted = `@${person.name} `;
    const next = body.slice(0, mention.start) + inserted + body.slice(caret);
    const at = mention.start + inserted.length;
    setBody(next);
    setPicked((list) => (list.some((p) => p.id === person.id) ? list : [...list, person]));
    setActive(0);
    setCaret(at);
    pendingCaret.current = at;
  };

  // In the same commit as the new text, before the next key is handled: set in a later animation
  // frame, a key typed at once landed at the end of the text instead of after the mention.
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !textarea.current) return;
    pendingCaret.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(at, at);
  });

  const submit = () => {
    const text = body.trim();
    if (!text || add.isPending) return;
    // A mention counts only while its @Name is still in the text.
    const mentions = picked.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id);
    add.mutate(
      { body: text, mentions },
      {
        onSuccess: () => {
          setBody('');
          setPicked([]);
        },
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const person = suggestions[Math.min(active, suggestions.length - 1)];
        if (person) choose(person);
        return;
      }
    }
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="triage-note-composer"
      data-testid="note-composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`note-${conversationId}`} className="triage-note-title">
        {t('notes.title')}
      </label>
      <div className="triage-note-input">
        <textarea
          id={`note-${conversationId}`}
          ref={textarea}
          value={body}
          rows={3}
          maxLength={20_000}
          disabled={disabled}
          placeholder={t('notes.placeholder')}
          aria-autocomplete="list"
          aria-controls={`mentions-${conversationId}`}
          data-testid="note-input"
          onChange={(e) => {
            setBody(e.target.value);
            setCaret(e.target.selectionStart);
            setActive(0);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        {mention ? (
          <div
            id={`mentions-${conversationId}`}
            className="triage-mentions"
            role="listbox"
            aria-label={t('notes.mentionHint')}
            data-testid="mention-list"
          >
            {suggestions.length === 0 ? <div className="triage-menu-empty">{t('notes.noMatch')}</div> : null}
            {suggestions.map((p, i) => (
              <div
                key={p.id}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className="triage-menu-item"
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(p);
                }}
              >
                <span>{p.name}</span>
                <span className="triage-menu-sub">{p.email}</span>
              </div>
            ))}
          </div>
        ) : null}
      </div>
      <div className="triage-note-actions">
        {add.error ? <span className="triage-error">{errorMessage(add.error)}</span> : null}
        <button
          type="submit"
          className="btn btn-primary btn-small"
          disabled={disabled || !body.trim() || add.isPending}
          data-testid="note-submit"
        >
          {add.isPending ? t('notes.adding') : t('notes.add')}
        </button>
      </div>
    </form>
  );
}
