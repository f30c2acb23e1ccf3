import type { ConversationSummary } from '@pier/contracts';
import type { ComponentType } from 'react';
import { ClosedIcon, OpenIcon, PendingIcon, SnoozeIcon, UnassignedIcon, UserIcon } from '../../ui/icons';

export const VIEW_IDS = ['unassigned', 'mine', 'open', 'pending', 'snoozed', 'closed'] as const;
export type ViewId = (typeof VIEW_IDS)[number];
export const DEFAULT_VIEW: ViewId = 'open';

export const VIEW_ICONS: Record<ViewId, ComponentType> = {
  unassigned: UnassignedIcon,
  mine: UserIcon,
  open: OpenIcon,
  pending: PendingIcon,
  snoozed: SnoozeIcon,
  closed: ClosedIcon,
};

export function parseView(value: string | null): ViewId {
  return (VIEW_IDS as readonly string[]).includes(value ?? '') ? (value as ViewId) : DEFAULT_VIEW;
}

/**
 * Which conversations a view shows. Assignment does not exist in the API yet, so every
 * open conversation is unassigned and nothing is "mine".
 */
export function inView(view: ViewId, conversation: ConversationSummary): boolean {
  switch (view) {
    case 'unassigned':
    case 'open':
      return conversation.status === 'open';
    case 'mine':
      return false;
    default:
      return conversation.status === view;
  }
}
