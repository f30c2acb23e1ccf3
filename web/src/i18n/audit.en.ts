import type { knownAuditActions } from '@pier/contracts';

/**
 * English catalogue of the audit screens (i18next namespace `audit`), registered by the settings
 * chunk. It defines the shape of `audit.zh-CN.ts`, which is type-checked against it key by key.
 */
type ActionNames = Record<(typeof knownAuditActions)[number], string>;

export const auditEn = {
  nav: { log: 'Audit log', forwarding: 'Forwarding rules', report: 'Audit report' },
  log: {
    pageTitle: 'Audit log',
    intro: 'Every admin, security and export action, in order. Records are hash-chained: an edited or removed record is detected.',
    chainOk: 'Chain intact: {{count}} records checked.',
    chainBroken: 'The audit chain is broken: {{count}} problem(s). Records were edited, removed or reordered outside Pier.',
    chainChecking: 'Checking the chain…',
    filters: 'Filters',
    action: 'Action',
    anyAction: 'All actions',
    mailbox: 'Mailbox',
    anyMailbox: 'All mailboxes',
    from: 'From',
    to: 'To',
    actorFilter: 'Actor: {{name}}',
    targetFilter: 'Target: {{id}}',
    clearFilter: 'Remove filter',
    reset: 'Reset filters',
    exportCsv: 'Export CSV',
    exportHint: 'The export itself is recorded in the log.',
    columns: { time: 'Time', actor: 'Actor', action: 'Action', target: 'Target', mailbox: 'Mailbox', ip: 'IP', details: 'Details' },
    system: 'Pier (system / CLI)',
    unknownActor: 'No one signed in',
    filterByActor: 'Show only this actor',
    filterByTarget: 'Show only this target',
    loading: 'Loading records…',
    loadFailed: 'The audit log could not be loaded.',
    empty: 'No records match these filters.',
    older: 'Load older records',
    loadingOlder: 'Loading…',
    end: 'Start of the log.',
  },
  actions: {
    'user.created': 'User created',
    'user.login': 'Signed in',
    'user.login_failed': 'Sign-in failed',
    'mailbox.created': 'Mailbox added',
    'mailbox.updated': 'Mailbox edited',
    'mailbox.paused': 'Mailbox paused',
    'mailbox.resumed': 'Mailbox resumed',
    'mailbox.removed': 'Mailbox removed',
    'mailbox_access.granted': 'Mailbox access granted',
    'audit.exported': 'Audit log exported',
    'audit.report_generated': 'Audit report generated',
    'audit.report_exported': 'Audit report exported',
    'forwarding.external_redirect_found': 'New external forward found',
  } satisfies ActionNames,
};

export type AuditCatalogue = typeof auditEn;
