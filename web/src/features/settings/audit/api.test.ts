import { describe, expect, it } from 'vitest';
import { auditQuery } from './api';

describe('the audit filters as a query string', () => {
  it('sends only the filters that are set', () => {
    expect(auditQuery({ action: 'user.invited', actorId: 'u1', mailboxId: '' }).toString()).toBe('action=user.invited&actorId=u1');
    expect(auditQuery({}).toString()).toBe('');
  });

  it('turns local dates into epoch ms, the whole "to" day included', () => {
    // The web project runs in Asia/Shanghai (UTC+8): local midnight is 16:00 UTC the day before.
    const query = auditQuery({ fromDate: '2026-03-01', toDate: '2026-03-31' });
    expect(Number(query.get('from'))).toBe(Date.parse('2026-02-28T16:00:00Z'));
    expect(Number(query.get('to'))).toBe(Date.parse('2026-03-31T16:00:00Z'));
  });
});
