import { describe, expect, it } from 'vitest';
import { assessMail } from './assess.js';
import { attachmentSignals } from './signals/attachments.js';
import { authFailureSignals } from './signals/auth-failure.js';
import { impersonationSignals } from './signals/impersonation.js';
import { lookalikeSignals } from './signals/lookalike-domain.js';
import { lookalikeEvidenceSignals } from './signals/lookalike-evidence.js';
import { replyToSignals } from './signals/reply-to.js';
import { fakeReplyPaymentSignals, senderFormSignals } from './signals/sender-form.js';
import { callbackSignals, lureSignals, samePhone } from './signals/stranger-lures.js';
import { threadSignals } from './signals/thread-hijack.js';
import type { FraudHistory, FraudMail } from './types.js';

const mail = (over: Partial<FraudMail> = {}): FraudMail => ({
  from: { address: 'buyer@novalux-imports.com', name: 'Maria Costa' },
  replyTo: [],
  subject: 'Inquiry LED panels',
  text: 'Hello, please send your price list for 600x600 LED panels.',
  inReplyTo: null,
  references: [],
  attachments: [],
  documents: [],
  authResults: null,
  bulk: false,
  ...over,
});

const history = (over: Partial<FraudHistory> = {}): FraudHistory => ({
  ownDomains: ['hengda-lighting.com'],
  senderTrusted: false,
  knownDomains: ['acme-trading.de'],
  establishedDomains: [],
  contactsNamedLikeSender: [],
  bankIdentifiers: {},
  thread: null,
  ...over,
});

const codes = (list: { code: string }[]) => list.map((s) => s.code);
const words = (m: FraudMail) => [{ words: `${m.subject}\n${m.text}` }];

describe('money lures from strangers (stranger-lures.ts)', () => {
  const lure = mail({
    from: { address: 'mrs.aisha.k@gmail.com', name: 'Mrs Aisha' },
    subject: 'Dear Friend',
    text: 'I am the widow of the late client of our bank. The unclaimed fund of US$ 18,500,000 needs a trustworthy foreign beneficiary. Reply with your full name and phone.',
  });

  it('flags several lure concepts with a large sum from a stranger', () => {
    const signals = lureSignals(lure, history(), words(lure));
    expect(codes(signals)).toEqual(['money_lure', 'large_sum_offer']);
    expect(signals[0]?.weight).toBe(45);
    expect(assessMail(lure, history()).level).not.toBe('none');
  });

  it('reads Portuguese, German, Russian, Arabic and Chinese lures', () => {
    for (const text of [
      'Herança de 2.000.000,00 euros para o beneficiário, pessoa honesta.',
      'Eine Spende von 2.000.000 Euro aus dem Nachlass meines verstorbenen Mannes.',
      'Наследство покойного клиента: средства ждут бенефициара.',
      'ميراث المتوفى ينتظر المستفيد',
      '已故客户的遗产资金等待受益人',
    ]) {
      const m = mail({ from: { address: 'x@yahoo.com', name: 'X' }, text });
      expect(codes(lureSignals(m, history(), words(m))), text).toContain('money_lure');
    }
  });

  it('says nothing for one money word in a buyer inquiry, or for a known customer', () => {
    const buyer = mail({ text: 'We need a quotation; our bank will open the L/C after the loan is approved.' });
    expect(lureSignals(buyer, history(), words(buyer))).toEqual([]);
    const known = mail({ ...lure, from: { address: 'anna@acme-trading.de', name: 'Anna' } });
    expect(lureSignals(known, history(), words(known))).toEqual([]);
  });
});

describe('a money pitch with answers diverted (stranger-lures.ts)', () => {
  const pitch = mail({
    from: { address: 'hadonard3@gmail.com', name: 'Frontera Capital' },
    replyTo: [{ address: 'anthony.capital2022@gmail.com', name: null }],
    subject: 'Funding',
    text: 'We offer business loans to companies at 3% for ten years. Write back for details.',
  });
  it('adds up one money concept and a Reply-To to another mailbox, not either alone', () => {
    expect(codes(lureSignals(pitch, history(), words(pitch)))).toEqual(['diverted_money_pitch']);
    expect(codes(assessMail(pitch, history()).signals)).toEqual(expect.arrayContaining(['reply_to_other_mailbox', 'diverted_money_pitch']));
    expect(assessMail(pitch, history()).level).toBe('warn');
    expect(lureSignals({ ...pitch, replyTo: [] }, history(), words(pitch))).toEqual([]);
    const order = mail({ replyTo: [{ address: 'purchasing@novalux-group.com', name: null }] });
    expect(lureSignals(order, history(), words(order))).toEqual([]);
    expect(lureSignals({ ...pitch, bulk: true }, history(), words(pitch))).toEqual([]);
  });
});

