import type { MailboxAccess, Role } from '@pier/contracts';

/**
 * Who may do what, as pure functions: the HTTP guard and the queries both ask
 * here, so there is one answer. Admins manage every mailbox; agents have what
 * they were granted; auditors never get more than read, whatever the grant.
 */
const levelRank: Record<MailboxAccess, number> = { read: 1, reply: 2, manage: 3 };

export function includesAccess(granted: MailboxAccess | undefined, required: MailboxAccess): boolean {
  return granted !== undefined && levelRank[granted] >= levelRank[required];
}

export type MailboxGrants = ReadonlyMap<string, MailboxAccess>;

export type MailboxScope = { kind: 'all'; level: MailboxAccess } | { kind: 'some'; grants: MailboxGrants };

export function mailboxScopeFor(role: Role, grants: MailboxGrants): MailboxScope {
  if (role === 'super_admin' || role === 'admin') return { kind: 'all', level: 'manage' };
  if (role === 'auditor') {
    return { kind: 'some', grants: new Map([...grants].map(([id]) => [id, 'read' as const])) };
  }
  return { kind: 'some', grants };
}

export function accessToMailbox(scope: MailboxScope, mailboxId: string): MailboxAccess | undefined {
  return scope.kind === 'all' ? scope.level : scope.grants.get(mailboxId);
}

/** The best access the scope has to any of these mailboxes (a conversation's access: it is in all of them). */
export function bestAccess(scope: MailboxScope, mailboxIds: readonly string[]): MailboxAccess | undefined {
  let best: MailboxAccess | undefined;
  for (const id of mailboxIds) {
    const level = accessToMailbox(scope, id);
    if (level && !includesAccess(best, level)) best = level;
  }
  return best;
}

/** Mailbox ids the scope may see at the given level, or 'all'. */
export function mailboxIdsWith(scope: MailboxScope, required: MailboxAccess): 'all' | string[] {
  if (scope.kind === 'all') return includesAccess(scope.level, required) ? 'all' : [];
  return [...scope.grants].filter(([, level]) => includesAccess(level, required)).map(([id]) => id);
}

/** Auditors read; every other role may change things its mailbox access allows. */
export function mayWrite(role: Role): boolean {
  return role !== 'auditor';
}
