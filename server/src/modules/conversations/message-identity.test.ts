import { describe, expect, it } from 'vitest';
import { messageIdentity, splitMessage } from './message-identity.js';

const mail = (extraHeaders: string, body = 'Please quote 500 pcs.\r\n', messageId = '<a1@customer.test>') =>
  Buffer.from(
    `${extraHeaders}Message-ID: ${messageId}\r\nFrom: Buyer <buyer@customer.test>\r\nTo: sales@acme.test\r\nSubject: RFQ\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n${body}`,
  );

describe('message identity', () => {
  it('is the same for two deliveries that differ only in transit headers and line endings', () => {
    const atSales = mail('Received: from mx1 by sales\r\nDelivered-To: sales@acme.test\r\n');
    const atInfo = Buffer.from(
      mail('Return-Path: <buyer@customer.test>\r\nDelivered-To: info@acme.test\r\n').toString().replace(/\r\n/g, '\n'),
    );
    expect(messageIdentity(atSales)).toBe(messageIdentity(atInfo));
  });

  it('ignores trailing spaces, tabs and blank lines a relay may add, but not a changed byte in 8-bit text', () => {
    const head = 'Message-ID: <gbk@x.test>\r\nSubject: x\r\n\r\n';
    const body = Buffer.from([0xb1, 0xa8, 0xbc, 0xdb, 0x0d, 0x0a, 0x41]); // GBK 报价, CRLF, "A"
    const relayed = Buffer.concat([
      Buffer.from(head.replaceAll('\r\n', '\n')),
      Buffer.from([0xb1, 0xa8, 0xbc, 0xdb, 0x20, 0x09, 0x0a, 0x41, 0x0a, 0x0a]),
    ]);
    const original = Buffer.concat([Buffer.from(head), body]);
    expect(messageIdentity(relayed)).toBe(messageIdentity(original));
    const altered = Buffer.concat([Buffer.from(head), Buffer.from([0xb1, 0xa8, 0xbc, 0xdc, 0x0d, 0x0a, 0x41])]);
    expect(messageIdentity(altered)).not.toBe(messageIdentity(original));
  });

  it('differs when a Message-ID is reused with another body', () => {
    expect(messageIdentity(mail('', 'Price A'))).not.toBe(messageIdentity(mail('', 'Price B')));
  });

  it('gives a mail without Message-ID a stable identity of its own', () => {
    const raw = Buffer.from('From: a@b.test\r\nSubject: hi\r\n\r\nbody');
    expect(messageIdentity(raw)).toMatch(/^[0-9a-f]{64}$/);
    expect(messageIdentity(raw)).toBe(messageIdentity(Buffer.from(raw)));
    expect(messageIdentity(raw)).not.toBe(messageIdentity(mail('')));
  });

  it('unfolds folded headers and keeps a header-only message whole', () => {
    const { headers, body } = splitMessage(Buffer.from('Subject: a\r\n long subject\r\nX-Empty:\r\n'));
    expect(headers.get('subject')).toEqual(['a long subject']);
    expect(body.length).toBe(0);
  });
});
