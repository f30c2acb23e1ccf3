import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18next from '../../i18n';
import { formatRelative } from '../settings/relativeTime';
import { formatListTime, toDate } from './format';

// Asia/Shanghai (vitest.config.ts): "today" is the reader's local day.
const now = new Date('2026-03-05T15:00:00+08:00'); // a Thursday
const ms = (iso: string) => new Date(iso).getTime();

describe('list times', () => {
  beforeEach(() => i18next.changeLanguage('en'));
  afterEach(() => i18next.changeLanguage('en'));

  it('shows the time today, "Yesterday", the weekday this week, the date this year, the full date before', () => {
    expect(formatListTime(ms('2026-03-05T00:10:00+08:00'), now)).toBe('00:10');
    expect(formatListTime(ms('2026-03-04T23:59:00+08:00'), now)).toBe('Yesterday');
    expect(formatListTime(ms('2026-03-02T09:00:00+08:00'), now)).toBe('Mon');
    expect(formatListTime(ms('2026-01-20T09:00:00+08:00'), now)).toBe('Jan 20');
    expect(formatListTime(ms('2025-12-31T09:00:00+08:00'), now)).toBe('12/31/2025');
  });

  it('uses the reader’s local day, not UTC’s', () => {
    // 2026-03-04T18:00Z is already 02:00 on the 5th in Shanghai: today, not yesterday.
    expect(formatListTime(ms('2026-03-04T18:00:00Z'), now)).toBe('02:00');
  });

  it('speaks Chinese when the reader does', async () => {
    await i18next.changeLanguage('zh-CN');
    expect(formatListTime(ms('2026-03-04T10:00:00+08:00'), now)).toBe('昨天');
    expect(formatListTime(ms('2026-03-02T09:00:00+08:00'), now)).toBe('周一');
    expect(formatListTime(ms('2026-01-20T09:00:00+08:00'), now)).toBe('1月20日');
  });

  it('takes small timestamps as seconds', () => {
    expect(toDate(1_772_694_000).getTime()).toBe(1_772_694_000_000);
    expect(toDate(1_772_694_000_000).getTime()).toBe(1_772_694_000_000);
  });

  it('says relative times at the largest unit that fits', async () => {
    const t = now.getTime();
    expect(formatRelative(t - 20_000, t)).toBe('now');
    expect(formatRelative(t - 5 * 60_000, t)).toBe('5 minutes ago');
    expect(formatRelative(t - 86_400_000, t)).toBe('yesterday');
    await i18next.changeLanguage('zh-CN');
    expect(formatRelative(t - 3 * 86_400_000, t)).toBe('3天前');
  });
});
