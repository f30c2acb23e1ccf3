import { describe, expect, it } from 'vitest';
import { splitMessage } from '../conversations/index.js';
import { classifyMail } from './index.js';

/** Header blocks written for these tests, shaped like what each system really sends. */
function mail(headerText: string, extra: { subject?: string } = {}) {
  const raw = Buffer.from(`${headerText.trim().replace(/\n/g, '\r\n')}\r\n\r\nbody\r\n`, 'latin1');
  const { headers } = splitMessage(raw);
  const from = /<([^>]+)>/.exec(headers.get('from')?.[0] ?? '') ?? /[^\s<>()]+@[^\s<>()]+/.exec(headers.get('from')?.[0] ?? '');
  return classifyMail({ headers, from: from?.[1] ?? from?.[0] ?? null, ...extra });
}
const signals = (c: ReturnType<typeof classifyMail>) => c.reasons.map((r) => r.signal);

describe('a person', () => {
  it('is a person with no machine signal, and may get an auto-reply', () => {
    const c = mail(`
Return-Path: <li.wei@guangda-trading.cn>
From: Li Wei <li.wei@guangda-trading.cn>
To: sales@example-export.com
Subject: Inquiry: 2000 pcs LED panel 600x600
Content-Type: multipart/alternative; boundary="b1"
Message-ID: <abc@guangda-trading.cn>`);
    expect(c).toEqual({ category: 'person', reasons: [], mayAutoReply: true });
  });

  it('stays a person when a CRM sends it through a mail service provider', () => {
    const c = mail(`
Return-Path: <bounces+123-abcd-sales=example-export.com@em123.buyer.de>
From: Jonas Becker <j.becker@buyer.de>
Subject: Re: Quotation 4711
X-SG-EID: u001.abcdefghijklmnop
Content-Type: text/plain; charset=utf-8`);
    expect(c.category).toBe('person');
    expect(signals(c)).toEqual(['mail-service-provider']);
  });

  it('stays a person when the subject merely quotes an automatic reply', () => {
    expect(mail('From: a@b.de\nSubject: Re: Automatic reply: order 12').category).toBe('person');
  });
});

describe('bulk mail', () => {
  it('recognises a Mailchimp newsletter', () => {
    const c = mail(`
Return-Path: <bounce-mc.us5_1234.5678-sales=example-export.com@mail123.suw11.mcdlv.net>
From: Canton Fair News <news@cantonfair-news.com>
Subject: 5 trends for the autumn session
List-Unsubscribe: <https://cantonfair-news.us5.list-manage.com/unsubscribe?u=1&id=2>, <mailto:unsubscribe-mc.us5_1234@mailin.mcsv.net>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
X-MC-User: 0123456789abcdef0123456
X-Campaign: mailchimp0123456789abcdef0.abcdef0123
X-Feedback-ID: 0123456789abcdef:mailchimp
Precedence: bulk`);
    expect(c.category).toBe('bulk');
    expect(signals(c)).toEqual(expect.arrayContaining(['precedence', 'list-unsubscribe', 'campaign-header']));
    expect(c.mayAutoReply).toBe(false);
  });

  it('recognises a mailing-list post by its List-Id', () => {
    const c = mail(`
From: Someone <someone@example.org>
Subject: [exporters] Container rates
List-Id: Exporters discussion <exporters.lists.example.org>
Precedence: list`);
    expect(c.category).toBe('bulk');
  });
});

