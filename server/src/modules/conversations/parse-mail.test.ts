import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const gbk = (text: string) => iconv.encode(text, 'gb18030');

describe('parseMail: Chinese charsets', () => {
  it('decodes a GB2312-labelled mail that holds GBK-only characters (镕 堃 瑢 喆) in subject, sender and body', async () => {
    const mail = await parseMail(fixture('gb2312-gbk-only-chars.eml'));
    expect(mail.subject).toBe('朱镕基、王堃、李瑢、张喆的样品报价');
    expect(mail.from).toEqual({ address: 'wang.kun@supplier.cn', name: '王堃' });
    expect(mail.text).toBe('您好！\n\n附件是朱镕基先生、王堃女士、李瑢和张喆确认的样品报价，单价€12.50。\n\n此致\n敬礼');
    expect(mail.parseStatus).toBe('ok');
  });

  it('decodes GB18030 four-byte characters under GBK and GB2312 labels in subject, body and RFC 2231 file name', async () => {
    const mail = await parseMail(fixture('gbk-label-four-byte.eml'));
    expect(mail.subject).toBe('𠮷野家 😀 订单');
    expect(mail.text).toBe('𠮷野家 😀 订单');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['𠮷野家订单.pdf']);
  });

  it('reads the cp936, EUC-CN, x-gbk and GB_2312-80 labels as GB18030', async () => {
    const mail = await parseMail(fixture('gb-family-labels.eml'));
    expect(mail.text).toBe('cp936: 镕 € 𠮷\nEUC-CN: 镕 € 𠮷\nx-gbk: 镕 € 𠮷\nGB_2312-80: 镕 € 𠮷');
  });

  it('detects an undeclared quoted-printable GBK body', async () => {
    const mail = await parseMail(fixture('undeclared-gbk-body.eml'));
    expect(mail.text).toBe(
      '王经理：\n\n关于贵公司的询价，我们的报价如下：\n产品：不锈钢保温杯 500ml\n数量：3000个\n单价：人民币18.5元\n交货期：收到定金后30天。\n\n谢谢！',
    );
  });

  it('detects raw 8-bit GBK in Subject and From when the mail declares no charset anywhere', async () => {
    const mail = await parseMail(fixture('undeclared-gbk-subject.eml'));
    expect(mail.subject).toBe('关于报价单的询问（第二版）');
    expect(mail.from).toEqual({ address: 'zhang@supplier.cn', name: '张经理' });
    expect(mail.text).toBe('Please see the subject.');
  });

  it('decodes raw 8-bit GBK attachment file names as Foxmail and Outlook (China) send them', async () => {
    const mail = await parseMail(fixture('raw-gbk-attachment-filename.eml'));
    expect(mail.subject).toBe('形式发票');
    expect(mail.from?.name).toBe('刘经理');
    expect(mail.text).toBe('请查收形式发票。');
    expect(mail.attachments.map((a) => [a.filename, a.mime])).toEqual([
      ['形式发票（镕）.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
  });

  it('joins encoded words split inside a character: UTF-8 B words, GBK B words, a B word followed by a Q word, a GBK file name', async () => {
    const mail = await parseMail(fixture('split-encoded-words.eml'));
    expect(mail.subject).toBe('关于报价单的询问 (v2)');
    expect(mail.from).toEqual({ address: 'wang.kun@supplier.cn', name: '王堃经理' });
    expect(mail.cc).toEqual([{ address: 'li@supplier.cn', name: '李瑢' }]);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['形式发票.pdf']);
  });

  it('decodes the raw GBK headers of a forwarded message shown inline', async () => {
    const mail = await parseMail(fixture('forwarded-inline-message.eml'));
    expect(mail.text).toBe("Forwarding the supplier's mail below.\n\nFrom: zhao@supplier.cn\nSubject: 订单确认\n\n订单已确认，谢谢。");
  });
});

describe('parseMail: other charsets', () => {
  it('decodes Big5 and Big5-HKSCS (啲 嘢)', async () => {
    const mail = await parseMail(fixture('big5.eml'));
    expect(mail.subject).toBe('報價單：不鏽鋼保溫杯');
    expect(mail.from).toEqual({ address: 'chen@supplier.tw', name: '陳小姐' });
    expect(mail.text).toBe('您好，\n\n感謝您的詢價。附上報價單，請查收。\n許功蓋（Big5 易錯字）');
    expect(mail.html).toBe('<p>有啲嘢想同你傾下</p>');
  });

  it('tells an undeclared Big5 body from GBK', async () => {
    const mail = await parseMail(fixture('undeclared-big5-body.eml'));
    expect(mail.text).toBe('林先生您好，這批貨已經從高雄港出貨，預計下週到達。發票和裝箱單請見附件。');
  });

  it('decodes Shift_JIS with NEC and IBM characters, and an ISO-2022-JP subject', async () => {
    const mail = await parseMail(fixture('shift-jis.eml'));
    expect(mail.subject).toBe('お見積もりのご依頼');
    expect(mail.text).toBe('いつもお世話になっております。①数量：ⅰ 100個、髙橋様にもご確認済みです。');
  });

  it('decodes an ISO-2022-JP body with half-width katakana', async () => {
    const mail = await parseMail(fixture('iso-2022-jp.eml'));
    expect(mail.subject).toBe('納期のご確認');
    expect(mail.text).toBe('佐藤です。納期は３月２０日です。ｶﾀｶﾅもOK。');
  });

  it('decodes KOI8-R', async () => {
    const mail = await parseMail(fixture('koi8-r.eml'));
    expect(mail.subject).toBe('Запрос цены на термосы');
    expect(mail.from?.name).toBe('Иван Петров');
    expect(mail.text).toBe('Здравствуйте!\nПросим выслать прайс-лист.');
  });

  it('reads an iso-8859-1 label as windows-1252 (€, curly quotes, dashes)', async () => {
    const mail = await parseMail(fixture('latin1-label-windows-1252.eml'));
    expect(mail.subject).toBe('Preis € 12,50 – “Angebot”');
    expect(mail.from?.name).toBe('Renée Müller');
    expect(mail.text).toBe('Grüße – der Preis ist 12,50 € für „Thermobecher“.');
  });

  it('decodes an undeclared body the same with LF line endings (mbox exports)', async () => {
    const lf = Buffer.from(fixture('undeclared-gbk-body.eml').toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const mail = await parseMail(lf);
    expect(mail.text.split('\n')[0]).toBe('王经理：');
  });

  it('decodes a body labelled utf-8 that is really GBK, and keeps valid UTF-8 with one stray byte as UTF-8', async () => {
    const head = 'From: a@supplier.cn\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n';
    const lying = await parseMail(Buffer.concat([Buffer.from(head), gbk('请确认订单数量。')]));
    expect(lying.text).toBe('请确认订单数量。');
    const stray = await parseMail(Buffer.concat([Buffer.from(head), Buffer.from('价格 '), Buffer.from([0xff])]));
    expect(stray.text).toBe('价格 \ufffd');
  });

  it('takes the charset of an undeclared HTML body from its meta tag', async () => {
    const html = Buffer.concat([
      Buffer.from('<html><head><meta charset="big5"></head><body>'),
      iconv.encode('報價', 'big5'),
      Buffer.from('</body></html>'),
    ]);
    const mail = await parseMail(Buffer.concat([Buffer.from('Subject: x\r\nContent-Type: text/html\r\n\r\n'), html]));
    expect(mail.text).toBe('報價');
  });

  it('uses a charset declared elsewhere in the mail for a short undeclared sender name', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: '),
      gbk('镕堃'),
      Buffer.from(' <a@supplier.cn>\r\nSubject: x\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n'),
      gbk('您好'),
    ]);
    const mail = await parseMail(raw);
    expect(mail.from).toEqual({ address: 'a@supplier.cn', name: '镕堃' });
  });

  it('detects a body whose label nobody knows', async () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=x-mac-chinesesimp-typo\r\n\r\n'),
      gbk('请确认订单数量。'),
    ]);
    expect((await parseMail(raw)).text).toBe('请确认订单数量。');
  });

  it('does not let a mail name its own hint: a forged Pier label cannot select UTF-7', async () => {
    const raw = Buffer.from(
      'Subject: x\r\nContent-Type: text/html; charset="x-pier-undeclared+utf-7"\r\n\r\n+ADw-script+AD4-\xff',
      'latin1',
    );
    const mail = await parseMail(raw);
    expect(mail.html).toBe('+ADw-script+AD4-ÿ');
  });

  it('decodes UTF-7 bodies and headers; markup they hold is text here, and HTML is sanitised when shown', async () => {
    const mail = await parseMail(
      Buffer.from(
        'Subject: =?utf-7?Q?Fr+APY-sche?=\r\nContent-Type: text/plain; charset=utf-7\r\n\r\nFr+APY-sche Gr+APw-+AN8-e +ADw-b+AD4-',
      ),
    );
    expect(mail.subject).toBe('Frösche');
    expect(mail.text).toBe('Frösche Grüße <b>');
  });
});

