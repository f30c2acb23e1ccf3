import PDFDocument from 'pdfkit';
import { makeZip } from './zip.js';

const FIXED_DATE = new Date(Date.UTC(2026, 0, 5, 9, 30, 0));

/**
 * A real PDF (pdfkit, standard Helvetica: Latin text) with one page per entry of `pages`.
 * `userPassword` encrypts it (RC4/AES, as pdfkit does). Used by the unit and integration tests;
 * scripts/fraud-fixtures/generate.mjs writes the fixture set's PDFs the same way.
 */
export function makePdf(pages: string[], options: { userPassword?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    info: { Title: 'Invoice', CreationDate: FIXED_DATE },
    ...(options.userPassword ? { userPassword: options.userPassword, ownerPassword: 'owner', pdfVersion: '1.7' as const } : {}),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  pages.forEach((text, i) => {
    if (i > 0) doc.addPage();
    doc.fontSize(11).text(text);
  });
  doc.end();
  return done;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal but complete DOCX (WordprocessingML package) with one paragraph per entry. */
export function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(p)}</w:t></w:r></w:p>`).join('');
  return makeZip([
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
      content: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    },
  ]);
}
