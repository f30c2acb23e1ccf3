import type { CreatedWebhook, Webhook, WebhookDelivery, WebhookEvent, WebhookInput } from '@pier/contracts';
import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../../db/tables/api.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import type { SecretBox } from '../security/index.js';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_MAX_ATTEMPTS } from './emit.js';
import { newWebhookSecret } from './sign.js';

type Db = Kysely<Database>;

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    enabled: row.enabled === 1,
    createdAt: Number(row.created_at),
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    event: row.event as WebhookEvent,
    state: row.state,
    attempts: row.attempts,
    responseCode: row.response_code,
    error: row.error,
    createdAt: Number(row.created_at),
    lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
    redeliveryOf: row.redelivery_of,
  };
}

async function hookRow(db: Db, id: string): Promise<Selectable<WebhooksTable>> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('webhook.not_found', 404, 'no such webhook');
  return row;
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return (await db.selectFrom('webhooks').selectAll().orderBy('created_at', 'asc').execute()).map(toWebhook);
}

/** A new hook with a new secret, sealed with the workspace key; the answer carries the secret. */
export async function createWebhook(db: Db, secrets: SecretBox, actor: AuditActor, input: Required<WebhookInput>): Promise<CreatedWebhook> {
  const secret = newWebhookSecret();
  const now = Date.now();
  const row = {
    id: newId(),
    name: input.name,
    url: input.url,
    events: JSON.stringify(input.events),
    secret_sealed: secrets.seal(secret),
    enabled: input.enabled ? 1 : 0,
    created_by: actor.actorId,
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('webhooks').values(row).execute();
    await recordAuditBy(trx, actor, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: row.id,
      details: { name: input.name, url: input.url, events: input.events },
    });
  });
  return { ...toWebhook(row), secret };
}

export async function updateWebhook(db: Db, actor: AuditActor, id: string, input: Required<WebhookInput>): Promise<Webhook> {
  const before = toWebhook(await hookRow(db, id));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      .set({
        name: input.name,
        url: input.url,
        events: JSON.stringify(input.events),
        enabled: input.enabled ? 1 : 0,
        updated_at: Date.now(),
      })
      .where('id', '=', id)
      .execute();
    await recordAuditBy(trx, actor, {
      action: 'webhook.changed',
      targetType: 'webhook',
      targetId: id,
      details: {
        before: { url: before.url, events: before.events, enabled: before.enabled },
        after: { url: input.url, events: input.events, enabled: input.enabled },
      },
    });
  });
  return toWebhook(await hookRow(db, id));
}

export async function deleteWebhook(db: Db, actor: AuditActor, id: string): Promise<void> {
  const before = await hookRow(db, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await trx.deleteFrom('webhooks').where('id', '=', id).execute();
    await recordAuditBy(trx, actor, { action: 'webhook.deleted', targetType: 'webhook', targetId: id, details: { url: before.url } });
  });
}

/** The secret again (step-up): a receiver being set up needs it, and showing it is audited. */
export async function revealWebhookSecret(db: Db, secrets: SecretBox, actor: AuditActor, id: string): Promise<string> {
  const row = await hookRow(db, id);
  await recordAuditBy(db, actor, { action: 'webhook.secret_shown', targetType: 'webhook', targetId: id });
  return secrets.open(row.secret_sealed);
}

/** The newest deliveries of a hook (the delivery log). */
export async function listDeliveries(db: Db, webhookId: string, limit = 50): Promise<WebhookDelivery[]> {
  await hookRow(db, webhookId);
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}

/** Sends a past delivery's body again as a new delivery (its own log row and tries). */
export async function redeliver(db: Db, actor: AuditActor, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  const original = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  if (!original) throw new AppError('webhook.delivery_not_found', 404, 'no such delivery of this webhook');
  const row = {
    ...original,
    id: newId(),
    state: 'pending' as const,
    attempts: 0,
    response_code: null,
    error: null,
    created_at: Date.now(),
    last_attempt_at: null,
    redelivery_of: original.id,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('webhook_deliveries').values(row).execute();
    await enqueueJob(trx, { name: WEBHOOK_DELIVER_JOB, payload: { deliveryId: row.id }, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
    await recordAuditBy(trx, actor, {
      action: 'webhook.redelivered',
      targetType: 'webhook',
      targetId: webhookId,
      details: { deliveryId: original.id, event: original.event },
    });
  });
  return toDelivery(row);
}
