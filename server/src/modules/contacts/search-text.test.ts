import { describe, expect, it } from 'vitest';
import { excelSafe, suggestField } from './customer-csv.js';
import { contactSearchText, foldForSearch, likePatternOf } from './search-text.js';

describe('customer search text', () => {
  it('folds non-ASCII case and full-width forms, keeps Chinese as written', () => {
    expect(foldForSearch('Jürgen MÜLLER')).toBe('jürgen müller');
    expect(foldForSearch('ＡＣＭＥ  宁波')).toBe('acme 宁波');
    expect(foldForSearch('ИВАН')).toBe('иван');
  });
  it('holds every number as E.164 and bare digits', () => {
    expect(contactSearchText({ name: '李伟', address: 'li@x.cn', phones: ['+8657488881234'] })).toBe(
      '李伟 li@x.cn +8657488881234 8657488881234',
    );
  });
  it('makes a phone-shaped query digits and escapes LIKE wildcards', () => {
    expect(likePatternOf('0574 8888-1234')).toBe('%057488881234%');
    expect(likePatternOf('100%_off')).toBe('%100\\%\\_off%');
  });
});

describe('customer CSV', () => {
  it('keeps Excel from running a cell as a formula', () => {
    expect(excelSafe('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(excelSafe('+49 40 1234')).toBe("'+49 40 1234");
    expect(excelSafe('李伟')).toBe('李伟');
  });
  it('maps English and Chinese headers; unknown ones become custom fields, derived ones are ignored', () => {
    expect(['Email', '姓名', '公司名称', '电话', '负责人', '标签', 'custom:Incoterms', 'last_seen', 'Payment'].map(suggestField)).toEqual([
      'address',
      'name',
      'company_name',
      'phones',
      'owner',
      'tags',
      'custom',
      'ignore',
      'custom',
    ]);
  });
});
