import type { ComponentType } from 'react';
import { AlertIcon, AutomatedIcon, ClosedIcon, OpenIcon, PendingIcon, SnoozeIcon, UnassignedIcon, UserIcon } from '../../ui/icons';

/** `automated`: machine mail (newsletters, auto-replies, bounces, notifications) waits here, not in the team's queues. */
export const VIEW_IDS = ['unassigned', 'mine', 'open', 'pending', 'snoozed', 'closed', 'automated', 'spam', 'escalated'] as const;
export type ViewId = (typeof VIEW_IDS)[number];
export const DEFAULT_VIEW: ViewId = 'open';

export const VIEW_ICONS: Record<ViewId, ComponentType> = {
  unassigned: UnassignedIcon,
  mine: UserIcon,
  open: OpenIcon,
  pending: PendingIcon,
  snoozed: SnoozeIcon,
  closed: ClosedIcon,
  automated: AutomatedIcon,
  spam: AlertIcon,
  escalated: AlertIcon,
};

export function parseView(value: string | null): ViewId {
  return (VIEW_IDS as readonly string[]).includes(value ?? '') ? (value as ViewId) : DEFAULT_VIEW;
}
