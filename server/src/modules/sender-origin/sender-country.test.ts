import { describe, expect, it } from 'vitest';
import { countryFromDomain, countryFromPhones, countryFromReceived, senderCountry } from './index.js';

// Addresses of long-lived networks: Strato (DE), 114DNS (CN), UOL (BR), Hetzner IPv6 (DE).
const ourMx =
  'from mail.strato-sender.de (mail.strato-sender.de [85.214.132.117]) by mx.pier.example (Postfix) with ESMTPS id 4Q1; Sun, 6 Dec 2026 10:00:00 +0000';
const internal = 'from localhost (localhost [127.0.0.1]) by mx.pier.example (Postfix) with LMTP id 7; Sun, 6 Dec 2026 10:00:01 +0000';

describe('country from the From domain', () => {
  it('reads national suffixes, including second-level ones', () => {
    expect(countryFromDomain('guangda-trading.cn')).toEqual({ country: 'CN', source: 'cctld', evidence: '.cn' });
    expect(countryFromDomain('mail.buyer.com.br')?.country).toBe('BR');
    expect(countryFromDomain('shop.co.uk')?.country).toBe('GB');
    expect(countryFromDomain('Importi.IT')?.country).toBe('IT');
  });

  it('ignores country codes used as generic names, but not their national second level', () => {
    for (const d of ['startup.io', 'brand.co', 'about.me', 'stream.tv', 'model.ai']) expect(countryFromDomain(d)).toBeNull();
    expect(countryFromDomain('ferreteria.com.co')?.country).toBe('CO');
  });

  it('says nothing for generic and regional domains', () => {
    expect(countryFromDomain('gmail.com')).toBeNull();
    expect(countryFromDomain('company.eu')).toBeNull();
    expect(countryFromDomain(null)).toBeNull();
  });
});

describe('country from the Received chain', () => {
  it('takes the first external hop below the receiving side', () => {
    expect(countryFromReceived([internal, ourMx], [])).toEqual({ country: 'DE', source: 'received-ip', evidence: '85.214.132.117' });
  });

  it('skips the mailbox provider’s own hops and reads the sender’s server they recorded', () => {
    const chain = [
      'from mx3.provider-mail.example (mx3.provider-mail.example [8.8.8.8]) by imap.provider-mail.example; Sun, 6 Dec 2026 10:00:02 +0000',
      'from smtp.huaxin-textile.com (unknown [114.114.114.114]) by mx3.provider-mail.example with ESMTP; Sun, 6 Dec 2026 10:00:00 +0000',
    ];
    expect(countryFromReceived(chain, ['provider-mail.example'])?.country).toBe('CN');
    expect(countryFromReceived(chain, [])?.country).toBe('US');
  });

  it('learns nothing from a global provider’s data centre', () => {
    const chain = [
      'from mail-ed1-f44.google.com (mail-ed1-f44.google.com [8.8.8.8]) by mx.pier.example (Postfix); Sun, 6 Dec 2026 10:00:00 +0000',
      'by 2002:a05:6402:1234:b0:5a1:2345:6789 with SMTP id abc; Sun, 6 Dec 2026 09:59:59 -0800',
    ];
    expect(countryFromReceived(chain, [])).toBeNull();
  });

  it('stops at the first external hop and never trusts the sender-written headers below it', () => {
    const chain = [ourMx, 'from forged.example ([200.147.67.142]) by mail.strato-sender.de; Sun, 6 Dec 2026 09:59:00 +0000'];
    expect(countryFromReceived(chain, [])?.country).toBe('DE');
  });

  it('reads IPv6 hops in Postfix and Exchange notation', () => {
    expect(countryFromReceived(['from mx.sender.de (mx.sender.de [IPv6:2a01:4f8::1]) by mx.pier.example'], [])?.country).toBe('DE');
    expect(countryFromReceived(['from SRV01.sender.de (2a01:4f8::1) by mx.pier.example'], [])?.country).toBe('DE');
  });
});

describe('country from phone numbers in the signature', () => {
  it('reads the first number written with its country code', () => {
    const signature = 'Best regards\nAna Souza\nPurchasing Manager\nTel: +55 11 3456-7890\nMobile: +351 912 345 678';
    expect(countryFromPhones(signature)).toEqual({ country: 'BR', source: 'signature-phone', evidence: '+551134567890' });
  });

  it('learns nothing from a national number without its country code', () => {
    expect(countryFromPhones('Tel: 0574-8888 1234')).toBeNull();
  });
});

describe('sender country in order of trust', () => {
  it('prefers the ccTLD over the Received hop over the signature', () => {
    const facts = { receivedChain: [ourMx], signatureText: 'Tel: +86 21 6234 5678' };
    expect(senderCountry({ fromDomain: 'buyer.com.br', ...facts })?.source).toBe('cctld');
    expect(senderCountry({ fromDomain: 'buyer.com', ...facts })).toMatchObject({ country: 'DE', source: 'received-ip' });
    expect(senderCountry({ fromDomain: 'gmail.com', receivedChain: [], signatureText: facts.signatureText })).toMatchObject({
      country: 'CN',
      source: 'signature-phone',
    });
    expect(senderCountry({ fromDomain: 'gmail.com' })).toBeNull();
  });
});
