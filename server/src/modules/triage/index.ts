export {
  type Actor,
  addNote,
  assignConversation,
  changeConversationTags,
  mergeConversations,
  mergedInto,
  setConversationPriority,
  setConversationStatus,
  setFollowing,
  WAKE_SNOOZED_JOB,
  wakeSnoozedConversations,
} from './actions.js';
export { type BusinessHoursOf, ESCALATE_UNASSIGNED_JOB, escalateUnassigned, UNASSIGNED_TOO_LONG } from './escalation.js';
export { recordReopened } from './events.js';
export { type HandoverResult, type HandoverTarget, handOverConversations, openConversationsOf } from './handover.js';
export {
  grantTeamMailboxAccess,
  listMailboxRoutes,
  type RoutingOutcome,
  revokeTeamMailboxAccess,
  routeNewConversation,
  setMailboxRoute,
} from './mail-groups.js';
export { triageRoutes } from './routes.js';
export {
  assignByRule,
  markSpamByRule,
  notifyByRule,
  type RuleRef,
  recordRuleEvent,
  setPriorityByRule,
  setStatusByRule,
  tagByRule,
} from './rule-effects.js';
export { refreshSpamFlag, triageSubscribers } from './subscribers.js';
export { conversationsWorkedOnByTeam } from './team-activity.js';
export { setMemberAway } from './team-settings.js';
export { createTeam, deleteTeam, leadsOfTeam, listTeams, updateTeam } from './teams.js';
export { listNotesAndEvents, triageState } from './timeline.js';
export { viewCounts } from './views.js';
