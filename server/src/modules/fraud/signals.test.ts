import { describe, expect, it } from 'vitest';
import { makeZip } from '../../../tests/support/zip.js';
import { assessMail, levelFor } from './assess.js';
import { attachmentFacts, listZip } from './attachment-facts.js';
import { editDistance, registrableDomainOf, skeleton } from './domains.js';
import { ownWords } from './mail-text.js';
import { containsPaymentDetails, isBillOfLadingName, needsSecondApprover } from './payment-details.js';
import { attachmentSignals } from './signals/attachments.js';
import { authFailureSignals } from './signals/auth-failure.js';
import { bankAccountOf, bankIdentifierSignals, extractBankIdentifiers } from './signals/bank-identifiers.js';
import { displayNameSignals } from './signals/display-name.js';
import { findPaymentChange, pressureSignals } from './signals/language.js';
import { lookalikeSignals } from './signals/lookalike-domain.js';
import { replyToSignals } from './signals/reply-to.js';
import { threadSignals } from './signals/thread-hijack.js';
import type { FraudHistory, FraudMail } from './types.js';

const mail = (over: Partial<FraudMail> = {}): FraudMail => ({
  from: { address: 'anna@acme-trading.de', name: 'Anna Schmidt' },
  replyTo: [],
  subject: 'Order 4711',
  text: 'Hello, please find the order attached.',
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
  knownDomains: ['acme-trading.de', 'globex.com.br', 'sinotrade.cn'],
  establishedDomains: [],
  contactsNamedLikeSender: [],
  bankIdentifiers: {},
  thread: null,
  senderTrusted: true,
  ...over,
});

const codes = (signals: { code: string }[]) => signals.map((s) => s.code);

