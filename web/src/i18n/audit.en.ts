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
  forwarding: {
    pageTitle: 'Forwarding rules',
    intro:
      'Every rule that sends mail somewhere else. A forward to an address outside the company is how hijacked mailboxes leak invoices.',
    scan: 'Read Sieve scripts now',
    scanning: 'Reading…',
    domains: 'Company domains: {{domains}}',
    pierRules: 'Rules in Pier',
    pierUnavailable: 'Pier has no rules engine yet, so no rule in Pier forwards mail. Rules will be listed here when they exist.',
    pierNone: 'No rule in Pier forwards mail.',
    sieveTitle: 'Rules on the mail server (Sieve)',
    noServers: 'No mailbox is connected to a mail server.',
    noForwards: 'No forwarding in this mailbox’s scripts.',
    external: 'Outside the company',
    internal: 'Company address',
    active: 'active',
    inactive: 'not active',
    columns: { target: 'Forwards to', kind: 'Action', script: 'Script', since: 'First seen' },
    kinds: {
      redirect: 'Redirect (no copy kept)',
      redirect_copy: 'Redirect, copy kept',
      notify: 'Notification by mail',
      pipe: 'Passed to a program',
    },
    status: {
      ok: 'read',
      unavailable: 'no ManageSieve server',
      auth_failed: 'login refused',
      unsupported: 'cannot be read (OAuth login)',
      error: 'read failed',
      disabled: 'not read (turned off)',
      never: 'not read yet',
    },
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
