import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseFeedbackReport } from './arf.js';
import { rewriteLinks, signClickToken, verifyClickToken } from './clicks.js';
import { mentionsUnsubscribe, renderTemplate } from './merge.js';
import { dueAt } from './schedule.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './tokens.js';
import { confirmPage, pageHtml, pageLanguageOf } from './unsubscribe-page.js';

const values = { name: 'Zhang <Wei>', company: 'Acme & Co', country: 'CN', unsubscribe_url: 'https://pier.example/unsubscribe/a.b' };

describe('merge fields', () => {
  it('fills name, company, country; escapes them in HTML, not in text; a fallback stands in for an empty value', () => {
    expect(renderTemplate('<p>Dear {{name}} of {{ company }} ({{country}})</p>', values, 'html')).toBe(
      '<p>Dear Zhang &lt;Wei&gt; of Acme &amp; Co (CN)</p>',
    );
    expect(renderTemplate('Dear {{name}}', values, 'text')).toBe('Dear Zhang <Wei>');
    expect(renderTemplate('Dear {{name|customer}}', { ...values, name: null }, 'text')).toBe('Dear customer');
    expect(renderTemplate('{{unknown}} stays', values, 'text')).toBe('{{unknown}} stays');
    expect(mentionsUnsubscribe('<a href="{{unsubscribe_url}}">x</a>')).toBe(true);
    expect(mentionsUnsubscribe('no link')).toBe(false);
  });
});

describe('unsubscribe tokens', () => {
  it('verify for the recipient they were signed for, and for nobody else or under another key', () => {
    const key = randomBytes(32);
    const token = signUnsubscribeToken(key, '0190-recipient');
    expect(verifyUnsubscribeToken(key, token)).toBe('0190-recipient');
    expect(verifyUnsubscribeToken(randomBytes(32), token)).toBeNull();
    const [, mac] = token.split('.');
    expect(verifyUnsubscribeToken(key, `${Buffer.from('0190-other').toString('base64url')}.${mac}`)).toBeNull();
    expect(verifyUnsubscribeToken(key, 'garbage')).toBeNull();
    expect(verifyUnsubscribeToken(key, `${token}.x`)).toBeNull();
  });
});

describe('scheduling in the recipient’s time zone', () => {
  const sendAt = Date.UTC(2026, 11, 7, 6, 0); // 14:00 in Shanghai, 07:00 in Berlin
  it('09:30 local: Berlin today (after 07:00 there), Shanghai tomorrow (14:00 is past 09:30); no zone = the company’s', () => {
    expect(new Date(dueAt({ sendAt, localTime: '09:30', zone: 'Europe/Berlin', companyZone: 'Asia/Shanghai' })).toISOString()).toBe(
      '2026-12-07T08:30:00.000Z',
    );
    expect(new Date(dueAt({ sendAt, localTime: '09:30', zone: null, companyZone: 'Asia/Shanghai' })).toISOString()).toBe(
      '2026-12-08T01:30:00.000Z',
    );
    expect(dueAt({ sendAt, localTime: null, zone: 'Europe/Berlin', companyZone: 'Asia/Shanghai' })).toBe(sendAt);
  });
});

describe('ARF complaint reports (RFC 5965)', () => {
  it('reads the feedback type, the original recipient and the reported mail’s Message-ID, not the report’s own', () => {
    const raw = [
      'Message-ID: <report-1@mail.provider.test>',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'This is an email abuse report.',
      '--b',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'User-Agent: SomeGenerator/1.0',
      'Version: 1',
      'Original-Rcpt-To: rfc822; Buyer@Customer.test',
      '',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Acme <newsletter@acme.test>',
      'Message-ID: <campaign.abc@acme.test>',
      '--b--',
      '',
    ].join('\r\n');
    expect(parseFeedbackReport(Buffer.from(raw), '<report-1@mail.provider.test>')).toEqual({
      feedbackType: 'abuse',
      originalRecipient: 'buyer@customer.test',
      originalMessageIds: ['<campaign.abc@acme.test>'],
    });
    expect(parseFeedbackReport(Buffer.from('Subject: hi\r\n\r\nhello'), undefined)).toBeNull();
  });
});

describe('the unsubscribe page language', () => {
  it('follows Accept-Language between Chinese and English by quality, English when neither is named', () => {
    expect(pageLanguageOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pageLanguageOf('zh-TW')).toBe('zh-CN');
    expect(pageLanguageOf('de-DE,de;q=0.9,en;q=0.5,zh;q=0.4')).toBe('en');
    expect(pageLanguageOf('en;q=0.3, zh;q=0.7')).toBe('zh-CN');
    expect(pageLanguageOf('fr-FR')).toBe('en');
    expect(pageLanguageOf(undefined)).toBe('en');
    expect(pageLanguageOf('zh;q=0, en')).toBe('en');
  });

  it('escapes the sender and the address it shows', () => {
    const page = pageHtml(confirmPage('en', 'a.b', '<script>x</script>', 'b***@customer.test'));
    expect(page).toContain('&lt;script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('<html lang="en">');
  });
});

describe('click tracking links', () => {
  const key = randomBytes(32);
  it('sends every http(s) link but the unsubscribe one through a signed redirect, the URL decoded from the attribute', () => {
    const html =
      '<p><a href="https://shop.example/led?a=1&amp;b=2">Catalogue</a> <a href="mailto:sales@acme.test">Mail</a> <a href="https://pier.example/unsubscribe/x.y">Unsubscribe</a></p>';
    const out = rewriteLinks(html, {
      baseUrl: 'https://pier.example/',
      key,
      recipientId: 'r1',
      keep: 'https://pier.example/unsubscribe/x.y',
    });
    const tracked = /href="https:\/\/pier\.example\/c\?t=([^"]+)"/.exec(out)?.[1] ?? '';
    expect(verifyClickToken(key, tracked)).toEqual({ recipientId: 'r1', url: 'https://shop.example/led?a=1&b=2' });
    expect(out).toContain('href="mailto:sales@acme.test"');
    expect(out).toContain('href="https://pier.example/unsubscribe/x.y"');
  });

  it('refuses a token signed with another key, for another recipient or URL, or to a non-web URL', () => {
    const token = signClickToken(key, 'r1', 'https://shop.example/');
    expect(verifyClickToken(randomBytes(32), token)).toBeNull();
    const [, url, mac] = token.split('.');
    expect(verifyClickToken(key, `${Buffer.from('r2').toString('base64url')}.${url}.${mac}`)).toBeNull();
    expect(verifyClickToken(key, `${token.split('.')[0]}.${Buffer.from('https://evil.example/').toString('base64url')}.${mac}`)).toBeNull();
    expect(verifyClickToken(key, signClickToken(key, 'r1', 'javascript:alert(1)'))).toBeNull();
  });
});
