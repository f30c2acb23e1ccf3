import type { SaveDraft } from '@pier/contracts';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../i18n';
import { composerApi } from './api';

export type DraftState = { kind: 'idle' | 'saving' | 'saved' | 'failed'; at?: number; reason?: string };

/**
 * Drafts are saved to the server a moment after the agent stops typing (`dirty` counts edits).
 * The timer reads the latest body and draft id when it fires, not those of the render that set it.
 */
export function useDraftAutosave(dirty: number, draftId: string | null, draftBody: () => SaveDraft, setDraftId: (id: string) => void) {
  const [draftState, setDraftState] = useState<DraftState>({ kind: 'idle' });
  const latest = useRef({ draftBody, draftId, setDraftId });
  latest.current = { draftBody, draftId, setDraftId };
  useEffect(() => {
    if (dirty === 0) return;
    const timer = setTimeout(() => {
      setDraftState({ kind: 'saving' });
      composerApi
        .saveDraft(latest.current.draftId, latest.current.draftBody())
        .then((draft) => {
          latest.current.setDraftId(draft.id);
          setDraftState({ kind: 'saved', at: draft.updatedAt });
        })
        .catch((err: unknown) => setDraftState({ kind: 'failed', reason: errorMessage(err) }));
    }, 800);
    return () => clearTimeout(timer);
  }, [dirty]);
  return [draftState, setDraftState] as const;
}
