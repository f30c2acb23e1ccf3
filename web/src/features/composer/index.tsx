import { lazy, Suspense } from 'react';
import type { ConversationSlotProps } from '../conversation/slots';
import type { ComposerProps } from './ComposerPanel';

export type { ComposerProps } from './ComposerPanel';

/** TipTap and the composer's catalogue load with the first composer, not with the inbox. */
const ComposerPanel = lazy(() => import('./ComposerPanel'));

/**
 * The composer, docked at the bottom of a conversation (`<Composer conversationId={id} />`)
 * or on its own for new mail (`<Composer mode="new" />`).
 */
export function Composer(props: ComposerProps) {
  return (
    <Suspense fallback={<div className="composer composer-loading" aria-busy="true" />}>
      <ComposerPanel {...props} />
    </Suspense>
  );
}

/** The reading pane's `Composer` slot (features/conversation/slots.tsx): docked under the timeline. */
export function ComposerSlot({ detail }: ConversationSlotProps) {
  return <Composer key={detail.conversation.id} conversationId={detail.conversation.id} />;
}
