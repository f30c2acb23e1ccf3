import { describe, expect, it } from 'vitest';
import { companyDomainFor } from './company-domain.js';

describe('companyDomainFor', () => {
  it.each([
    ['sales@acme.com', 'acme.com'],
    ['Sales@Mail.ACME.com.cn', 'acme.com.cn'],
    ['buyer@export.acme.co.uk', 'acme.co.uk'],
    ['a@b.c.d.example.co.jp', 'example.co.jp'],
    ['info@acme.com.', 'acme.com'],
    ['lin@supplier.tw', 'supplier.tw'],
    ['x@acme.test', 'acme.test'],
    // The private section of the Public Suffix List: CentralNic's ru.com, uk.com, cn.com.
    ['ivan@rus-trade-import.ru.com', 'rus-trade-import.ru.com'],
    ['buyer@mail.acme.uk.com', 'acme.uk.com'],
  ])('gives %s the registrable domain %s', (address, domain) => {
    expect(companyDomainFor(address)).toBe(domain);
  });

  it('keeps punycode as it is and turns a Unicode domain into it', () => {
    expect(companyDomainFor('info@xn--bcher-kva.de')).toBe('xn--bcher-kva.de');
    expect(companyDomainFor('info@bücher.de')).toBe('xn--bcher-kva.de');
    expect(companyDomainFor('info@mail.example.xn--fiqs8s')).toBe('example.xn--fiqs8s');
  });

  it.each([
    'someone@gmail.com',
    'someone@googlemail.com',
    'someone@qq.com',
    'someone@vip.qq.com',
    'someone@foxmail.com',
    'someone@163.com',
    'someone@vip.163.com',
    'someone@126.com',
    'someone@yeah.net',
    'someone@sina.com',
    'someone@sina.cn',
    'someone@sohu.com',
    'someone@aliyun.com',
    'someone@139.com',
    'someone@189.cn',
    'someone@outlook.com',
    'someone@hotmail.com',
    'someone@hotmail.co.uk',
    'someone@hotmail.fr',
    'someone@live.com',
    'someone@msn.com',
    'someone@yahoo.com',
    'someone@yahoo.co.jp',
    'someone@yahoo.com.cn',
    'someone@ymail.com',
    'someone@aol.com',
    'someone@icloud.com',
    'someone@me.com',
    'someone@mac.com',
    'someone@gmx.de',
    'someone@gmx.net',
    'someone@web.de',
    'someone@mail.ru',
    'someone@yandex.ru',
    'someone@yandex.com.tr',
    'someone@protonmail.com',
    'someone@proton.me',
    'someone@zoho.com',
    'someone@naver.com',
    'someone@daum.net',
    'someone@hanmail.net',
    'someone@rediffmail.com',
    'someone@libero.it',
    'someone@orange.fr',
    'someone@free.fr',
    'someone@laposte.net',
    'someone@t-online.de',
    'someone@bol.com.br',
    'someone@uol.com.br',
    'someone@terra.com.br',
  ])('gives no company for the free-mail address %s', (address) => {
    expect(companyDomainFor(address)).toBeNull();
  });

  it('does not take a company for free mail because its name contains a provider', () => {
    expect(companyDomainFor('sales@yahoo-trading.com')).toBe('yahoo-trading.com');
    expect(companyDomainFor('sales@qqtrade.com')).toBe('qqtrade.com');
  });

  it.each(['', 'no-at-sign', '@acme.com', 'a@', 'a@localhost', 'a@[203.0.113.7]', 'a@203.0.113.7', 'a@-bad.com', 'a@acme..com', 'a@co.uk'])(
    'gives null for the invalid input %j',
    (address) => {
      expect(companyDomainFor(address)).toBeNull();
    },
  );
});
