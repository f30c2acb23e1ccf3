import { describe, expect, it } from 'vitest';
import i18next from '../../i18n';
import './i18n';
import { describeEvent } from './TimelineItems';

type Item = Parameters<typeof describeEvent>[0];
const rule = { id: 'r1', name: 'German LED' };
const event = (type: string, data: Record<string, unknown>, actor: Item['actor'] = null): Item => ({
  kind: 'event',
  id: 'e',
  at: 0,
  actor,
  type,
  data,
});

describe('timeline events written by rules (decision 0032)', () => {
  it('name the rule as the one who acted, in English and Chinese', () => {
    const en = i18next.getFixedT('en', 'triage') as Parameters<typeof describeEvent>[1];
    const zh = i18next.getFixedT('zh-CN', 'triage') as Parameters<typeof describeEvent>[1];
    expect(describeEvent(event('tagged', { tag: 'led', rule }), en, 'en')).toBe('Rule “German LED” added tag #led');
    expect(describeEvent(event('spam', { rule }), en, 'en')).toBe('Rule “German LED” marked this as spam');
    expect(describeEvent(event('rule', { action: 'notify', users: [{ id: 'u', name: 'Li Wei' }], rule }), en, 'en')).toBe(
      'Rule “German LED” notified Li Wei',
    );
    expect(describeEvent(event('rule', { action: 'auto-reply', to: 'hans@kunde.de', rule }), en, 'en')).toBe(
      'Rule “German LED” sent an auto-reply to hans@kunde.de',
    );
    expect(describeEvent(event('rule', { action: 'assign', skipped: 'assignee_without_access', rule }), en, 'en')).toBe(
      'Rule “German LED” did not assign (assignee_without_access)',
    );
    expect(describeEvent(event('spam', { rule }), zh, 'zh-CN')).toBe('规则“German LED”将此会话标记为垃圾邮件');
    // A person's change still names the person.
    expect(describeEvent(event('tagged', { tag: 'led' }, { id: 'u', name: 'Li Wei' }), en, 'en')).toBe('Li Wei added tag #led');
  });
});
