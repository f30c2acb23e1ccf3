// A deterministic corpus of export-trade mail for benchmarks: English, UTF-8
// Chinese and Foxmail-style GBK mail, plain and HTML, 5–50 KB, a quarter with
// attachments, a third replies. Markers with known frequencies make search
// results checkable: "tungsten" and "钨钢刀" in ~1%, "shipment" in most,
// "报价" in about a third.
import iconv from 'iconv-lite';
import { prng } from './lib.mjs';

const en = (
  'please quote price delivery sample order invoice container payment terms FOB CIF Ningbo Shenzhen shipment packing ' +
  'carton pallet LED panel downlight driver warranty certificate CE RoHS inspection factory lead time discount quantity MOQ ' +
  'specification drawing tolerance aluminium stainless steel coating voltage lumen customs forwarder booking vessel'
).split(' ');
const zh =
  '您好 请 报价 样品 付款 发货 订单 发票 集装箱 交货期 包装 纸箱 托盘 质检 工厂 认证 保修 数量 折扣 图纸 公差 铝材 不锈钢 电压 流明 报关 货代 订舱 船期'.split(
    ' ',
  );
const companies = [
  'globex',
  'initech',
  'hanse-licht',
  'sol-y-luz',
  'nordlicht',
  'lumiere',
  'brightway',
  'casa-luz',
  'ozon-tech',
  'kangaroo-lighting',
];
const tlds = ['es', 'de', 'fr', 'com.au', 'it', 'co.uk', 'com', 'ru', 'com.br', 'nl'];

const b64 = (buf) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');

export function* corpus(count, seed = 42) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  for (let i = 0; i < count; i++) {
    const kind = rand();
    const company = pick(companies);
    const from = `buyer${i % 50}@${company}.${pick(tlds)}`;
    const size = 3000 + Math.floor(rand() * 24000);
    const isChinese = kind < 0.25;
    const isGbk = kind < 0.1;
    const words = [];
    let length = 0;
    while (length < size * (isChinese ? 0.35 : 0.9)) {
      const w = isChinese && rand() < 0.7 ? pick(zh) : pick(en);
      words.push(w);
      length += Buffer.byteLength(w) + 1;
    }
    if (rand() < 0.74) words.splice(Math.floor(rand() * words.length), 0, 'shipment');
    if (i % 100 === 7) words.splice(Math.floor(rand() * words.length), 0, 'tungsten');
    if (i % 100 === 13) words.splice(Math.floor(rand() * words.length), 0, '钨钢刀');
    if (rand() < 0.3) words.splice(Math.floor(rand() * words.length), 0, '报价');
    // English wrapped at word boundaries as mail clients do; Chinese clients (Foxmail) do not hard-wrap.
    const text = isChinese ? words.join('') : words.join(' ').replace(/(.{1,70})( |$)/g, '$1\n');
    const subjectText = `${isChinese ? '询价' : 'Inquiry'} ${pick(en)} #${i}`;
    const replyTo = i > 0 && rand() < 0.3 ? `<bench-${Math.floor(rand() * i)}@${company}.test>` : null;
    const headers = [
      `Message-ID: <bench-${i}@${company}.test>`,
      `From: Buyer ${i % 50} <${from}>`,
      'To: bench@acme.test',
      `Date: ${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString().replace('GMT', '+0000')}`,
      ...(replyTo ? [`In-Reply-To: ${replyTo}`, `References: ${replyTo}`] : []),
      'MIME-Version: 1.0',
    ];
    const hasAttachment = rand() < 0.25;
    let body;
    if (isGbk) {
      headers.push(`Subject: =?GBK?B?${iconv.encode(subjectText, 'gbk').toString('base64')}?=`, 'X-Mailer: Foxmail 7.2');
      const part = `Content-Type: text/plain; charset="GBK"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(iconv.encode(text, 'gbk'))}`;
      body = hasAttachment ? part : part;
    } else {
      headers.push(`Subject: ${isChinese ? `=?UTF-8?B?${Buffer.from(subjectText).toString('base64')}?=` : subjectText}`);
      body =
        rand() < 0.5
          ? `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(text))}`
          : `Content-Type: multipart/alternative; boundary="alt${i}"\r\n\r\n--alt${i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(text))}\r\n--alt${i}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(Buffer.from(`<html><body><p>${text.replace(/\n/g, '</p><p>')}</p></body></html>`))}\r\n--alt${i}--`;
    }
    if (hasAttachment) {
      const name = isGbk ? `=?GBK?B?${iconv.encode(`报价单${i}.pdf`, 'gbk').toString('base64')}?=` : `quotation-${i}.pdf`;
      const bytes = Buffer.alloc(1000 + Math.floor(rand() * 20000), i % 251);
      body = `Content-Type: multipart/mixed; boundary="mix${i}"\r\n\r\n--mix${i}\r\n${body}\r\n--mix${i}\r\nContent-Type: application/pdf; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(bytes)}\r\n--mix${i}--`;
    }
    yield Buffer.from(`${headers.join('\r\n')}\r\n${body}\r\n`);
  }
}
