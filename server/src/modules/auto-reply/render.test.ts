import type { AutoReplyTemplates, BusinessHours } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import { chooseVersion, expectedReply, formatReplyTime, renderAutoReply, shortReference } from './render.js';

const day = [{ start: '09:00', end: '18:00' }];
const shanghai: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
  holidayCalendar: null,
  extraDaysOff: [],
  extraWorkingDays: [],
  shiftedWorkdayHoursAs: 'mon',
};
const templates: AutoReplyTemplates = {
  versions: [
    {
      language: null,
      insideHours: 'Hi {{customer.name}}, by {{expected_reply_time}} ({{reference}})',
      outsideHours: 'Closed now, {{ customer.name }}.',
    },
    { language: 'zh', insideHours: '{{customer.name}}您好，{{mailbox.name}}已收到。', outsideHours: null },
  ],
};
const values = { 'customer.name': 'Anna', 'mailbox.name': 'ACME 销售', expected_reply_time: 'Tuesday', reference: '#ABCD1234' };

describe('auto-reply text', () => {
  it('takes the version of the mail’s language, else the default', () => {
    expect(chooseVersion(templates, 'zh').language).toBe('zh');
    expect(chooseVersion(templates, 'de').language).toBeNull();
    expect(chooseVersion(templates, null).language).toBeNull();
  });

  it('fills the variables, inside or outside business hours; a version without an outside text uses the inside one', () => {
    const [fallback, zh] = templates.versions as [AutoReplyTemplates['versions'][0], AutoReplyTemplates['versions'][0]];
    expect(renderAutoReply(fallback, true, values)).toBe('Hi Anna, by Tuesday (#ABCD1234)');
    expect(renderAutoReply(fallback, false, values)).toBe('Closed now, Anna.');
    expect(renderAutoReply(zh, false, values)).toBe('Anna您好，ACME 销售已收到。');
  });

  it('expects the reply after N working hours: a Friday-evening mail is due on Wednesday with 24 h of Mon–Fri 9–18', () => {
    // Friday 5 Dec 2025, 20:00 in Shanghai (12:00 UTC): outside hours; 24 working hours = Mon 9 h + Tue 9 h + Wed 6 h.
    const friday = new Date('2025-12-05T12:00:00Z');
    const outside = expectedReply({ hours: shanghai, firstReplyHours: 24 }, friday);
    expect(outside.inside).toBe(false);
    expect(outside.dueAt?.toISOString()).toBe('2025-12-10T07:00:00.000Z');
    expect(formatReplyTime(outside.dueAt, outside.timeZone, null)).toBe('Wednesday, December 10, 2025 at 3:00 PM (Asia/Shanghai)');
    expect(formatReplyTime(outside.dueAt, outside.timeZone, 'zh')).toContain('2025年12月10日');
    const monday = expectedReply({ hours: shanghai, firstReplyHours: 2 }, new Date('2025-12-08T02:00:00Z'));
    expect(monday).toMatchObject({ inside: true, timeZone: 'Asia/Shanghai' });
    expect(monday.dueAt?.toISOString()).toBe('2025-12-08T04:00:00.000Z');
  });

  it('names the conversation by the random tail of its id', () => {
    expect(shortReference('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('#2E3F4A5B');
  });
});
