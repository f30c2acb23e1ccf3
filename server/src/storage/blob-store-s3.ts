import { readFile, rm } from 'node:fs/promises';
import { AwsClient } from 'aws4fetch';
import { XMLParser } from 'fast-xml-parser';
import { openBlobSpool } from './blob-spool.js';
import { type BlobStore, type BlobWriter, sha256Hex } from './blob-store.js';

/** Where an S3-compatible bucket is and how to sign for it (PIER_BLOB_S3_*, decision 0057). */
export type S3BlobSettings = {
  kind: 's3';
  /** http(s)://host[:port] of the S3 API (AWS, MinIO, Ceph RGW, Garage, ...). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to every key (`pier/` puts the blobs under pier/ab/<sha256>); '' for none. */
  prefix: string;
  /** http://host/bucket/key (MinIO and most self-hosted servers) instead of http://bucket.host/key. */
  pathStyle: boolean;
  /** A local folder for mail that is streamed in before it is uploaded (openWriter). */
  spoolDir: string;
};

export type S3BlobStore = BlobStore & {
  /** Every stored blob's SHA-256 (ListObjectsV2, page by page): for `pier doctor` and backups, not request paths. */
  list(options?: { pageSize?: number }): AsyncGenerator<string>;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The SDKs' default: a few retries of 5xx/429 with growing, jittered waits. */
const RETRIES = 4;
/** Blobs above this size are looked for (HEAD) before they are uploaded. */
const HEAD_FIRST_BYTES = 256 * 1024;
/** Uploads in flight per store: a sync batch of hundreds of mails opens at most this many connections. */
const MAX_UPLOADS = 16;

/**
 * The blob store on S3-compatible object storage, for nodes that share no disk. Same contract as
 * the filesystem store: a blob's key is its SHA-256, so a retried upload, or two nodes uploading
 * the same mail, write the same bytes under the same name. `put` resolves only once the server
 * answered the PUT with 200, which S3 gives only after the object is stored durably: the rows
 * naming a blob are committed after that, never before. The PUT carries the body's SHA-256
 * (x-amz-content-sha256), so the server refuses bytes damaged on the way.
 */
export function createS3BlobStore(settings: S3BlobSettings): S3BlobStore {
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    service: 's3',
    region: settings.region,
    retries: RETRIES,
  });
  const endpoint = new URL(settings.endpoint);
  const base = settings.pathStyle
    ? `${endpoint.origin}${endpoint.pathname.replace(/\/$/, '')}/${encodeURIComponent(settings.bucket)}`
    : `${endpoint.protocol}//${settings.bucket}.${endpoint.host}${endpoint.pathname.replace(/\/$/, '')}`;
  const keyOf = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return `${settings.prefix}${sha256.slice(0, 2)}/${sha256}`;
  };
  const urlOf = (key: string) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const where = `s3://${settings.bucket}/${settings.prefix}`;
  // Bucket-level requests go to `/bucket?…`, not `/bucket/?…`: both are S3, and s3rver (the test
  // bench's server) signs only the first correctly.

  const request = async (method: string, url: string, init: { headers?: Record<string, string>; body?: Buffer } = {}) => {
    try {
      const body = init.body && new Uint8Array(init.body.buffer as ArrayBuffer, init.body.byteOffset, init.body.byteLength);
      return await client.fetch(url, { method, headers: init.headers, body });
    } catch (error) {
      // fetch's own message is "fetch failed"; the cause (ECONNREFUSED, a TLS error) is what helps.
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new Error(`S3 ${method} ${where} failed: ${cause ?? (error as Error).message}`);
    }
  };
  const fail = async (response: Response, what: string): Promise<never> => {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
    throw new Error(`S3 ${what} in ${where}: HTTP ${response.status}${code ? ` ${code}` : ''}`);
  };
  const head = async (sha256: string) => {
    const response = await request('HEAD', urlOf(keyOf(sha256)));
    if (response.status === 404) return false;
    if (!response.ok) await fail(response, `HEAD ${sha256}`);
    return true;
  };
  let uploading = 0;
  const waiting: (() => void)[] = [];
  const upload = async (sha256: string, bytes: Buffer) => {
    // A slot is handed straight to the next waiter, so no newcomer slips past the limit.
    if (uploading < MAX_UPLOADS) uploading++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      await uploadNow(sha256, bytes);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else uploading--;
    }
  };
  const uploadNow = async (sha256: string, bytes: Buffer) => {
    // Already there (a second node, a retry after a lost answer): a large blob is not sent again.
    // A small one is simply PUT again (same key, same bytes): one request instead of two.
    if (bytes.length > HEAD_FIRST_BYTES && (await head(sha256))) return;
    const response = await request('PUT', urlOf(keyOf(sha256)), {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'x-amz-content-sha256': sha256 },
    });
    if (!response.ok) await fail(response, `PUT ${sha256}`);
    await response.arrayBuffer(); // drain, so the connection goes back to the pool
  };

  /**
   * Non-durable puts (bulk sync) upload in the background; `flush()` waits for all of them and
   * fails if any failed, so the caller commits no row naming a blob that is not stored.
   */
  let pending: Promise<void>[] = [];
  let failures: Error[] = [];

  return {
    root: where,
    async put(bytes, options = {}) {
      const sha256 = sha256Hex(bytes);
      if (options.durable ?? true) await upload(sha256, bytes);
      else {
        const job = upload(sha256, bytes).catch((error: Error) => void failures.push(error));
        pending.push(job);
      }
      return { sha256, size: bytes.length };
    },
    openWriter(): BlobWriter {
      // Spooled to a local file as it arrives; uploaded once whole.
      const spool = openBlobSpool(settings.spoolDir);
      return {
        write: (chunk) => spool.write(chunk),
        async commit() {
          const { sha256, size, file } = await spool.close({ sync: false });
          try {
            await upload(sha256, await readFile(file));
          } finally {
            await rm(file, { force: true });
          }
          return { sha256, size };
        },
        abort: () => spool.abort(),
      };
    },
    async flush() {
      const jobs = pending;
      pending = [];
      await Promise.all(jobs);
      const failed = failures;
      failures = [];
      if (failed.length > 0) throw failed[0];
    },
    async get(sha256) {
      const response = await request('GET', urlOf(keyOf(sha256)));
      if (response.status === 404) {
        await response.arrayBuffer();
        throw Object.assign(new Error(`blob ${sha256} is not in ${where}`), { code: 'ENOENT' });
      }
      if (!response.ok) await fail(response, `GET ${sha256}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      // What came back is what was stored: the name is the checksum.
      if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} in ${where} does not match its SHA-256`);
      return bytes;
    },
    has: head,
    async check() {
      try {
        // HeadBucket: the bucket exists and these keys may use it.
        const response = await request('HEAD', base);
        if (!response.ok) await fail(response, 'bucket check');
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async *list(options = {}) {
      const parser = new XMLParser({ isArray: (name) => name === 'Contents' });
      // ListObjects (v1), paged by marker = the last key seen: every S3-compatible server has it.
      // Not V2: s3rver makes V2's continuation tokens with DES, which Node's OpenSSL 3 lacks.
      let after: string | undefined;
      do {
        const query = new URLSearchParams({ prefix: settings.prefix });
        if (options.pageSize) query.set('max-keys', String(options.pageSize));
        if (after) query.set('marker', after);
        const response = await request('GET', `${base}?${query}`);
        if (!response.ok) await fail(response, 'list');
        const page = parser.parse(await response.text()).ListBucketResult ?? {};
        const keys = ((page.Contents ?? []) as { Key: unknown }[]).map((item) => String(item.Key));
        for (const key of keys) {
          const name = key.slice(settings.prefix.length);
          if (/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(name) && name.slice(3, 5) === name.slice(0, 2)) yield name.slice(3);
        }
        after = String(page.IsTruncated) === 'true' ? keys.at(-1) : undefined;
      } while (after);
    },
  };
}
