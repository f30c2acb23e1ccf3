import { describe, expect, it } from 'vitest';
import { optInLanguageOf, optInViewOf } from './opt-in.js';
import { OPT_IN_TOKEN_TTL_MS } from './opt-in-token.js';

describe('double opt-in: language and state', () => {
  it('writes the confirmation in the CSV language, else Chinese for Chinese-speaking countries, else English', () => {
    expect(optInLanguageOf('zh-TW', 'DE')).toBe('zh-CN');
    expect(optInLanguageOf('en', 'CN')).toBe('en');
    expect(optInLanguageOf('', 'cn')).toBe('zh-CN');
    expect(optInLanguageOf(undefined, 'HK')).toBe('zh-CN');
    expect(optInLanguageOf('de', 'DE')).toBe('en');
    expect(optInLanguageOf(undefined, null)).toBe('en');
  });

  it('shows a pending member as expired once its latest link has expired, never while a mail is on its way', () => {
    const now = Date.UTC(2026, 11, 7);
    const sentAt = now - OPT_IN_TOKEN_TTL_MS - 1;
    expect(optInViewOf({ opt_in_state: null, opt_in_mail_state: null, opt_in_sent_at: null }, now)).toBe('none');
    expect(optInViewOf({ opt_in_state: 'confirmed', opt_in_mail_state: 'sent', opt_in_sent_at: sentAt }, now)).toBe('confirmed');
    expect(optInViewOf({ opt_in_state: 'pending', opt_in_mail_state: 'sent', opt_in_sent_at: now - 1000 }, now)).toBe('pending');
    expect(optInViewOf({ opt_in_state: 'pending', opt_in_mail_state: 'sent', opt_in_sent_at: sentAt }, now)).toBe('expired');
    expect(optInViewOf({ opt_in_state: 'pending', opt_in_mail_state: 'queued', opt_in_sent_at: sentAt }, now)).toBe('pending');
    expect(optInViewOf({ opt_in_state: 'pending', opt_in_mail_state: 'queued', opt_in_sent_at: null }, now)).toBe('pending');
  });
});