describe('parseMail: structure', () => {
  it('takes the MIME torture mail apart: headers, flowed quoted-printable text, GBK html, cid image, attached message, RFC 2231 name', async () => {
    const raw = fixture('mime-torture.eml');
    const mail = await parseMail(raw);
    expect(mail).toMatchObject({
      messageId: '<torture@supplier.cn>',
      from: { address: 'sales@supplier.cn', name: 'Supplier, Sales' },
      to: [{ address: 'buyer@acme.test', name: null }],
      cc: [],
      replyTo: [
        { address: 'sales-team@supplier.cn', name: '销售部' },
        { address: 'orders@supplier.cn', name: null },
      ],
      subject: 'MIME torture – 测试',
      date: Date.UTC(2026, 2, 3, 1, 13, 55),
      inReplyTo: '<rfq-1@acme.test>',
      references: ['<rfq-0@acme.test>', '<rfq-1@acme.test>'],
      authenticationResults: ['mx.acme.test; spf=pass smtp.mailfrom=supplier.cn; dkim=pass header.d=supplier.cn'],
      autoSubmitted: 'no',
      precedence: null,
      listId: null,
      parseStatus: 'ok',
      parseError: null,
    });
    expect(mail.text).toBe(
      'Dear buyer, this paragraph is long enough to be wrapped by the sender as format=flowed text, so its lines end in a space.\nSecond paragraph: 价格已更新，请查看。\n> quoted line',
    );
    expect(mail.html).toBe('<html><body><p>价格已更新</p><img src="cid:logo.png@01DA0000"></body></html>');
    expect(mail.attachments.map(({ content, ...rest }) => rest)).toEqual([
      { filename: 'image001.png', mime: 'image/png', size: 68, contentId: 'logo.png@01DA0000', isInline: true },
      { filename: 'Re 模具图纸.eml', mime: 'message/rfc822', size: 513, contentId: null, isInline: false },
      { filename: '报价单—2026年第一季度（不锈钢保温杯系列）.pdf', mime: 'application/pdf', size: 9, contentId: null, isInline: false },
      { filename: 'attachment-4.xls', mime: 'application/vnd.ms-excel', size: 8, contentId: null, isInline: false },
    ]);
  });

  it('hands an attached message over byte for byte, so it can be parsed on its own', async () => {
    const raw = fixture('mime-torture.eml');
    const attached = (await parseMail(raw)).attachments[1];
    expect(attached).toBeDefined();
    if (!attached) return;
    expect(raw.includes(attached.content)).toBe(true);
    const inner = await parseMail(attached.content);
    expect(inner.subject).toBe('Re: 模具图纸');
    expect(inner.from).toEqual({ address: 'zhao@factory.cn', name: '赵工' });
    expect(inner.text).toBe('图纸见附件。');
    expect(inner.attachments.map((a) => a.filename)).toEqual(['drawing.dwg']);
  });

  it('turns HTML into text when the only text part is HTML inside multipart/mixed', async () => {
    const mail = await parseMail(fixture('html-only-gb2312.eml'));
    expect(mail.text).toBe('王堃您好：\n\n价格&交期 如下：\nFOB 宁波 €3.20\n\n- 500 pcs');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['attachment-1.png']);
  });

  it('decodes named entities in the text of HTML-only mail inside multipart/mixed (Größe, café), which the snippet and search index read', async () => {
    const raw = Buffer.from(
      'Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Gr&ouml;&szlig;e 40 &ndash; caf&eacute;</p>\r\n--b--\r\n',
    );
    const mail = await parseMail(raw);
    expect(mail.text).toBe('Größe 40 – café');
    expect(mail.html).toBe('<p>Gr&ouml;&szlig;e 40 &ndash; caf&eacute;</p>');
  });

  it('marks an image referenced by cid: as inline even without a Content-Disposition (Outlook)', async () => {
    const mail = await parseMail(fixture('mime-torture.eml'));
    expect(mail.attachments[0]).toMatchObject({ contentId: 'logo.png@01DA0000', isInline: true });
  });

  it('never modifies the caller’s bytes', async () => {
    const raw = fixture('undeclared-gbk-subject.eml');
    const copy = Buffer.from(raw);
    await parseMail(raw);
    expect(raw.equals(copy)).toBe(true);
  });

  it('keeps parentheses and apostrophes of an RFC 2231 file name (not read as a comment)', async () => {
    const raw = Buffer.from(
      "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=gbk''%B1%A8%BC%DB%20(v2)%27s.pdf\r\n\r\n%PDF\r\n--b--\r\n",
    );
    expect((await parseMail(raw)).attachments.map((a) => a.filename)).toEqual(["报价 (v2)'s.pdf"]);
  });

  it('keeps only the last segment of a file name given as a Windows path', async () => {
    const raw = Buffer.from(
      'Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="C:\\\\Users\\\\li\\\\PI-001.pdf"\r\n\r\n%PDF\r\n--b--\r\n',
    );
    expect((await parseMail(raw)).attachments.map((a) => a.filename)).toEqual(['PI-001.pdf']);
  });

  it('reads In-Reply-To with a comment, References with bare ids, and loop-check headers', async () => {
    const raw = Buffer.from(
      [
        'From: Out of Office <ooo@supplier.cn>',
        'Subject: Automatic reply',
        'In-Reply-To: <a1@acme.test> (Buyer\'s message of "Mon")',
        'References: a0@acme.test <a1@acme.test>',
        'Auto-Submitted: auto-replied',
        'Precedence: bulk',
        'List-Id: Sales <sales.supplier.cn>',
        'Authentication-Results: mx.acme.test; dkim=pass',
        'Authentication-Results: evil.test; dkim=pass',
        '',
        'I am away.',
      ].join('\r\n'),
    );
    const mail = await parseMail(raw);
    expect(mail.inReplyTo).toBe('<a1@acme.test>');
    expect(mail.references).toEqual(['<a1@acme.test>']);
    expect(mail.autoSubmitted).toBe('auto-replied');
    expect(mail.precedence).toBe('bulk');
    expect(mail.listId).toBe('Sales <sales.supplier.cn>');
    expect(mail.authenticationResults).toEqual(['mx.acme.test; dkim=pass', 'evil.test; dkim=pass']);
  });

  it('gives a null date for a missing or unreadable Date header instead of "now", and reads one with a zone comment', async () => {
    expect((await parseMail(Buffer.from('Subject: x\r\n\r\nhi'))).date).toBeNull();
    expect((await parseMail(Buffer.from('Date: someday\r\nSubject: x\r\n\r\nhi'))).date).toBeNull();
    const commented = await parseMail(Buffer.from('Date: Tue, 3 Mar 2026 09:13:55 +0800 (CST)\r\n\r\nhi'));
    expect(commented.date).toBe(Date.UTC(2026, 2, 3, 1, 13, 55));
  });

  it('flattens address groups and lower-cases addresses', async () => {
    const mail = await parseMail(Buffer.from('To: Team: A@Acme.TEST, "Lee, Bo" <Bo@Acme.Test>;, c@acme.test\r\nSubject: x\r\n\r\nhi'));
    expect(mail.to).toEqual([
      { address: 'a@acme.test', name: null },
      { address: 'bo@acme.test', name: 'Lee, Bo' },
      { address: 'c@acme.test', name: null },
    ]);
  });
});

