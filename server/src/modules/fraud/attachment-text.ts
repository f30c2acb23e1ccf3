import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import yauzl from 'yauzl';

/**
 * Text of PDF and DOCX attachments for the fraud signals (payment-change words, bank
 * identifiers, urgency): a compromised partner often writes one line and puts the new account
 * in the attached invoice.
 *
 * A hostile document must not hang or exhaust the process that assesses mail, so each one is
 * read on a throwaway worker thread (`unpdf` — PDF.js — for PDF, `mammoth` for DOCX) with a
 * wall-clock timeout (the thread is terminated) and a heap limit, after cheap checks on the
 * main thread: size, encryption (never opened: a PDF with an /Encrypt dictionary, an OOXML file
 * in an encrypted CFB container, a ZIP with encrypted entries), and the unpacked size of the
 * DOCX body (ZIP bombs). Only the first pages and characters are kept.
 *
 * The text is not stored: it is read again whenever the mail is assessed (once per mail by the
 * `fraud.assess` job, and by `pier fraud check`).
 */
export type DocumentKind = 'pdf' | 'docx';

export type AttachmentTextStatus = 'ok' | 'encrypted' | 'too_large' | 'timeout' | 'failed';

export type AttachmentTextResult = {
  filename: string;
  kind: DocumentKind;
  status: AttachmentTextStatus;
  /** Whitespace-collapsed, NFKC-normalised, at most `maxChars`; empty unless `status` is `ok`. */
  text: string;
};

export type AttachmentTextLimits = {
  /** Larger files are not opened. */
  maxBytes: number;
  /** PDF pages read (the first ones). */
  maxPages: number;
  /** Characters kept per document. */
  maxChars: number;
  /** Wall-clock time for one document; the worker thread is terminated after it. */
  timeoutMs: number;
  /** Unpacked size of a DOCX's entries, all together. */
  maxUnpackedBytes: number;
  /** Heap of the worker thread. */
  maxHeapMb: number;
  /** Documents read per mail (the first ones). */
  maxDocuments: number;
};

export const ATTACHMENT_TEXT_LIMITS: AttachmentTextLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPages: 20,
  maxChars: 100_000,
  timeoutMs: 10_000,
  maxUnpackedBytes: 30 * 1024 * 1024,
  maxHeapMb: 256,
  maxDocuments: 5,
};

const PDF_MAGIC = Buffer.from('%PDF-');
const ZIP_MAGIC = 0x04034b50;
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const DOCX_NAME = /\.docx$/i;
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Whether an attachment is a document whose text we read, by its bytes (and, for DOCX, its name or type). */
export function documentKind(a: { filename: string; mime: string; content: Buffer | null }): DocumentKind | null {
  const content = a.content;
  if (!content || content.length < 8) return null;
  // PDF readers accept the header anywhere in the first 1024 bytes.
  if (content.subarray(0, 1024).includes(PDF_MAGIC)) return 'pdf';
  const wordLike = DOCX_NAME.test(a.filename) || a.mime.toLowerCase() === DOCX_MIME;
  if (wordLike && (content.readUInt32LE(0) === ZIP_MAGIC || content.subarray(0, 8).equals(CFB_MAGIC))) return 'docx';
  return null;
}

/** Reads the text of every PDF/DOCX attachment (the first `maxDocuments`), one after the other. */
export async function attachmentTexts(
  attachments: { filename: string; mime: string; content: Buffer | null }[],
  limits: AttachmentTextLimits = ATTACHMENT_TEXT_LIMITS,
): Promise<AttachmentTextResult[]> {
  const results: AttachmentTextResult[] = [];
  for (const a of attachments) {
    if (results.length >= limits.maxDocuments) break;
    const kind = documentKind(a);
    if (!kind || !a.content) continue;
    results.push(await extractDocumentText(a.filename, kind, a.content, limits));
  }
  return results;
}

