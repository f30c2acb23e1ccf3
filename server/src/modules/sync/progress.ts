import { type SyncProgress, SyncProgressSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';

/** How far the mailbox's history sync has come, over its folders (written with each batch's checkpoint). */
export async function syncProgressOf(db: Kysely<Database>, mailboxId: string, now: number): Promise<SyncProgress> {
  const folders = await db
    .selectFrom('folders')
    .select(['backlog_total', 'backlog_done', 'backlog_started_at'])
    .where('mailbox_id', '=', mailboxId)
    .where('backlog_total', '>', 0)
    .execute();
  const running = folders.filter((f) => Number(f.backlog_done) < Number(f.backlog_total));
  const counted = running.length > 0 ? running : folders;
  const done = counted.reduce((sum, f) => sum + Number(f.backlog_done), 0);
  const total = counted.reduce((sum, f) => sum + Number(f.backlog_total), 0);
  const starts = counted.map((f) => f.backlog_started_at).filter((t): t is number => t !== null);
  const startedAt = starts.length > 0 ? Math.min(...starts.map(Number)) : null;
  const minutes = startedAt !== null ? (now - startedAt) / 60_000 : 0;
  const perMinute = done > 0 && minutes > 0 ? Math.round(done / minutes) : null;
  const secondsLeft = running.length > 0 && perMinute ? Math.round(((total - done) / perMinute) * 60) : running.length > 0 ? null : 0;
  return { inProgress: running.length > 0, done, total, startedAt, perMinute, secondsLeft };
}

/** `GET /api/mailboxes/:id/sync-progress`: for everyone who may read the mailbox ("12,400 of 20,000 mails"). */
export const syncProgressRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; now?: () => number }> = async (app, deps) => {
  app.get(
    '/api/mailboxes/:id/sync-progress',
    {
      config: { access: { mailbox: { level: 'read', idFrom: (request) => (request.params as { id?: string }).id } } },
      schema: { params: z.object({ id: z.string().min(1).max(64) }), response: { 200: SyncProgressSchema } },
    },
    async (request) => syncProgressOf(deps.db, request.params.id, deps.now?.() ?? Date.now()),
  );
};