describe('parseMail: broken mail', () => {
  it('keeps the text and the attachment of a multipart without closing boundary, as partial', async () => {
    const mail = await parseMail(fixture('broken-missing-closing-boundary.eml'));
    expect(mail.text).toBe('The closing boundary never comes.');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['prices.csv', 'sku,price\r\nA1,12.50\r\n']]);
    expect(mail.parseStatus).toBe('partial');
    expect(mail.parseError).toContain('closing boundary');
  });

  it('reports bad base64 as partial and keeps what decodes', async () => {
    const mail = await parseMail(fixture('broken-bad-base64.eml'));
    expect(mail.text).toBe('价格不变。');
    expect(mail.parseStatus).toBe('partial');
    expect(mail.parseError).toContain('junk after the base64');
  });

  it('reads a mail without Content-Type as plain text', async () => {
    const mail = await parseMail(fixture('broken-no-content-type.eml'));
    expect(mail.text).toBe('没有 Content-Type 的邮件，正文是 UTF-8。');
    expect(mail.parseStatus).toBe('ok');
  });

  it('drops a NUL byte from a header (PostgreSQL text cannot hold it) and says so', async () => {
    const mail = await parseMail(fixture('broken-nul-in-header.eml'));
    expect(mail.subject).toBe('pricelist');
    expect(mail.text).toBe('Body after a NUL header.');
    expect(mail.parseStatus).toBe('partial');
  });

  it('keeps the readable part of a mail truncated inside an attachment', async () => {
    const mail = await parseMail(fixture('broken-truncated.eml'));
    expect(mail.subject).toBe('truncated in transit');
    expect(mail.text).toBe('Catalogue attached.');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['catalogue.pdf']);
    expect(mail.parseStatus).toBe('partial');
  });

  it('reads a mail that ends inside its header', async () => {
    const mail = await parseMail(Buffer.from('From: a@supplier.cn\r\nSubject: cut'));
    expect(mail.subject).toBe('cut');
    expect(mail.from?.address).toBe('a@supplier.cn');
    expect(mail.text).toBe('');
  });

  it('survives an empty input', async () => {
    const mail = await parseMail(Buffer.alloc(0));
    expect(mail).toMatchObject({ subject: '', text: '', from: null, attachments: [] });
  });

  it('returns failed with the headers it can read and the body detected, when mailparser gives up', async () => {
    // A header block over mailparser's 1 MB limit makes it reject the mail.
    const raw = Buffer.concat([
      Buffer.from(
        `Message-ID: <huge@supplier.cn>\r\nFrom: "Li" <li@supplier.cn>\r\nTo: a@acme.test, b@acme.test\r\nDate: Tue, 3 Mar 2026 09:13:55 +0800\r\nSubject: `,
      ),
      gbk('报价单'),
      Buffer.from(`\r\nX-Junk: ${'x'.repeat(1_100_000)}\r\n\r\n`),
      gbk('您好，附件是报价单，请查收。'),
    ]);
    const mail = await parseMail(raw);
    expect(mail).toMatchObject({
      parseStatus: 'failed',
      messageId: '<huge@supplier.cn>',
      from: { address: 'li@supplier.cn', name: 'Li' },
      to: [
        { address: 'a@acme.test', name: null },
        { address: 'b@acme.test', name: null },
      ],
      subject: '报价单',
      date: Date.UTC(2026, 2, 3, 1, 13, 55),
      text: '您好，附件是报价单，请查收。',
    });
    expect(mail.parseError).toBeTruthy();
  });

  it('shows a mail that starts with a blank line as a body without header, and a header-only mail as headers', async () => {
    const bodyOnly = await parseMail(Buffer.from('\r\nSubject: not a header\r\nbody ONE\r\n'));
    expect([bodyOnly.subject, bodyOnly.text]).toEqual(['', 'Subject: not a header\nbody ONE']);
    const headerOnly = await parseMail(Buffer.from('Subject: only a header\r\nX-Note: no blank line A\r\n'));
    expect([headerOnly.subject, headerOnly.text]).toEqual(['only a header', '']);
  });

  it('shows bytes without any header field and without a blank line as the text they are', async () => {
    const mail = await parseMail(Buffer.from('random bytes \u0001 with no header\r\nsecond line', 'latin1'));
    expect(mail.text).toBe('random bytes \u0001 with no header\nsecond line');
    expect((await parseMail(Buffer.alloc(0))).text).toBe('');
  });
});

