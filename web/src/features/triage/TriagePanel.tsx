import type { SessionInfo } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { NotesComposer } from './NotesComposer';
import { TimelineEvent, TimelineNote } from './TimelineItems';
import { TriageToolbar } from './TriageToolbar';
import { useTriage } from './useTriage';
import './triage.css';

/**
 * Toolbar, notes-and-history and the note composer in one block, for a pane
 * that does not yet render the merged timeline of GET /api/conversations/:id.
 * Once it does, mount TriageToolbar in the pane header, TimelineNote and
 * TimelineEvent for the timeline's 'note' and 'event' items, and NotesComposer
 * beside the reply composer; then drop this.
 */
export function TriagePanel({
  conversationId,
  session,
  onMerged,
}: {
  conversationId: string;
  session: SessionInfo;
  onMerged?: (id: string) => void;
}) {
  const { t } = useTranslation('triage');
  const triage = useTriage(conversationId);
  const items = triage.data?.timeline ?? [];
  return (
    <section className="triage-panel" data-testid="triage-panel" aria-label={t('toolbar.label')}>
      <TriageToolbar conversationId={conversationId} session={session} {...(onMerged ? { onMerged } : {})} />
      <h3 className="triage-panel-title">{t('panel.activity')}</h3>
      <div className="triage-activity">
        {triage.isSuccess && items.length === 0 ? <p className="triage-menu-empty">{t('panel.empty')}</p> : null}
        {items.map((item) =>
          item.kind === 'note' ? (
            <TimelineNote key={item.id} item={item} />
          ) : item.kind === 'event' ? (
            <TimelineEvent key={item.id} item={item} />
          ) : null,
        )}
      </div>
      <NotesComposer conversationId={conversationId} disabled={triage.data?.state.access === 'read'} />
    </section>
  );
}