describe('fake orders and vague proposals with answers diverted (stranger-lures.ts)', () => {
  it('counts a quotation request whose mail names another mailbox to write to, wrapped over lines', () => {
    const rfq = mail({
      from: { address: 'info@universal-automation.com.pk', name: 'Albert Bourla' },
      subject: 'Bidding invitation',
      text: 'We are pleased to invite you to quote the\nfollowing item: pressure regulator, 30 units.\nKindly send your quotation to:\nquotation@pharma-bv-supply.com for approval.',
    });
    expect(lureSignals(rfq, history(), words(rfq))).toMatchObject([{ code: 'diverted_money_pitch', weight: 30 }]);
    expect(assessMail(rfq, history()).level).toBe('warn');
    // The same request answered at the sender's own address is what a real buyer sends.
    const own = { ...rfq, text: rfq.text.replace('quotation@pharma-bv-supply.com', 'quotation@universal-automation.com.pk') };
    expect(lureSignals(own, history(), words(own))).toEqual([]);
    expect(assessMail(own, history()).level).toBe('none');
  });
  it('counts a vague proposal from free mail answered at another free-mail mailbox, not the proposal alone', () => {
    const opener = mail({
      from: { address: 'mkouame1992@gmail.com', name: 'Mariam Kouame' },
      replyTo: [{ address: 'mkouame.info@myself.com', name: null }],
      subject: 'from mariam',
      text: 'Dear, please grant me permission to share a very crucial discussion with you.',
    });
    expect(codes(lureSignals(opener, history(), words(opener)))).toEqual(['diverted_money_pitch']);
    expect(assessMail(opener, history()).level).toBe('warn');
    expect(lureSignals({ ...opener, replyTo: [] }, history(), words(opener))).toEqual([]);
  });
  it('leaves a company buyer whose Reply-To is its group domain alone, and a signature address too', () => {
    const order = mail({ replyTo: [{ address: 'purchasing@novalux-group.com', name: null }] });
    expect(lureSignals(order, history(), words(order))).toEqual([]);
    const signed = mail({ text: 'Please send your price list for LED panels.\n\nMaria Costa\nE-mail: maria@novalux-group.com' });
    expect(lureSignals(signed, history(), words(signed))).toEqual([]);
  });
  it('knows crypto riches as an investment pitch in German and English (one concept: it needs a second part)', () => {
    const crypto = mail({
      from: { address: 'support@ropes-shop.example', name: 'Ropes' },
      replyTo: [{ address: 'crypto.desk@gmail.com', name: null }],
      subject: 'Wie man aus 1000 Dollar pro Tag verdient',
      text: 'Millionen in Kryptowährung in nur wenigen Monaten. Invest in bitcoin today.',
    });
    expect(codes(lureSignals(crypto, history(), words(crypto)))).toEqual(['diverted_money_pitch']);
    expect(lureSignals({ ...crypto, replyTo: [] }, history(), words(crypto))).toEqual([]);
  });
});

describe('call-back scams (stranger-lures.ts)', () => {
  const bill = mail({
    from: { address: 'billing.dept2931@outlook.com', name: 'Billing' },
    subject: 'Your order confirmation #88213',
    text: 'Your subscription was auto-renewed and $399.99 has been charged to your card. To cancel, call our billing desk at +1 (808) 555-0199 within 24 hours.',
  });

  it('flags a stranger bill asking to phone a number', () => {
    expect(codes(callbackSignals(bill, history(), words(bill)))).toEqual(['callback_number']);
  });

  it('ignores a signature phone number without a bill, and list mail', () => {
    const inquiry = mail({ text: 'Please quote 2,000 pcs. You can call me at +49 40 1234 5678.' });
    expect(callbackSignals(inquiry, history(), words(inquiry))).toEqual([]);
    expect(callbackSignals({ ...bill, bulk: true }, history(), words(bill))).toEqual([]);
  });

  it('leaves out a number an admin vouched for, in whatever notation the mail writes it', () => {
    expect(callbackSignals(bill, history({ trustedPhones: ['+18085550199'] }), words(bill))).toEqual([]);
    expect(codes(callbackSignals(bill, history({ trustedPhones: ['+18085550188'] }), words(bill)))).toEqual(['callback_number']);
    expect([
      samePhone('+494012345678', '040 1234 5678'),
      samePhone('+494012345678', '040 9234 5678'),
      samePhone('+8657488881234', '0574-8888 1234'),
    ]).toEqual([true, false, true]);
  });
});