describe('what mailparser gets wrong on its own (if one of these fails, mailparser changed: recheck the workarounds)', () => {
  const plain = (name: string) => simpleParser(fixture(name));

  it('decodes GBK-only characters under a GB2312 label already (libmime maps gb2312 to GBK)', async () => {
    expect((await plain('gb2312-gbk-only-chars.eml')).subject).toBe('朱镕基、王堃、李瑢、张喆的样品报价');
  });

  it('loses GB18030 four-byte characters under a GBK label, and € (A2E3) under cp936 and EUC-CN', async () => {
    expect((await plain('gbk-label-four-byte.eml')).subject).toContain('\ufffd');
    expect((await plain('gb-family-labels.eml')).text).toContain('cp936: 镕 \ufffd');
  });

  it('reads undeclared 8-bit GBK as UTF-8, in bodies, headers and attached messages', async () => {
    expect((await plain('undeclared-gbk-body.eml')).text).toContain('\ufffd');
    expect((await plain('undeclared-gbk-subject.eml')).subject).toContain('\ufffd');
    expect((await plain('forwarded-inline-message.eml')).text).toContain('Subject: \ufffd');
  });

  it('reads a raw GBK file name as latin1', async () => {
    expect((await plain('raw-gbk-attachment-filename.eml')).attachments[0]?.filename).toBe('ÐÎÊ½·¢Æ±£¨éF£©.xlsx');
  });

  it('cannot join a character split between a B word and a Q word', async () => {
    const cc = (await plain('split-encoded-words.eml')).cc;
    expect(Array.isArray(cc) ? cc[0]?.text : cc?.text).toContain('\ufffd');
  });

  it('gives "now" for an unreadable Date, and no text for HTML nested in multipart/mixed', async () => {
    const before = Date.now();
    const date = (await simpleParser(Buffer.from('Date: someday\r\n\r\nhi'))).date;
    expect(date?.getTime()).toBeGreaterThanOrEqual(before);
    expect((await plain('html-only-gb2312.eml')).text).toBeUndefined();
  });
});
