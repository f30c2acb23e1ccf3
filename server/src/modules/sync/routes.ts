import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { IngestResult, PierMessageIds, RecordReopened, TeamActivityCheck } from '../conversations/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { importMailFiles } from './import-files.js';

const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;
const ImportResultSchema = z.object({
  new: z.number().int(),
  known: z.number().int(),
  failed: z.number().int(),
  failures: z.array(z.object({ file: z.string(), error: z.string() })),
});

/**
 * History import by upload: the body is one .mbox file (application/mbox) or
 * one .eml (message/rfc822). It is streamed to a temporary file, never held in
 * memory, and goes through the same ingest path as sync and the CLI.
 */
export const importRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  blobs: BlobStore;
  engine: Engine;
  messageIds: PierMessageIds;
  recordReopened: RecordReopened;
  teamActivity: TeamActivityCheck;
  onStored?: (results: IngestResult[]) => void;
}> = async (app, deps) => {
  app.addContentTypeParser(['application/mbox', 'message/rfc822', 'application/octet-stream'], (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/api/mailboxes/:id/import',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      config: {
        access: {
          roles: ['super_admin', 'admin'],
          mailbox: { level: 'manage', idFrom: (request: FastifyRequest) => (request.params as { id?: string }).id },
        },
      },
      schema: { params: z.object({ id: z.string().min(1).max(64) }), response: { 200: ImportResultSchema } },
    },
    async (request) => {
      const mailbox = await findMailboxById(deps.db, request.params.id);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      const body = request.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof body.pipe !== 'function') {
        throw new AppError('request.invalid', 415, 'send the file as application/mbox or message/rfc822');
      }
      const dir = await mkdtemp(path.join(tmpdir(), 'pier-import-'));
      const isMbox = request.headers['content-type']?.startsWith('application/mbox') ?? false;
      const file = path.join(dir, isMbox ? 'upload.mbox' : 'upload.eml');
      try {
        await pipeline(body, createWriteStream(file, { mode: 0o600 }));
        return await importMailFiles(deps, mailbox, [file]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
};