describe('impersonated names (impersonation.ts)', () => {
  it('flags a brand name from an unrelated domain, not from the brand', () => {
    expect(codes(impersonationSignals(mail({ from: { address: 'x@mail-notice.xyz', name: 'PayPal Service' } })))).toEqual([
      'brand_impersonation',
    ]);
    expect(impersonationSignals(mail({ from: { address: 'service@paypal.com', name: 'PayPal Service' } }))).toEqual([]);
  });

  it('does not take a person or a company with a brand word for the brand', () => {
    expect(impersonationSignals(mail({ from: { address: 'chase.miller@fastmail.com', name: 'Chase Miller' } }))).toEqual([]);
    expect(impersonationSignals(mail({ from: { address: 'a@apple-garden.de', name: 'Apple Garden Trading' } }))).toEqual([]);
  });

  it('flags an authority writing from a free-mail address', () => {
    const m = mail({ from: { address: 'un.desk@gmail.com', name: 'UNITED NATIONS Compensation Desk' } });
    expect(codes(impersonationSignals(m))).toEqual(['authority_impersonation']);
    expect(impersonationSignals(mail({ from: { address: 'desk@un.org', name: 'United Nations' } }))).toEqual([]);
  });

  it('flags look-alike letters from another script and invisible characters, in names and subjects', () => {
    const cyrillic = mail({ from: { address: 'x@notice.top', name: 'Pаypal' } }); // Cyrillic а
    expect(codes(impersonationSignals(cyrillic))).toEqual(['brand_impersonation', 'mixed_script_text']);
    const tagged = mail({ subject: 'Invoice\u{E0041}\u{E0042} overdue' });
    expect(codes(impersonationSignals(tagged))).toEqual(['invisible_characters']);
    const zwj = mail({ from: { address: 'x@y.com', name: 'Mi\u200Dcrosoft' } });
    expect(codes(impersonationSignals(zwj))).toContain('invisible_characters');
  });

  it('leaves emoji sequences and plain Russian or Greek words alone', () => {
    expect(
      impersonationSignals(mail({ subject: 'Team 👨\u200D👩\u200D👧 photo', from: { address: 'a@b.ru', name: 'Иван Петров' } })),
    ).toEqual([]);
  });
});

describe('sender shape (sender-form.ts)', () => {
  it('flags a From without an address', () => {
    expect(codes(senderFormSignals(mail({ from: { address: null, name: 'Accounts' } }), history()))).toEqual(['from_without_address']);
    expect(codes(senderFormSignals(mail({ from: { address: 'undisclosed', name: null } }), history()))).toEqual(['from_without_address']);
  });

  it('flags replies redirected from one free-mail mailbox to another', () => {
    const m = mail({
      from: { address: 'hadonard3@gmail.com', name: 'Loan' },
      replyTo: [{ address: 'anthony2022@outlook.com', name: null }],
    });
    expect(codes(senderFormSignals(m, history()))).toEqual(['reply_to_other_mailbox']);
    const same = mail({ from: { address: 'hadonard3@gmail.com', name: 'A' }, replyTo: [{ address: 'hadonard3@gmail.com', name: null }] });
    expect(senderFormSignals(same, history())).toEqual([]);
  });

  it('reply_to.ts still weighs a company name answering to free mail, and a list answering to its poster lightly', () => {
    const company = mail({
      from: { address: 'accounts@novalux-imports.com', name: 'Novalux Accounts' },
      replyTo: [{ address: 'novalux.acc@gmail.com', name: null }],
    });
    expect(replyToSignals(company, history())[0]?.weight).toBe(30);
    expect(replyToSignals({ ...company, bulk: true }, history())[0]?.weight).toBe(5);
  });

  it('flags a fake RE: about money from a stranger, not forwarded colleague mail', () => {
    const fake = mail({ subject: 'RE: Outstanding invoice', text: 'Please settle the balance today.' });
    expect(codes(fakeReplyPaymentSignals(fake, history(), 'RE: Outstanding invoice'))).toEqual(['fake_reply_payment']);
    const colleague = mail({ ...fake, from: { address: 'li@hengda-lighting.com', name: 'Li' }, subject: 'FW: Outstanding invoice' });
    expect(fakeReplyPaymentSignals(colleague, history(), 'FW: Outstanding invoice')).toEqual([]);
    const noMoney = mail({ subject: 'RE: Catalogue' });
    expect(fakeReplyPaymentSignals(noMoney, history(), 'RE: Catalogue')).toEqual([]);
  });
});

