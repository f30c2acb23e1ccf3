import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './sign.js';

describe('webhook signatures', () => {
  const body = '{"id":"1","event":"message.received"}';
  const now = 1_800_000_000_000;

  it('signs timestamp and body as Stripe does and verifies them', () => {
    const header = signWebhook('whsec_test', body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_test', body, header, now)).toBe(true);
  });

  it('refuses another secret, a changed body, a moved timestamp and an old one', () => {
    const header = signWebhook('whsec_test', body, now);
    expect(verifyWebhookSignature('whsec_other', body, header, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', `${body} `, header, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, header.replace('t=1800000000', 't=1800000001'), now)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, header, now + 301_000)).toBe(false);
  });
});
