import { describe, expect, it } from 'vitest';
import { splitMessage } from '../conversations/index.js';
import { isSystemSender, loopSignalOf } from './loop-signals.js';

const own = new Set(['sales@acme.test', 'info@acme.test']);
const signalOf = (headerLines: string[]) =>
  loopSignalOf(splitMessage(Buffer.from(`${headerLines.join('\r\n')}\r\n\r\nbody\r\n`)).headers, own);
const person = ['From: Maria <maria@customer.test>', 'To: sales@acme.test', 'Subject: Order', 'Return-Path: <maria@customer.test>'];

describe('loop signals of an incoming mail', () => {
  it('finds nothing in a person’s mail, nor in Auto-Submitted: no', () => {
    expect(signalOf(person)).toBeNull();
    expect(signalOf([...person, 'Auto-Submitted: no'])).toBeNull();
    expect(signalOf([...person, 'X-Loop: helpdesk@elsewhere.test'])).toBeNull();
  });

  it('refuses machine mail: Auto-Submitted of any other value, and the old auto-responder headers', () => {
    expect(signalOf([...person, 'Auto-Submitted: auto-replied'])).toBe('auto_submitted');
    expect(signalOf([...person, 'Auto-Submitted: Auto-Generated (vacation)'])).toBe('auto_submitted');
    expect(signalOf([...person, 'X-Autoreply: yes'])).toBe('auto_submitted');
    expect(signalOf([...person, 'X-Auto-Response-Suppress: All'])).toBe('auto_submitted');
  });

  it('refuses mass mail, list mail, bounces and system senders', () => {
    expect(signalOf([...person, 'Precedence: bulk'])).toBe('precedence');
    expect(signalOf([...person, 'Precedence: junk'])).toBe('precedence');
    expect(signalOf([...person, 'Precedence: List'])).toBe('precedence');
    expect(signalOf([...person, 'List-Id: <news.customer.test>'])).toBe('mailing_list');
    expect(signalOf(['From: maria@customer.test', 'Return-Path: <>'])).toBe('empty_return_path');
    expect(signalOf(['From: MAILER-DAEMON@customer.test (Mail Delivery System)'])).toBe('system_sender');
    expect(signalOf(['From: "Shop" <no-reply@shop.test>'])).toBe('system_sender');
  });

  it('names a loop: an X-Loop of one of our mailboxes, Pier’s own forward header, too many hops', () => {
    expect(signalOf([...person, 'X-Loop: sales@acme.test'])).toBe('x_loop');
    expect(signalOf([...person, 'X-Pier-Forward-Rule: r1'])).toBe('x_loop');
    expect(signalOf([...person, ...Array.from({ length: 31 }, (_, i) => `Received: from hop${i}.test`)])).toBe('hop_limit');
    expect(signalOf([...person, ...Array.from({ length: 20 }, (_, i) => `Received: from hop${i}.test`)])).toBeNull();
    expect(signalOf([...person, 'X-Loop: a@x.test', 'X-Loop: b@y.test', 'X-Loop: c@z.test'])).toBe('hop_limit');
    // A loop outranks the ordinary non-person signals: it is what admins must hear about.
    expect(signalOf([...person, 'Auto-Submitted: auto-forwarded', 'X-Loop: info@acme.test'])).toBe('x_loop');
  });

  it('knows the system local parts and not people whose name merely contains them', () => {
    for (const address of ['postmaster@a.test', 'noreply@a.test', 'do-not-reply@a.test', 'list-request@a.test', 'owner-news@a.test']) {
      expect(isSystemSender(address)).toBe(true);
    }
    for (const address of ['maria@a.test', 'replyto.me@a.test', 'daemon.li@a.test']) expect(isSystemSender(address)).toBe(false);
  });
});
