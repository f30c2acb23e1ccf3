import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import yauzl from 'yauzl';

/**
 * Text of PDF and DOCX attachments for the fraud signals (payment-change words, bank
 * identifiers, urgency): a compromised partner often writes one line and puts the new account
 * in the attached invoice.
 *
 * A hostile document must not hang or exhaust the process that assesses mail, so documents are
 * read on a worker thread (`unpdf` — PDF.js — for PDF, `mammoth` for DOCX) with a heap limit and
 * a wall-clock timeout per document (on overrun the thread is terminated and replaced), after
 * cheap checks on the main thread: size, encryption (never opened: a PDF with an /Encrypt dictionary, an OOXML file
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

/**
 * The worker's code, as a CommonJS script (it runs the same from the TypeScript sources in
 * tests and from dist). It reads one document per message and only calls the libraries;
 * every limit is applied by the caller.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// PDF.js warns on the console about odd fonts and broken objects: that is the mail's content, not
// our log — and \`pier fraud check\` prints its JSON lines on stdout.
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[level] = () => {};
process.stdout.write = process.stderr.write = () => true;
const { getDocumentProxy } = require(workerData.unpdf);
const mammoth = require(workerData.mammoth);
async function read({ kind, content, maxPages, maxChars }) {
  let text = '';
  if (kind === 'pdf') {
    const pdf = await getDocumentProxy(new Uint8Array(content), { isEvalSupported: false, stopAtErrors: false });
    try {
      const pages = Math.min(pdf.numPages, maxPages);
      for (let n = 1; n <= pages && text.length < maxChars; n++) {
        const page = await pdf.getPage(n);
        const items = (await page.getTextContent()).items;
        for (const item of items) if (typeof item.str === 'string') text += item.str + (item.hasEOL ? '\\n' : ' ');
        text += '\\n';
        page.cleanup();
      }
    } finally {
      await pdf.destroy();
    }
  } else {
    text = (await mammoth.extractRawText({ buffer: Buffer.from(content) })).value;
  }
  return text.slice(0, maxChars * 2);
}
parentPort.on('message', async (job) => {
  try {
    parentPort.postMessage({ id: job.id, status: 'ok', text: await read(job) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, status: error && error.name === 'PasswordException' ? 'encrypted' : 'failed', text: '' });
  }
});
`;

type WorkerReply = { id: number; status: 'ok' | 'encrypted' | 'failed'; text: string };

/**
 * One reader thread, started on the first document and reused (starting one and loading PDF.js
 * costs more than reading a typical invoice). Documents are read one at a time; a document that
 * overruns the time limit or kills the thread (heap limit) ends it, and the next document
 * starts a fresh one. The thread does not keep the process alive and ends after a minute idle.
 */
const IDLE_MS = 60_000;
let reader: { worker: Worker; heapMb: number } | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextJob = 0;

function stopReader() {
  if (!reader) return;
  void reader.worker.terminate();
  reader = undefined;
}

function startReader(heapMb: number) {
  if (reader && reader.heapMb === heapMb) return reader.worker;
  stopReader();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { unpdf: require.resolve('unpdf'), mammoth: require.resolve('mammoth') },
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
    execArgv: [],
  });
  worker.unref();
  reader = { worker, heapMb };
  return worker;
}

function runWorker(
  kind: DocumentKind,
  content: Buffer,
  limits: AttachmentTextLimits,
): Promise<{ status: AttachmentTextStatus; text: string }> {
  const run = queue.then(() => readOnce(kind, content, limits));
  queue = run.catch(() => undefined);
  return run;
}

function readOnce(
  kind: DocumentKind,
  content: Buffer,
  limits: AttachmentTextLimits,
): Promise<{ status: AttachmentTextStatus; text: string }> {
  clearTimeout(idleTimer);
  const worker = startReader(limits.maxHeapMb);
  const id = ++nextJob;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: { status: AttachmentTextStatus; text: string }, broken: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // A 'message' listener holds the process open even after unref(): unref once it is removed.
      worker.unref();
      if (broken && reader?.worker === worker) stopReader();
      if (reader) {
        idleTimer = setTimeout(stopReader, IDLE_MS);
        idleTimer.unref();
      }
      resolve(outcome);
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.id === id) finish({ status: reply.status, text: reply.text }, false);
    };
    const onError = () => finish({ status: 'failed', text: '' }, true);
    const onExit = () => finish({ status: 'failed', text: '' }, true);
    const timer = setTimeout(() => finish({ status: 'timeout', text: '' }, true), limits.timeoutMs);
    worker.ref();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, kind, content, maxPages: limits.maxPages, maxChars: limits.maxChars });
  });
}