export async function extractDocumentText(
  filename: string,
  kind: DocumentKind,
  content: Buffer,
  limits: AttachmentTextLimits = ATTACHMENT_TEXT_LIMITS,
): Promise<AttachmentTextResult> {
  const result = (status: AttachmentTextStatus, text = ''): AttachmentTextResult => ({ filename, kind, status, text });
  if (content.length > limits.maxBytes) return result('too_large');
  if (kind === 'pdf') {
    // The encryption dictionary is named in the trailer or the xref stream's dictionary, which
    // are never compressed. Owner-password-only PDFs would open, but we do not read them either.
    if (content.includes('/Encrypt')) return result('encrypted');
  } else {
    if (content.subarray(0, 8).equals(CFB_MAGIC)) return result('encrypted');
    const zip = await zipFacts(content);
    if (zip === null) return result('failed');
    if (zip.encrypted) return result('encrypted');
    if (zip.unpackedBytes > limits.maxUnpackedBytes) return result('too_large');
  }
  const outcome = await runWorker(kind, content, limits);
  if (outcome.status !== 'ok') return result(outcome.status);
  return result('ok', tidy(outcome.text, limits.maxChars));
}

function tidy(text: string, maxChars: number): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().slice(0, maxChars);
}

/**
 * Entry sizes as declared in the central directory, and whether any entry is encrypted; null
 * when unreadable. A ZIP that lies about its sizes is stopped by the worker's heap limit.
 */
function zipFacts(content: Buffer): Promise<{ unpackedBytes: number; encrypted: boolean } | null> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) return resolve(null);
      let unpackedBytes = 0;
      let encrypted = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        unpackedBytes += entry.uncompressedSize;
        if (entry.isEncrypted()) encrypted = true;
        zip.readEntry();
      });
      zip.on('end', () => resolve({ unpackedBytes, encrypted }));
      zip.on('error', () => resolve(null));
      zip.readEntry();
    });
  });
}

const require = createRequire(import.meta.url);
let libraryPaths: { unpdf: string; mammoth: string } | undefined;

/**
 * The worker's code, as a CommonJS script (it runs the same from the TypeScript sources in
 * tests and from dist). It only calls the libraries; every limit is applied by the caller.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { kind, content, maxPages, maxChars, paths } = workerData;
  try {
    let text = '';
    if (kind === 'pdf') {
      const { getDocumentProxy } = require(paths.unpdf);
      const pdf = await getDocumentProxy(new Uint8Array(content), { isEvalSupported: false, stopAtErrors: false });
      const pages = Math.min(pdf.numPages, maxPages);
      for (let n = 1; n <= pages && text.length < maxChars; n++) {
        const page = await pdf.getPage(n);
        const items = (await page.getTextContent()).items;
        for (const item of items) if (typeof item.str === 'string') text += item.str + (item.hasEOL ? '\\n' : ' ');
        text += '\\n';
        page.cleanup();
      }
      await pdf.destroy();
    } else {
      const mammoth = require(paths.mammoth);
      text = (await mammoth.extractRawText({ buffer: Buffer.from(content) })).value;
    }
    parentPort.postMessage({ status: 'ok', text: text.slice(0, maxChars * 2) });
  } catch (error) {
    parentPort.postMessage({ status: error && error.name === 'PasswordException' ? 'encrypted' : 'failed', text: '' });
  }
})();
`;

type WorkerReply = { status: 'ok' | 'encrypted' | 'failed'; text: string };

function runWorker(
  kind: DocumentKind,
  content: Buffer,
  limits: AttachmentTextLimits,
): Promise<{ status: AttachmentTextStatus; text: string }> {
  libraryPaths ??= { unpdf: require.resolve('unpdf'), mammoth: require.resolve('mammoth') };
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { kind, content, maxPages: limits.maxPages, maxChars: limits.maxChars, paths: libraryPaths },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    // PDF.js warns on stdout about odd fonts and broken objects: that is the mail's content, not our log.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (outcome: { status: AttachmentTextStatus; text: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish({ status: 'timeout', text: '' }), limits.timeoutMs);
    worker.on('message', (reply: WorkerReply) => finish(reply));
    worker.on('error', () => finish({ status: 'failed', text: '' }));
    worker.on('exit', () => finish({ status: 'failed', text: '' }));
  });
}
