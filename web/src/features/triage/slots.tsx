import type { ConversationDetail, TimelineItem } from '@pier/contracts';
import type { ConversationSlotProps } from '../conversation/slots';
import { NotesComposer } from './NotesComposer';
import { TimelineEvent, TimelineNote } from './TimelineItems';
import { TriageToolbar } from './TriageToolbar';

/** Adapters from the reading pane's slots (features/conversation/slots.tsx) to the triage components. */
export function TriageToolbarSlot({ detail, session, openConversation }: ConversationSlotProps) {
  return <TriageToolbar conversationId={detail.conversation.id} session={session} onMerged={openConversation} />;
}

export function NotesComposerSlot({ detail }: ConversationSlotProps) {
  return <NotesComposer conversationId={detail.conversation.id} />;
}

export function TimelineNoteSlot({ item }: { item: Extract<TimelineItem, { kind: 'note' }>; detail: ConversationDetail }) {
  return <TimelineNote item={item} />;
}

export function TimelineEventSlot({ item }: { item: Extract<TimelineItem, { kind: 'event' }>; detail: ConversationDetail }) {
  return <TimelineEvent item={item} />;
}
