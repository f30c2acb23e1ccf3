import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseLoosely } from './loose-parse.js';

describe('parseLoosely', () => {
  it('reads the headers and detects the body of a mail mailparser refused, and keeps the reasons', () => {
    const raw = Buffer.concat([
      Buffer.from('From: '),
      iconv.encode('张经理', 'gb18030'),
      Buffer.from(' <Zhang@Supplier.cn>\r\nTo: a@acme.test, "B" <b@acme.test>\r\nSubject: x\r\n\r\n'),
      iconv.encode('请确认订单数量。', 'gb18030'),
    ]);
    expect(parseLoosely(raw, ['first reason', 'second reason'])).toMatchObject({
      from: { address: 'zhang@supplier.cn', name: '张经理' },
      to: [
        { address: 'a@acme.test', name: null },
        { address: 'b@acme.test', name: 'B' },
      ],
      subject: 'x',
      text: '请确认订单数量。',
      html: null,
      attachments: [],
      parseStatus: 'failed',
      parseError: 'first reason; second reason',
    });
  });

  it('takes the whole input as the body when there is no blank line', () => {
    expect(parseLoosely(Buffer.from('just text'), ['x']).text).toBe('just text');
  });
});