describe('auto-replies', () => {
  it('recognises an RFC 3834 vacation reply', () => {
    const c = mail(`
Return-Path: <>
From: Maria Rossi <m.rossi@importi.it>
Subject: Risposta automatica: Quotation 4711
Auto-Submitted: auto-replied
Precedence: bulk`);
    expect(c.category).toBe('auto-reply');
    expect(c.mayAutoReply).toBe(false);
  });

  it('recognises an Exchange out-of-office reply from its transport markers and subject', () => {
    const c = mail(
      `
From: Peter Smith <p.smith@contoso-retail.com>
Subject: =?utf-8?Q?Automatic_reply:_Quotation_4711?=
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: p.smith@contoso-retail.com
X-MS-Exchange-Organization-AuthAs: Internal
Content-Type: text/plain; charset="us-ascii"`,
      { subject: 'Automatic reply: Quotation 4711' },
    );
    expect(c.category).toBe('auto-reply');
    expect(signals(c)).toEqual(['x-auto-response-suppress', 'exchange-inbox-rule', 'auto-reply-subject']);
  });

  it('recognises a Chinese client’s 自动回复 with an empty Return-Path', () => {
    const c = mail('Return-Path: <>\nFrom: 王芳 <wangfang@huaxin-textile.com.cn>\nSubject: x', { subject: '自动回复：关于报价单' });
    expect(c.category).toBe('auto-reply');
  });

  it('does not trust a subject alone', () => {
    const c = mail('From: a@b.de\nSubject: x', { subject: 'Automatic reply: your order' });
    expect(c.category).toBe('person');
    expect(c.mayAutoReply).toBe(true);
  });

  it('recognises a read receipt (disposition notification)', () => {
    const c = mail(`
From: p.smith@contoso-retail.com
Subject: Read: Quotation 4711
Content-Type: multipart/report; report-type=disposition-notification; boundary="r"`);
    expect(c.category).toBe('auto-reply');
  });
});

describe('bounces', () => {
  it('recognises a Postfix delivery status notification', () => {
    const c = mail(`
Return-Path: <>
From: MAILER-DAEMON@mx.example-export.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status;
	boundary="8A1B2C3D.1700000000/mx.example-export.com"`);
    expect(c.category).toBe('bounce');
    expect(signals(c)).toEqual(expect.arrayContaining(['delivery-status-report', 'mailer-daemon-sender', 'empty-return-path']));
  });

  it('recognises an Exim bounce by X-Failed-Recipients', () => {
    expect(mail('From: Mail Delivery System <Mailer-Daemon@host.example.net>\nX-Failed-Recipients: nobody@example.net').category).toBe(
      'bounce',
    );
  });

  it('recognises an Exchange non-delivery report from postmaster with a bounce subject', () => {
    const c = mail(`
From: postmaster@contoso-retail.com
Subject: Undeliverable: Quotation 4711
Auto-Submitted: auto-generated
X-MS-Exchange-Message-Is-Ndr:`);
    expect(c.category).toBe('bounce');
  });

  it('recognises a Tencent Exmail 系统退信 from the null sender', () => {
    expect(mail('Return-Path: <>\nFrom: postmaster@exmail.qq.com', { subject: '系统退信' }).category).toBe('bounce');
  });
});

describe('notifications', () => {
  it('recognises a no-reply system mail', () => {
    const c = mail(`
Return-Path: <0100018c-aaaa@amazonses.com>
From: Alibaba.com <no-reply@service.alibaba.com>
Subject: Your RFQ has 3 new quotes
X-SES-Outgoing: 2026.12.06-54.240.1.1`);
    expect(c.category).toBe('notification');
    expect(c.mayAutoReply).toBe(false);
  });

  it('recognises notifications@ senders and generated mail', () => {
    expect(mail('From: GitHub <notifications@github.com>\nSubject: [pier] PR merged').category).toBe('notification');
    expect(mail('From: billing@cloud.example.com\nAuto-Submitted: auto-generated\nSubject: Invoice').category).toBe('notification');
  });

  it('recognises an abuse feedback report (ARF)', () => {
    const c = mail('From: complaints@email-abuse.amazonses.com\nContent-Type: multipart/report; report-type=feedback-report; boundary=x');
    expect(c.category).toBe('notification');
  });
});

describe('what the mail says about answering it', () => {
  it('forbids an auto-reply when the sender asked for none, even from a person', () => {
    expect(mail('From: a@b.de\nX-Auto-Response-Suppress: OOF, AutoReply').mayAutoReply).toBe(false);
    expect(mail('From: a@b.de\nX-Auto-Response-Suppress: DR, RN').mayAutoReply).toBe(true);
  });

  it('treats auto-forwarded mail as its original sender’s, yet never auto-replies to it', () => {
    const c = mail('From: customer@buyer.de\nAuto-Submitted: auto-forwarded\nSubject: Inquiry');
    expect(c.category).toBe('person');
    expect(c.mayAutoReply).toBe(false);
  });

  it('takes the envelope sender from the caller over the header', () => {
    expect(classifyMail({ headers: new Map(), from: 'a@b.de', returnPath: '' }).category).toBe('notification');
    expect(classifyMail({ headers: new Map([['return-path', ['<>']]]), from: 'a@b.de', returnPath: 'a@b.de' }).category).toBe('person');
  });
});
