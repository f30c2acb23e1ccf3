import type { CustomerPoolSettings } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { type AuditActor, recordAudit, recordAuditBy } from '../audit/index.js';
import { notify } from '../notifications/index.js';
import { changeOwner } from './customer-ownership.js';

const KEY = 'customers.pool';
const DAY = 86_400_000;
export const CUSTOMER_POOL_JOB = 'customers.pool-sweep';
export const defaultPoolSettings: CustomerPoolSettings = { enabled: false, days: 90, noticeDays: 7 };

export async function poolSettings(db: Kysely<Database>): Promise<CustomerPoolSettings> {
  const raw = await readSetting(db, KEY);
  if (!raw) return defaultPoolSettings;
  try {
    return { ...defaultPoolSettings, ...(JSON.parse(raw) as Partial<CustomerPoolSettings>) };
  } catch {
    return defaultPoolSettings;
  }
}

export async function savePoolSettings(db: Kysely<Database>, settings: CustomerPoolSettings, audit: AuditActor): Promise<void> {
  const noticeDays = Math.min(settings.noticeDays, settings.days - 1);
  await db.transaction().execute(async (trx) => {
    await writeSetting(trx, KEY, JSON.stringify({ ...settings, noticeDays }));
    await recordAuditBy(trx, audit, {
      action: 'customer.pool_settings_changed',
      targetType: 'workspace',
      details: { ...settings, noticeDays },
    });
  });
}

/**
 * The pool sweep (公海, decision 0048), run by the worker every hour on the server's clock: an
 * owned contact without mail (its own or a merged duplicate's) for `days - noticeDays` days gets
 * a notice to its owner once; if still nothing came `noticeDays` after the notice, it returns to
 * the pool (owner history, audit, a second notice). Mail after the notice cancels it.
 */
export async function sweepCustomerPool(db: Kysely<Database>, now: number): Promise<{ noticed: number; returned: number; kept: number }> {
  const settings = await poolSettings(db);
  const out = { noticed: 0, returned: 0, kept: 0 };
  if (!settings.enabled) return out;
  const owned = await db
    .selectFrom('contacts')
    .select(['id', 'address', 'owner_id', 'owned_since', 'last_seen_at', 'pool_notice_at'])
    .where('owner_id', 'is not', null)
    .where('merged_into_id', 'is', null)
    .execute();
  if (owned.length === 0) return out;
  const dupLast = new Map<string, number>();
  const dups = await db
    .selectFrom('contacts')
    .select((eb) => ['merged_into_id', eb.fn.max('last_seen_at').as('last')])
    .where('merged_into_id', 'is not', null)
    .groupBy('merged_into_id')
    .execute();
  for (const d of dups) if (d.merged_into_id) dupLast.set(d.merged_into_id, Number(d.last));
  const noticeAfter = (settings.days - settings.noticeDays) * DAY;
  for (const c of owned) {
    const lastContact = Math.max(Number(c.last_seen_at), Number(c.owned_since ?? 0), dupLast.get(c.id) ?? 0);
    const owner = c.owner_id as string;
    const noticeAt = c.pool_notice_at === null ? null : Number(c.pool_notice_at);
    if (noticeAt !== null && lastContact > noticeAt) {
      await db.updateTable('contacts').set({ pool_notice_at: null }).where('id', '=', c.id).execute();
      out.kept++;
      continue;
    }
    if (noticeAt === null && now - lastContact >= noticeAfter) {
      await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('contacts')
          .set({ pool_notice_at: now })
          .where('id', '=', c.id)
          .where('pool_notice_at', 'is', null)
          .where('owner_id', '=', owner)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return;
        await notify(trx, {
          userId: owner,
          kind: 'customer_pool_notice',
          data: { contactId: c.id, address: c.address, returnsAt: now + settings.noticeDays * DAY, days: settings.days },
        });
        out.noticed++;
      });
      continue;
    }
    if (noticeAt !== null && now - noticeAt >= settings.noticeDays * DAY) {
      await db.transaction().execute(async (trx) => {
        const moved = await changeOwner(trx, { contactIds: [c.id], ownerId: null, reason: 'pool_return', actorId: null, at: now });
        if (moved === 0) return;
        await recordAudit(trx, {
          actorId: null,
          action: 'customer.returned_to_pool',
          targetType: 'contact',
          targetId: c.id,
          details: { owner, lastContact, days: settings.days, via: 'schedule' },
        });
        await notify(trx, { userId: owner, kind: 'customer_pool_returned', data: { contactId: c.id, address: c.address } });
        out.returned++;
      });
    }
  }
  return out;
}
