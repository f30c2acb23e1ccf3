import { describe, expect, it } from 'vitest';
import { editDistance, editDistanceWithin, hostOf, isFreeMailDomain, registrableDomainOf } from './domains.js';
import { compareWithTarget, lookalikeSignals, senderOf } from './signals/lookalike-domain.js';
import { lookalikeCandidates, lookalikeIndexOf } from './signals/lookalike-index.js';
import { addressOnlyMail, type FraudHistory } from './types.js';

/** A small deterministic generator: the same strings every run. */
function* strings(seed: number, count: number, alphabet: string) {
  let x = seed;
  for (let n = 0; n < count; n++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const length = 1 + (x % 11);
    let s = '';
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      s += alphabet[x % alphabet.length];
    }
    yield s;
  }
}

const history = (knownDomains: string[]): FraudHistory => ({
  ownDomains: ['hengda-lighting.com'],
  knownDomains,
  establishedDomains: [],
  contactsNamedLikeSender: [],
  bankIdentifiers: {},
  thread: null,
  senderTrusted: false,
});

describe('look-alike candidates (decision 0065)', () => {
  it('bounds the edit distance exactly: equal up to the bound, bound + 1 beyond it', () => {
    const words = [...strings(7, 400, 'abcr')];
    for (let i = 0; i + 1 < words.length; i++) {
      const [a, b] = [words[i] as string, words[i + 1] as string];
      for (const max of [1, 2]) {
        const full = editDistance(a, b);
        expect(editDistanceWithin(a, b, max)).toBe(full <= max ? full : max + 1);
      }
    }
  });

  it('finds every company domain a mail is judged to imitate, so judging against them alone gives the same result', () => {
    const companies = [
      'acme-trading.de',
      'acme-trading.com',
      'acmetrading.de',
      'far-east-imports.com',
      'globalsteel.cn',
      'global-steel.cn',
      'lucebella.it',
      'abc.com',
      'gmail.com',
      ...[...strings(11, 300, 'acmetrdigns')].map((label) => `${label}.com`),
    ];
    const senders = [
      ['anna@acme-tradinq.de', []],
      ['anna@acme-trading.co', []],
      ['pay@acme-trading.de.secure-pay.net', []],
      ['ops@far-east-imp0rts.com', ['billing@globa1steel.cn']],
      ['x@lucebe11a.it', []],
      ['x@hengda-lightinq.com', []],
      ['x@unrelated-company.org', ['someone@gmail.com']],
      ...[...strings(23, 200, 'acmetrdigns')].map((label) => [`buyer@${label}.com`, []] as const),
    ] as const;
    let imitations = 0;
    for (const [from, replyTo] of senders) {
      const judged = addressOnlyMail(from, [...replyTo]);
      const candidates = lookalikeCandidates([from, ...replyTo], lookalikeIndexOf(companies));
      const full = lookalikeSignals(judged, history(companies));
      expect(lookalikeSignals(judged, history(candidates))).toEqual(full);
      imitations += full.imitated.length;
    }
    // Not a vacuous check: many of these mails do imitate a company.
    expect(imitations).toBeGreaterThanOrEqual(10);
  });

  it('the index compares a mail with the targets that can match and finds what comparing with every target finds', () => {
    const labels = [...strings(31, 600, 'acmetrdigns0l1-')].filter((l) => !l.startsWith('-') && !l.endsWith('-'));
    const companies = [
      ...labels.map((label, i) => `${label}.${['com', 'de', 'com.cn', 'co'][i % 4]}`),
      'paypal.com',
      'acme-trading.de',
      'gmail.com',
      'xn--pypal-4ve.com',
    ];
    const index = lookalikeIndexOf(companies);
    // Every target, one by one: what the candidates were before the index (decision 0065).
    const everyTarget = (addresses: string[]) => {
      const senders = addresses.flatMap((a) => {
        const [host, domain] = [hostOf(a), registrableDomainOf(a)];
        return host && domain && !isFreeMailDomain(domain) ? [senderOf(host, domain)] : [];
      });
      return index.targets.filter((t) => senders.some((s) => compareWithTarget(s, t, new Set()) !== null));
    };
    const senders = [
      'a@paypa1.com',
      'a@xn--pypal-4ve.com',
      'a@rnail.paypal.com.secure.net',
      'a@acme-trading.de.pay-portal.net',
      `a@${'x'.repeat(70)}.acme-trading.de.evil.net`,
      ...labels.slice(0, 150).map((label, i) => `b@${label}${i % 3 === 0 ? 'x' : ''}.${['net', 'com', 'de'][i % 3]}`),
      ...labels.slice(150, 250).map((label, i) => `c@${label}.${labels[i]}.org`),
      ...[...strings(41, 150, 'acmetrdigns')].map((label) => `d@${label}.com`),
      // Two characters more or fewer: edit distance 2 with labels two longer or shorter.
      ...labels.slice(250, 400).map((label, i) => (i % 2 === 0 ? `e@${label}ab.com` : `e@${label.slice(2)}.de`)),
    ];
    let matches = 0;
    for (const sender of senders) {
      const expected = everyTarget([sender]);
      expect(lookalikeCandidates([sender], index)).toEqual(expected);
      matches += expected.length;
    }
    expect(lookalikeCandidates(senders.slice(0, 40), index)).toEqual(everyTarget(senders.slice(0, 40)));
    // Not vacuous: plenty of senders match some target, and the index left most targets out.
    expect(matches).toBeGreaterThanOrEqual(200);
  });
});
