import { describe, expect, it } from 'vitest';
import { editDistance, editDistanceWithin } from './domains.js';
import { lookalikeCandidates, lookalikeSignals } from './signals/lookalike-domain.js';
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
      const candidates = lookalikeCandidates([from, ...replyTo], companies);
      const full = lookalikeSignals(judged, history(companies));
      expect(lookalikeSignals(judged, history(candidates))).toEqual(full);
      imitations += full.imitated.length;
    }
    // Not a vacuous check: many of these mails do imitate a company.
    expect(imitations).toBeGreaterThanOrEqual(10);
  });
});
