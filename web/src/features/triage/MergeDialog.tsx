import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { triageApi } from './api';
import { useTriageAction } from './useTriage';

/** Picks the conversation to merge this one into (search by subject, customer or text), then merges. */
export function MergeDialog({
  conversationId,
  onClose,
  onMerged,
}: {
  conversationId: string;
  onClose: () => void;
  onMerged: (intoId: string) => void;
}) {
  const { t } = useTranslation('triage');
  const [query, setQuery] = useState('');
  const search = useDebouncedValue(query.trim(), 250);
  const dialog = useRef<HTMLDialogElement>(null);
  const results = useQuery({
    queryKey: ['conversations', 'merge-search', search],
    queryFn: () => triageApi.search(search),
    enabled: search.length > 0,
  });
  const merge = useTriageAction(conversationId, (intoId: string) => triageApi.merge(conversationId, intoId));

  useEffect(() => {
    const node = dialog.current;
    if (node && !node.open) node.showModal();
    return () => node?.close();
  }, []);

  const candidates = (results.data?.items ?? []).filter((c) => c.id !== conversationId);
  return (
    <dialog ref={dialog} className="triage-dialog" aria-labelledby="merge-title" onClose={onClose} data-testid="merge-dialog">
      <h2 id="merge-title">{t('merge.title')}</h2>
      <p className="triage-dialog-hint">{t('merge.hint')}</p>
      <input
        type="search"
        className="triage-menu-filter"
        placeholder={t('merge.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoFocus
        data-testid="merge-search"
      />
      <ul className="triage-merge-list">
        {search && results.isSuccess && candidates.length === 0 ? <li className="triage-menu-empty">{t('merge.none')}</li> : null}
        {candidates.map((c) => (
          <li key={c.id}>
            <span className="triage-merge-subject">{c.subject}</span>
            <span className="triage-menu-sub">{c.customerName ?? c.fromName ?? c.fromAddress ?? ''}</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={merge.isPending}
              data-testid="merge-into"
              onClick={() => merge.mutate(c.id, { onSuccess: () => onMerged(c.id) })}
            >
              {t('merge.into')}
            </button>
          </li>
        ))}
      </ul>
      {merge.error ? <p className="triage-error">{errorMessage(merge.error)}</p> : null}
      <div className="triage-dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('merge.cancel')}
        </button>
      </div>
    </dialog>
  );
}
