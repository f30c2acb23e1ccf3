import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BodyDecoder, decodeBody, UNDECLARED_LABEL, UTF8_LABEL } from './body-decoder.js';

const gbk = (text: string) => iconv.encode(text, 'gb18030');

describe('decodeBody', () => {
  it('decodes a declared label with its own decoder', () => {
    expect(decodeBody(iconv.encode('報價', 'big5'), 'Big5')).toBe('報價');
  });

  it('detects the charset of a part that carries Pier’s undeclared label, using the hint', () => {
    expect(decodeBody(gbk('镕堃'), `${UNDECLARED_LABEL}+gb18030`)).toBe('镕堃');
    expect(decodeBody(gbk('请确认订单数量。'), UNDECLARED_LABEL)).toBe('请确认订单数量。');
  });

  it('reads a part labelled UTF-8 as GBK when the bytes say so', () => {
    expect(decodeBody(gbk('请确认订单数量。'), UTF8_LABEL)).toBe('请确认订单数量。');
    expect(decodeBody(Buffer.from('价格'), UTF8_LABEL)).toBe('价格');
  });

  it('detects under a label nobody knows', () => {
    expect(decodeBody(gbk('请确认订单数量。'), 'x-made-up')).toBe('请确认订单数量。');
  });
});

describe('BodyDecoder', () => {
  const run = async (label: string, chunks: Buffer[]) => {
    const out: Buffer[] = [];
    for await (const chunk of Readable.from(chunks).pipe(new BodyDecoder(label))) out.push(chunk as Buffer);
    return Buffer.concat(out).toString('utf8');
  };

  it('decodes a GB18030 character split across two chunks', async () => {
    const bytes = gbk('𠮷野家');
    expect(await run('gbk', [bytes.subarray(0, 2), bytes.subarray(2)])).toBe('𠮷野家');
  });

  it('passes valid UTF-8 under a Pier label through as it is', async () => {
    expect(await run(UNDECLARED_LABEL, [Buffer.from('Grüße 报价')])).toBe('Grüße 报价');
  });
});