describe('look-alike sender domains', () => {
  it('computes UTS #39 skeletons and edit distances', () => {
    expect(skeleton('pаypal')).toBe(skeleton('paypal')); // Cyrillic а
    expect(skeleton('rnicrosoft')).toBe(skeleton('microsoft'));
    expect(skeleton('g00gle')).toBe(skeleton('google'));
    expect(editDistance('acme', 'acem')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('keeps the Public Suffix List private section, as company domains do', () => {
    expect(registrableDomainOf('info@rus-trade-import.ru.com')).toBe('rus-trade-import.ru.com');
    expect(registrableDomainOf('a@shop.github.io')).toBe('shop.github.io');
    expect(registrableDomainOf('sales@mail.acme.com.cn')).toBe('acme.com.cn');
  });

  it('flags one typing error from a known counterparty, with both domains in the reason', () => {
    const { signals, imitated } = lookalikeSignals(mail({ from: { address: 'anna@acme-tradinq.de', name: null } }), history());
    expect(codes(signals)).toEqual(['lookalike_domain']);
    expect(signals[0]?.reason.en).toContain('acme-tradinq.de');
    expect(signals[0]?.reason.en).toContain('acme-trading.de');
    expect(signals[0]?.reason['zh-CN']).toContain('acme-trading.de');
    expect(imitated).toEqual(['acme-trading.de']);
  });

  it('flags a look-alike of our own domain', () => {
    expect(codes(lookalikeSignals(mail({ from: { address: 'boss@hengda-lightinq.com', name: null } }), history()).signals)).toEqual([
      'lookalike_domain',
    ]);
  });

  it('flags a homoglyph domain written in punycode', () => {
    // sinotrаde.cn with a Cyrillic а, as it arrives: xn--sinotrde-5ig.cn
    const ascii = new URL('http://sinotrаde.cn').hostname;
    expect(ascii.startsWith('xn--')).toBe(true);
    const { signals } = lookalikeSignals(mail({ from: { address: `li@${ascii}`, name: null } }), history());
    expect(codes(signals)).toEqual(['homoglyph_domain']);
    expect(signals[0]?.reason.en).toContain('sinotrade.cn');
  });

  it('flags a TLD swap and a brand placed as a subdomain', () => {
    expect(codes(lookalikeSignals(mail({ from: { address: 'x@globex.com', name: null } }), history()).signals)).toEqual([
      'tld_swap_domain',
    ]);
    expect(codes(lookalikeSignals(mail({ from: { address: 'x@acme-trading.de.secure-pay.net', name: null } }), history()).signals)).toEqual(
      ['brand_in_subdomain'],
    );
  });

  it('also checks the Reply-To address', () => {
    const m = mail({ from: { address: 'anna@acme-trading.de', name: null }, replyTo: [{ address: 'anna@acme-tradlng.de', name: null }] });
    expect(codes(lookalikeSignals(m, history()).signals)).toEqual(['lookalike_domain']);
  });

  it('does not fire for the real domain, unrelated domains, free-mail, short names or established correspondents', () => {
    for (const address of ['anna@acme-trading.de', 'buyer@walmart.com', 'someone@gmail.com', 'sales@mail.acme-trading.de']) {
      expect(lookalikeSignals(mail({ from: { address, name: null } }), history()).signals).toEqual([]);
    }
    expect(lookalikeSignals(mail({ from: { address: 'a@abd.com', name: null } }), history({ knownDomains: ['abc.com'] })).signals).toEqual(
      [],
    );
    const established = history({ knownDomains: ['acme-trading.de', 'acme-tradino.de'], establishedDomains: ['acme-tradino.de'] });
    expect(lookalikeSignals(mail({ from: { address: 'x@acme-tradino.de', name: null } }), established).signals).toEqual([]);
  });
});

describe('display name of a known contact', () => {
  const known = history({ contactsNamedLikeSender: [{ name: 'Anna Schmidt', address: 'anna@acme-trading.de' }] });

  it('fires for a known name on a free-mail address', () => {
    const { signals, imitated } = displayNameSignals(
      mail({ from: { address: 'anna.schmidt.acme@gmail.com', name: 'Anna Schmidt' } }),
      known,
    );
    expect(codes(signals)).toEqual(['display_name_mismatch']);
    expect(signals[0]?.reason.en).toContain('free-mail');
    expect(imitated).toEqual(['acme-trading.de']);
  });

  it('does not fire for a namesake at a company we correspond with', () => {
    const namesake = history({
      contactsNamedLikeSender: [{ name: 'Anna Schmidt', address: 'anna@acme-trading.de' }],
      knownDomains: ['acme-trading.de', 'globex.com.br'],
      establishedDomains: ['globex.com.br'],
    });
    expect(displayNameSignals(mail({ from: { address: 'anna.schmidt@globex.com.br', name: 'Anna Schmidt' } }), namesake).signals).toEqual(
      [],
    );
  });

  it('does not fire for the contact itself, a colleague at the same company, or a generic role name', () => {
    expect(displayNameSignals(mail(), known).signals).toEqual([]);
    expect(displayNameSignals(mail({ from: { address: 'a.schmidt@acme-trading.de', name: 'Anna Schmidt' } }), known).signals).toEqual([]);
    const sales = history({ contactsNamedLikeSender: [{ name: 'Sales', address: 'sales@acme-trading.de' }] });
    expect(displayNameSignals(mail({ from: { address: 'sales@other.com', name: 'Sales' } }), sales).signals).toEqual([]);
  });

  it('fires when the display name carries an address on another domain', () => {
    const m = mail({ from: { address: 'x@mailer.biz', name: 'anna@acme-trading.de' } });
    expect(codes(displayNameSignals(m, history()).signals)).toEqual(['display_name_address_mismatch']);
  });
});

describe('Reply-To', () => {
  it('fires when replies go to another domain, stronger for free-mail', () => {
    const free = replyToSignals(mail({ replyTo: [{ address: 'acme.pay@163.com', name: null }] }), history());
    expect(free).toMatchObject([{ code: 'reply_to_mismatch', weight: 30 }]);
    expect(replyToSignals(mail({ replyTo: [{ address: 'x@other.com', name: null }] }), history())).toMatchObject([{ weight: 20 }]);
  });
  it('counts little for newsletters, which answer through their mailing service', () => {
    expect(replyToSignals(mail({ bulk: true, replyTo: [{ address: 'x@esp-mailer.com', name: null }] }), history())).toMatchObject([
      { weight: 5 },
    ]);
  });
  it('does not fire for the same domain or a subdomain of it', () => {
    expect(replyToSignals(mail({ replyTo: [{ address: 'orders@mail.acme-trading.de', name: null }] }), history())).toEqual([]);
  });
});

describe('SPF/DKIM/DMARC', () => {
  it("fires on the provider's or Pier's failures and says whose check it was", () => {
    const provider = authFailureSignals(mail({ authResults: { source: 'provider', spf: 'fail', dkim: 'fail', dmarc: 'fail', arc: null } }));
    expect(codes(provider)).toEqual(['dmarc_fail', 'dkim_fail', 'spf_fail']);
    expect(provider[0]?.reason.en).toContain('mail provider');
    const pier = authFailureSignals(mail({ authResults: { source: 'pier', spf: 'softfail', dkim: 'none', dmarc: 'none', arc: null } }));
    expect(pier).toMatchObject([{ code: 'spf_softfail' }]);
    expect(pier[0]?.reason.en).toContain('Pier');
  });
  it('does not fire on passes, missing results, or a lone SPF failure under a DMARC pass (forwarding)', () => {
    expect(authFailureSignals(mail({ authResults: { source: 'pier', spf: 'pass', dkim: 'pass', dmarc: 'pass', arc: null } }))).toEqual([]);
    expect(authFailureSignals(mail())).toEqual([]);
    expect(authFailureSignals(mail({ authResults: { source: 'provider', spf: 'fail', dkim: 'pass', dmarc: 'pass', arc: null } }))).toEqual(
      [],
    );
  });
});

describe('thread hijack', () => {
  const thread = history({ thread: { conversationId: 'c1', counterpartyAddresses: ['anna@acme-trading.de'] } });
  it('fires for a reply into the thread from another domain', () => {
    const signals = threadSignals(mail({ from: { address: 'anna@acme-trading-de.com', name: 'Anna' }, inReplyTo: '<m1@x>' }), thread);
    expect(codes(signals)).toEqual(['thread_hijack']);
    expect(signals[0]?.reason.en).toContain('acme-trading.de');
  });
  it('does not fire for the counterparty, a colleague of the same company, or our own team', () => {
    expect(threadSignals(mail({ inReplyTo: '<m1@x>' }), thread)).toEqual([]);
    expect(threadSignals(mail({ from: { address: 'tom@acme-trading.de', name: null } }), thread)).toEqual([]);
    expect(threadSignals(mail({ from: { address: 'sales@hengda-lighting.com', name: null } }), thread)).toEqual([]);
  });
  it('fires weakly for a "Re:" from an unknown sender that names no earlier mail', () => {
    expect(codes(threadSignals(mail({ from: { address: 'x@unknown.biz', name: null }, subject: 'RE: Invoice' }), history()))).toEqual([
      'reply_without_thread',
    ]);
    expect(threadSignals(mail({ subject: 'RE: Invoice' }), history())).toEqual([]);
    // References to messages we never had count the same as none.
    const unknownRefs = mail({ from: { address: 'x@unknown.biz', name: null }, subject: '回复: 发票', inReplyTo: '<never@seen>' });
    expect(codes(threadSignals(unknownRefs, history()))).toEqual(['reply_without_thread']);
  });
});

describe('payment-change language', () => {
  const changes: [string, string][] = [
    ['en', 'Please note our bank account has changed, kindly remit to the new account below.'],
    ['en', 'Due to an ongoing audit our previous account is frozen.'],
    ['zh', '通知:我司账户已变更,请将货款汇入以下新账户。'],
    ['zh', '由于税务审计,原账户已冻结,请勿再汇款到原账户。'],
    ['es', 'Le informamos que tenemos una nueva cuenta bancaria para los pagos.'],
    ['pt', 'Informamos que os nossos dados bancários foram alterados.'],
    ['fr', 'Veuillez noter nos nouvelles coordonnées bancaires.'],
    ['de', 'Bitte beachten Sie unsere neue Bankverbindung ab sofort.'],
    ['ru', 'Сообщаем, что наши банковские реквизиты изменены.'],
    ['ar', 'نود إعلامكم بأنه تم تغيير الحساب البنكي الخاص بشركتنا.'],
    ['tr', 'Banka hesap numaramız değişti, lütfen yeni hesabımıza ödeme yapınız.'],
    ['it', 'Vi comunichiamo le nuove coordinate bancarie per il pagamento.'],
  ];
  it.each(changes)('fires in %s', (language, text) => {
    expect(findPaymentChange(ownWords('', text))?.language).toBe(language);
  });
  const mentions = [
    'Our bank is Bank of China, Shenzhen branch. Bank details below, same as before.',
    'Please open the L/C at sight with Bank of China; we will present documents within 21 days.',
    'Payment terms: 30% T/T deposit, balance against copy of B/L.',
    '我们的银行是中国银行深圳分行,银行信息不变。',
    'Nuestros datos bancarios no han cambiado.',
    'Unsere Bankverbindung finden Sie auf der Rechnung.',
    'Create a new account on our website to track your orders.',
    '请开立信用证,受益人为我司。',
  ];
  it.each(mentions)('does not fire on a bank or L/C mention: %s', (text) => {
    expect(findPaymentChange(ownWords('', text))).toBeNull();
  });
  it('ignores phrases in quoted history', () => {
    expect(
      findPaymentChange(ownWords('Re: PI', 'Thanks, noted.\n\n> Has your bank account changed?\n> Our bank account has changed')),
    ).toBeNull();
  });
});

describe('urgency and secrecy', () => {
  it('fires on pressure and on "do not call"', () => {
    expect(codes(pressureSignals(ownWords('', 'Please pay today, urgent. Keep this confidential and do not call me.')))).toEqual([
      'urgency_language',
      'secrecy_language',
    ]);
    expect(codes(pressureSignals(ownWords('', '此事请保密,今天务必付款')))).toEqual(['urgency_language', 'secrecy_language']);
  });
  it('does not fire on a confidentiality disclaimer alone', () => {
    expect(
      pressureSignals(ownWords('', 'This e-mail and any attachments are confidential and intended solely for the addressee.')),
    ).toEqual([]);
  });
});

describe('bank identifiers', () => {
  it('extracts valid IBANs, labelled SWIFT codes and account numbers; rejects a bad checksum', () => {
    const found = extractBankIdentifiers(
      'IBAN: DE89 3704 0044 0532 0130 00 SWIFT: COBADEFFXXX\n账号:6222 0202 0001 1234 567\nIBAN DE89 3704 0044 0532 0130 01',
    );
    expect(found).toEqual([
      { kind: 'iban', value: 'DE89370400440532013000' },
      { kind: 'bic', value: 'COBADEFF' },
      { kind: 'account', value: '6222020200011234567' },
    ]);
  });

  const known = history({ bankIdentifiers: { 'acme-trading.de': [{ kind: 'iban', value: 'DE89370400440532013000' }] } });
  it('fires strongly on a new IBAN for a known company and names the old one', () => {
    const signals = bankIdentifierSignals([{ kind: 'iban', value: 'GB29NWBK60161331926819' }], known, {
      senderCompany: 'acme-trading.de',
      imitated: [],
    });
    expect(signals).toMatchObject([{ code: 'new_bank_details', weight: 50 }]);
    expect(signals[0]?.reason.en).toContain('GB29 NWBK');
    expect(signals[0]?.reason.en).toContain('DE89 3704');
  });
  it('reassures on the same IBAN (negative weight)', () => {
    expect(
      bankIdentifierSignals([{ kind: 'iban', value: 'DE89370400440532013000' }], known, { senderCompany: 'acme-trading.de', imitated: [] }),
    ).toMatchObject([{ code: 'known_bank_details', weight: -20 }]);
  });
  it("compares a look-alike's IBAN with the imitated company's", () => {
    expect(
      bankIdentifierSignals([{ kind: 'iban', value: 'GB29NWBK60161331926819' }], known, {
        senderCompany: 'acme-tradinq.de',
        imitated: ['acme-trading.de'],
      }),
    ).toMatchObject([{ code: 'new_bank_details' }]);
  });
  it('reads a bank account as a person types it (admin trust marks)', () => {
    expect(
      ['DE89 3704 0044 0532 0130 00', 'cobadeffxxx', '6222-0212-3456-7890', 'DE89 3704 0044 0532 0130 01', 'hello'].map(bankAccountOf),
    ).toEqual([
      { kind: 'iban', value: 'DE89370400440532013000' },
      { kind: 'bic', value: 'COBADEFF' },
      { kind: 'account', value: '6222021234567890' },
      null,
      null,
    ]);
  });
  it('says nothing for an unknown company', () => {
    expect(
      bankIdentifierSignals([{ kind: 'iban', value: 'GB29NWBK60161331926819' }], known, { senderCompany: 'new.com', imitated: [] }),
    ).toEqual([]);
  });
});

describe('attachments', () => {
  it('flags HTML, executables, macro documents and disk images, not PDFs or spreadsheets', () => {
    const facts = ['invoice.htm', 'PI_2026.pdf.exe', 'order.xlsm', 'docs.iso', 'PI.pdf', 'packing list.xlsx'].map((filename) => ({
      filename,
      mime: 'application/octet-stream',
    }));
    expect(codes(attachmentSignals(facts))).toEqual(['html_attachment', 'executable_attachment', 'macro_document', 'disk_image']);
  });
  it('counts a .bin only when its bytes are a program, and a program under any name', async () => {
    const pe = Buffer.alloc(128);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(64, 0x3c);
    pe.write('PE\0\0', 64, 'latin1');
    const files = [
      { filename: 'radio_samples.bin', mime: 'application/octet-stream', content: Buffer.from('\x01\x02\x03\x04\x05') },
      { filename: 'firmware.bin', mime: 'application/octet-stream', content: pe },
      { filename: 'PI_2026.pdf', mime: 'application/pdf', content: pe },
      { filename: 'notes.txt', mime: 'text/plain', content: Buffer.from('MZ is the start of my initials') },
    ];
    const facts = await attachmentFacts(files);
    expect(facts.map((f) => f.program)).toEqual([false, true, true, false]);
    expect(attachmentSignals(facts).map((s) => s.reason.en)).toEqual([
      expect.stringContaining('firmware.bin is a program'),
      expect.stringContaining('PI_2026.pdf is a program'),
    ]);
  });
  it('opens ZIP archives: risky content and encryption fire, PDFs inside do not', async () => {
    const risky = await listZip(await makeZip([{ name: 'invoice.pdf.js', content: 'x' }]));
    const clean = await listZip(await makeZip([{ name: 'PI.pdf', content: '%PDF' }]));
    const locked = await listZip(await makeZip([{ name: 'PI.pdf', content: '%PDF', encrypted: true }]));
    expect(codes(attachmentSignals([{ filename: 'docs.zip', mime: 'application/zip', archive: risky }]))).toEqual([
      'archive_with_risky_file',
    ]);
    expect(attachmentSignals([{ filename: 'docs.zip', mime: 'application/zip', archive: clean }])).toEqual([]);
    expect(codes(attachmentSignals([{ filename: 'docs.zip', mime: 'application/zip', archive: locked }]))).toEqual(['encrypted_archive']);
  });
});

describe('scoring', () => {
  it('maps scores to levels at the documented thresholds', () => {
    expect([levelFor(0), levelFor(29), levelFor(30), levelFor(59), levelFor(60)]).toEqual(['none', 'none', 'warn', 'warn', 'high']);
  });
  it('rates a look-alike asking to pay a new IBAN high, and an ordinary order none', () => {
    const fraud = assessMail(
      mail({
        from: { address: 'anna@acme-tradinq.de', name: 'Anna Schmidt' },
        text: 'Our bank account has changed. New IBAN: GB29 NWBK 6016 1331 9268 19. Please pay today.',
      }),
      history({ bankIdentifiers: { 'acme-trading.de': [{ kind: 'iban', value: 'DE89370400440532013000' }] } }),
    );
    expect(fraud.level).toBe('high');
    expect(codes(fraud.signals)).toEqual([
      'lookalike_domain',
      'payment_change',
      'new_bank_details',
      'urgency_language',
      'lookalike_asks_money',
    ]);
    expect(assessMail(mail(), history())).toMatchObject({ score: 0, level: 'none', signals: [] });
  });
  it("reads the attachments' text after the mail's own words, and names the attachment in the reason", () => {
    const known = history({ bankIdentifiers: { 'acme-trading.de': [{ kind: 'iban', value: 'DE89370400440532013000' }] } });
    const withInvoice = assessMail(
      mail({
        text: 'Please see the attached invoice.',
        documents: [
          { filename: 'packing-list.pdf', text: 'Packing list: 40 cartons' },
          {
            filename: 'Invoice.pdf',
            text: 'Invoice 4711. Our bank account has changed. New IBAN: GB29 NWBK 6016 1331 9268 19. Pay today.',
          },
        ],
      }),
      known,
    );
    expect(codes(withInvoice.signals)).toEqual(['payment_change', 'new_bank_details', 'urgency_language']);
    expect(withInvoice.signals[0]?.reason.en).toContain('in the attachment "Invoice.pdf"');
    expect(withInvoice.signals[0]?.reason['zh-CN']).toContain('附件“Invoice.pdf”中');
    expect(withInvoice.bankIdentifiers).toEqual([{ kind: 'iban', value: 'GB29NWBK60161331926819' }]);
    // The mail's own words come first: the reason then names no attachment.
    const inBody = assessMail(
      mail({ text: 'Our bank account has changed.', documents: [{ filename: 'Invoice.pdf', text: 'We have changed our bank' }] }),
      known,
    );
    expect(inBody.signals[0]?.reason.en).not.toContain('attachment');
  });
  it('reports payment details in outgoing text for the second-approver gate', () => {
    expect(containsPaymentDetails('Beneficiary: Hengda Lighting Co., Ltd.\nA/C No: 4000 0231 0900 1234 567\nSWIFT: ICBKCNBJSZN')).toBe(
      true,
    );
    expect(containsPaymentDetails('Please find the quotation attached; delivery in 30 days.')).toBe(false);
  });
  it('asks for a second approver for payment details or a bill of lading, not for an ordinary quote', () => {
    for (const name of ['BL-copy.pdf', 'B/L draft.pdf', 'OBL_HLCU123.pdf', 'Bill of Lading.pdf', '提单.pdf'])
      expect(isBillOfLadingName(name)).toBe(true);
    for (const name of ['Quotation.pdf', 'BLUE-panel.jpg', 'table.xlsx']) expect(isBillOfLadingName(name)).toBe(false);
    expect(needsSecondApprover({ text: 'Quote attached.', attachmentNames: ['draft-BL.pdf'] })).toBe(true);
    expect(needsSecondApprover({ text: 'Quote attached.', attachmentNames: ['Quotation.pdf'] })).toBe(false);
  });
});