describe('look-alike evidence (lookalike-evidence.ts)', () => {
  const near = mail({
    from: { address: 'info@hengda-lightinq.com', name: 'Hengda' },
    text: 'Please pay the attached invoice to our bank.',
  });

  it('adds weight when the near-miss domain asks for money', () => {
    const found = lookalikeSignals(near, history()).signals;
    expect(codes(lookalikeEvidenceSignals(near, found, near.text))).toEqual(['lookalike_asks_money']);
  });

  it('takes weight off a signed list mail that asks for nothing', () => {
    const list = mail({
      ...near,
      text: 'Our society meets on Tuesday.',
      bulk: true,
      authResults: { source: 'provider', spf: 'pass', dkim: 'pass', dmarc: 'pass', arc: null },
    });
    const found = lookalikeSignals(list, history()).signals;
    const adjust = lookalikeEvidenceSignals(list, found, list.text);
    expect(codes(adjust)).toEqual(['lookalike_signed_list']);
    expect(assessMail(list, history()).level).toBe('none');
  });
});

describe('list mail adjustments', () => {
  it('a broken DKIM signature on list mail weighs little; a fake reply on a list is not flagged', () => {
    const auth = { source: 'provider' as const, spf: null, dkim: 'fail' as const, dmarc: null, arc: null };
    expect(authFailureSignals(mail({ authResults: auth }))[0]?.weight).toBe(20);
    expect(authFailureSignals(mail({ authResults: auth, bulk: true }))[0]?.weight).toBe(5);
    expect(threadSignals(mail({ subject: 'Re: X310 price', bulk: true }), history())).toEqual([]);
  });
});

describe('dangerous attachment types beyond HTML (attachments.ts)', () => {
  it('treats Apple profiles, Excel add-ins and OneNote files as programs', () => {
    for (const filename of ['Payment.mobileconfig', 'invoice.xll', 'Remittance.one', 'Statement.iqy'])
      expect(codes(attachmentSignals([{ filename, mime: 'application/octet-stream' }])), filename).toEqual(['executable_attachment']);
    expect(
      codes(attachmentSignals([{ filename: 'scan.zip', mime: 'application/zip', archive: { entries: ['scan.lnk'], encrypted: false } }])),
    ).toEqual(['archive_with_risky_file']);
  });
});

describe('Reply-To made from the From domain (sender-form.ts)', () => {
  it('flags johnlewis.com answering to johnlewis-trades.com, not a company answering to its other country site', () => {
    const forged = mail({
      from: { address: 'robert.turner@johnlewis.com', name: 'John Lewis & Partners' },
      replyTo: [{ address: 'robert_turner@johnlewis-trades.com', name: null }],
    });
    expect(codes(senderFormSignals(forged, history()))).toEqual(['reply_to_lookalike']);
    const sister = mail({ from: { address: 'a@novalux.de', name: 'Novalux' }, replyTo: [{ address: 'a@novalux.com', name: null }] });
    expect(senderFormSignals(sister, history())).toEqual([]);
  });
});

describe('a large sum counts as one part of a lure (stranger-lures.ts)', () => {
  it('a donation of millions is a lure; a large order value alone is not', () => {
    const gift = mail({
      from: { address: 'x@web.de', name: 'X' },
      text: 'Ihr E-Mail-Konto wurde für eine Wohltätigkeitsspende von $3.500.000,00 ausgewählt.',
    });
    expect(codes(lureSignals(gift, history(), words(gift)))).toEqual(['money_lure', 'large_sum_offer']);
    const order = mail({ text: 'Our annual purchase volume is about USD 2,000,000; please quote your best price.' });
    expect(codes(lureSignals(order, history(), words(order)))).toEqual(['large_sum_offer']);
    expect(assessMail(order, history()).level).toBe('none');
  });
});

describe('brand names and the domains they come from (impersonation.ts)', () => {
  it('weighs a domain built from the brand name more than any other domain, and knows the brand service domains', () => {
    const built = impersonationSignals(mail({ from: { address: 'service@paypal-secure-login.com', name: 'PayPal' } }));
    expect(built.map((s) => [s.code, s.weight])).toEqual([['brand_impersonation', 45]]);
    const other = impersonationSignals(mail({ from: { address: 'x@mail-notice.xyz', name: 'PayPal' } }));
    expect(other.map((s) => s.weight)).toEqual([25]);
    expect(impersonationSignals(mail({ from: { address: 'no-reply@sns.amazonaws.com', name: 'Amazon Web Services' } }))).toEqual([]);
  });
});
