import type { ConversationDetail, SessionInfo, TimelineItem } from '@pier/contracts';
import { type ComponentType, createContext, type ReactNode, useContext, useEffect, useMemo, useRef } from 'react';
import { FraudBannerSlot } from '../fraud';

type Note = Extract<TimelineItem, { kind: 'note' }>;
type Event = Extract<TimelineItem, { kind: 'event' }>;

export type ConversationSlotProps = {
  detail: ConversationDetail;
  session: SessionInfo;
  /** Opens another conversation in the pane (after a merge, a related link…). */
  openConversation: (conversationId: string) => void;
};

/**
 * Mount points for the other parts of the conversation screen, so each lands
 * without editing the reading pane:
 * - `Toolbar`: triage (status, assignee, tags, snooze, priority, follow), above the subject.
 * - `Banner`: fraud warning, between the header and the timeline.
 * - `NotesComposer` (triage) and `Composer` (outbox): docked under the timeline.
 * - `NoteItem` / `EventItem`: richer timeline renderers (triage); plain ones are built in.
 * Wire them in `defaultConversationSlots` below (one line each) or pass a provider value.
 */
export type ConversationSlots = {
  Toolbar?: ComponentType<ConversationSlotProps>;
  Banner?: ComponentType<ConversationSlotProps>;
  NotesComposer?: ComponentType<ConversationSlotProps>;
  Composer?: ComponentType<ConversationSlotProps>;
  NoteItem?: ComponentType<{ item: Note; detail: ConversationDetail }>;
  EventItem?: ComponentType<{ item: Event; detail: ConversationDetail }>;
};

export const defaultConversationSlots: ConversationSlots = { Banner: FraudBannerSlot };

const SlotsContext = createContext<ConversationSlots>(defaultConversationSlots);

export function ConversationSlotsProvider({ slots, children }: { slots: ConversationSlots; children: ReactNode }) {
  return <SlotsContext.Provider value={slots}>{children}</SlotsContext.Provider>;
}

export function useConversationSlots(): ConversationSlots {
  return useContext(SlotsContext);
}

/** Keyboard actions that belong to other features: r (reply), a (assign), e (close), s (snooze), # (tags). */
export const SLOT_ACTIONS = ['reply', 'assign', 'close', 'snooze', 'tags'] as const;
export type SlotAction = (typeof SLOT_ACTIONS)[number];

export type ActionRegistry = Map<SlotAction, () => void>;

const ActionsContext = createContext<ActionRegistry>(new Map());

export function ConversationActionsProvider({ registry, children }: { registry: ActionRegistry; children: ReactNode }) {
  return <ActionsContext.Provider value={registry}>{children}</ActionsContext.Provider>;
}

export function useActionRegistry(): ActionRegistry {
  const ref = useRef<ActionRegistry>(null);
  ref.current ??= new Map();
  return ref.current;
}

/**
 * A slot component makes its shortcut work by registering it while mounted, e.g. the composer:
 * `useConversationAction('reply', () => editor.focus())`.
 */
export function useConversationAction(action: SlotAction, handler: (() => void) | undefined) {
  const registry = useContext(ActionsContext);
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useMemo(() => () => latest.current?.(), []);
  const enabled = handler !== undefined;
  useEffect(() => {
    if (!enabled) return;
    registry.set(action, stable);
    return () => {
      if (registry.get(action) === stable) registry.delete(action);
    };
  }, [registry, action, stable, enabled]);
}
