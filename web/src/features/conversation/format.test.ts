import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18next from '../../i18n';
import { formatAge, formatSize, isRiskyAttachment, localTimeIn, splitQuoted } from './format';

// The web project runs in Asia/Shanghai (vitest.config.ts), so "the browser's day" is fixed.
const at = (iso: string) => new Date(iso);

describe('conversation formatting', () => {
  beforeEach(() => i18next.changeLanguage('en'));
  afterEach(() => i18next.changeLanguage('en'));

  it('gives the customer’s wall-clock time, with the weekday only when their day differs from the reader’s', () => {
    // 10:00 in Shanghai is 03:00 in Madrid, the same day.
    expect(localTimeIn('Europe/Madrid', at('2026-03-03T10:00:00+08:00'))).toBe('03:00');
    // 06:00 in Shanghai on Wednesday is still Tuesday evening in Madrid.
    expect(localTimeIn('Europe/Madrid', at('2026-03-04T06:00:00+08:00'))).toBe('Tue 23:00');
    expect(localTimeIn('Not/AZone', at('2026-03-04T07:00:00+08:00'))).toBeNull();
  });

  it('writes sizes in binary units with one decimal below ten', () => {
    expect(formatSize(900)).toBe('900B');
    expect(formatSize(1536)).toBe('1.5kB');
    expect(formatSize(12 * 1024)).toBe('12kB');
    expect(formatSize(3.4 * 1024 * 1024)).toBe('3.4MB');
  });

  it('writes ages compactly, in the reader’s language', async () => {
    const now = at('2026-03-03T10:00:00+08:00').getTime();
    expect(formatAge(now - 20_000, now)).toBe('1m');
    expect(formatAge(now - 5 * 60_000, now)).toBe('5m');
    expect(formatAge(now - 3 * 3_600_000, now)).toBe('3h');
    expect(formatAge(now - 3 * 86_400_000, now)).toBe('3d');
    await i18next.changeLanguage('zh-CN');
    expect(formatAge(now - 3 * 3_600_000, now)).toBe('3小时');
  });

  it('marks attachments that can run code, whatever the case of the extension', () => {
    expect(isRiskyAttachment('invoice.PDF.exe')).toBe(true);
    expect(isRiskyAttachment('报价单.xlsm ')).toBe(true);
    expect(isRiskyAttachment('payment.html')).toBe(true);
    expect(isRiskyAttachment('报价单.xlsx')).toBe(false);
    expect(isRiskyAttachment('drawing.pdf')).toBe(false);
  });

  it('splits the quoted history from the answer at an English or Chinese reply header', () => {
    expect(splitQuoted('Fine, 500 pieces.\n\nOn Tue, 3 Mar 2026 Maria wrote:\n> Can you quote?')).toEqual({
      body: 'Fine, 500 pieces.',
      quoted: 'On Tue, 3 Mar 2026 Maria wrote:\n> Can you quote?',
    });
    expect(splitQuoted('好的，已确认。\n在 2026年3月3日 王经理 写道：\n请报价').body).toBe('好的，已确认。');
    // An Outlook "From:" block counts only with its Sent/To lines after it.
    expect(splitQuoted('See below.\nFrom: Maria\nSent: Tuesday\nTo: sales').quoted).toBe('From: Maria\nSent: Tuesday\nTo: sales');
    expect(splitQuoted('From: the factory floor, all good.').quoted).toBe('');
  });

  it('treats trailing "> " lines as quoted, but not a quote in the middle of the answer', () => {
    expect(splitQuoted('Agreed.\n> old line\n> older line\n')).toEqual({ body: 'Agreed.', quoted: '> old line\n> older line\n' });
    expect(splitQuoted('You wrote:\n> price 12\nThat is right.').quoted).toBe('');
  });

  it('keeps a mail that is nothing but a quote whole', () => {
    expect(splitQuoted('> only a quote')).toEqual({ body: '> only a quote', quoted: '' });
  });
});
