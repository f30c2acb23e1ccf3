import { describe, expect, it } from 'vitest';
import { accessToMailbox, bestAccess, includesAccess, mailboxIdsWith, mailboxScopeFor, mayWrite } from './access-policy.js';

const sorted = (ids: 'all' | string[]) => (ids === 'all' ? ids : [...ids].sort());

describe('access policy', () => {
  const grants = new Map([
    ['sales', 'reply' as const],
    ['info', 'manage' as const],
    ['hr', 'read' as const],
  ]);

  it('ranks access levels so that manage includes reply and reply includes read', () => {
    expect(includesAccess('manage', 'read')).toBe(true);
    expect(includesAccess('reply', 'reply')).toBe(true);
    expect(includesAccess('read', 'reply')).toBe(false);
    expect(includesAccess(undefined, 'read')).toBe(false);
  });

  it('gives admins and super admins manage on every mailbox, granted or not', () => {
    for (const role of ['admin', 'super_admin'] as const) {
      const scope = mailboxScopeFor(role, new Map());
      expect(accessToMailbox(scope, 'accounting')).toBe('manage');
      expect(mailboxIdsWith(scope, 'manage')).toBe('all');
    }
  });

  it('gives an agent exactly the mailboxes granted, at the granted level', () => {
    const scope = mailboxScopeFor('agent', grants);
    expect(accessToMailbox(scope, 'sales')).toBe('reply');
    expect(accessToMailbox(scope, 'accounting')).toBeUndefined();
    expect(sorted(mailboxIdsWith(scope, 'reply'))).toEqual(['info', 'sales']);
    expect(sorted(mailboxIdsWith(scope, 'read'))).toEqual(['hr', 'info', 'sales']);
  });

  it('takes the best access among several mailboxes, and none when no mailbox is granted', () => {
    const scope = mailboxScopeFor('agent', grants);
    expect(bestAccess(scope, ['hr', 'sales'])).toBe('reply');
    expect(bestAccess(scope, ['accounting', 'hr'])).toBe('read');
    expect(bestAccess(scope, ['accounting'])).toBeUndefined();
    expect(bestAccess(mailboxScopeFor('auditor', grants), ['info', 'sales'])).toBe('read');
  });

  it('caps an auditor at read even when a higher level was granted', () => {
    const scope = mailboxScopeFor('auditor', grants);
    expect(accessToMailbox(scope, 'info')).toBe('read');
    expect(mailboxIdsWith(scope, 'reply')).toEqual([]);
    expect(mayWrite('auditor')).toBe(false);
    expect(mayWrite('agent')).toBe(true);
  });
});
