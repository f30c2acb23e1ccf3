import { describe, expect, it } from 'vitest';
import { countryFromDomain } from './country-from-domain.js';

describe('countryFromDomain', () => {
  it.each([
    ['acme.com.cn', 'CN'],
    ['acme.cn', 'CN'],
    ['acme.co.uk', 'GB'],
    ['acme.de', 'DE'],
    ['supplier.tw', 'TW'],
    ['supplier.com.hk', 'HK'],
    ['example.co.jp', 'JP'],
    ['Mail.Acme.COM.BR.', 'BR'],
    ['example.xn--fiqs8s', 'CN'],
    ['example.中国', 'CN'],
    ['example.xn--p1ai', 'RU'],
  ])('reads %s as %s', (domain, country) => {
    expect(countryFromDomain(domain)).toBe(country);
  });

  it.each([
    'acme.com',
    'acme.net',
    'acme.org',
    'acme.shop',
    'acme.io',
    'acme.co',
    'acme.ai',
    'acme.me',
    'acme.tv',
    'acme.eu',
    'acme.su',
    'localhost',
    '',
  ])('gives no country for %j', (domain) => {
    expect(countryFromDomain(domain)).toBeNull();
  });
});
