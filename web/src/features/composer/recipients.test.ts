import { describe, expect, it } from 'vitest';
import { invalidRecipients, parseRecipients } from './recipients';

describe('recipients typed into the composer', () => {
  it('split on commas, semicolons, spaces and their full-width Chinese forms, lower-cased and once each', () => {
    expect(parseRecipients(' Maria@Lopez-Trading.es, wang@jinhua.cn；li@acme.test，maria@lopez-trading.es  <sales@acme.test>')).toEqual([
      'maria@lopez-trading.es',
      'wang@jinhua.cn',
      'li@acme.test',
      'sales@acme.test',
    ]);
    expect(parseRecipients(' ,; ')).toEqual([]);
  });

  it('name the addresses that cannot be sent to', () => {
    expect(invalidRecipients(['maria@lopez-trading.es', 'wang@jinhua', 'no-at-sign.cn', 'a"b@x.com'])).toEqual([
      'wang@jinhua',
      'no-at-sign.cn',
      'a"b@x.com',
    ]);
  });
});
