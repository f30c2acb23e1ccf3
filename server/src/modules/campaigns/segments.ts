import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import type { ContactSegment } from '../contacts/index.js';
import { findListById, findListByName } from './lists.js';

/**
 * Editing and deleting a saved segment (decision 0060). A segment is read each time a campaign is
 * queued, and a queued campaign keeps its own recipient rows, so a change never alters mail already
 * queued; deleting is refused while a campaign that went to it still sends (or is paused), so its
 * report keeps naming the segment it went to. Static lists are not deleted here: their members carry
 * the consent records.
 */
async function segmentOf(db: Kysely<Database> | Transaction<Database>, id: string): Promise<CampaignListsTable> {
  const list = await findListById(db, id);
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  if (list.kind !== 'segment') throw new AppError('campaign.list_not_segment', 409, 'only a segment is edited or deleted here');
  return list;
}

/** Renames a segment and/or replaces its rules; the name stays unique among lists and segments. Audited with before/after. */
export async function updateSegment(
  db: Kysely<Database>,
  input: { id: string; name?: string | undefined; segment?: ContactSegment | undefined; actor: AuditActor; now: number },
): Promise<CampaignListsTable> {
  return db.transaction().execute(async (trx) => {
    const list = await segmentOf(trx, input.id);
    const name = input.name === undefined ? list.name : input.name.trim();
    if (!name || name.length > 120) throw new AppError('request.invalid', 400, 'a segment needs a name (up to 120 characters)');
    if (name !== list.name) {
      const other = await findListByName(trx, name);
      if (other && other.id !== list.id) throw new AppError('campaign.list_exists', 409, `a list named ${name} exists`);
    }
    const segmentJson = input.segment === undefined ? list.segment_json : JSON.stringify(input.segment);
    await trx.updateTable('campaign_lists').set({ name, segment_json: segmentJson }).where('id', '=', list.id).execute();
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.segment_updated',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: null,
      details: {
        before: { name: list.name, segment: JSON.parse(list.segment_json ?? '{}') },
        after: { name, segment: JSON.parse(segmentJson ?? '{}') },
      },
    });
    return { ...list, name, segment_json: segmentJson };
  });
}

/** Deletes a segment, refused (409, naming the campaigns) while a sending or paused campaign goes to it. Audited. */
export async function deleteSegment(db: Kysely<Database>, input: { id: string; actor: AuditActor }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const list = await segmentOf(trx, input.id);
    const busy = await trx
      .selectFrom('campaigns')
      .select(['id', 'subject', 'state'])
      .where('list_id', '=', list.id)
      .where('state', 'in', ['sending', 'paused'])
      .orderBy('created_at')
      .execute();
    if (busy.length > 0) {
      const names = busy.map((c) => `“${c.subject}” (${c.state})`).join(', ');
      throw new AppError(
        'campaign.segment_in_use',
        409,
        `the segment ${list.name} cannot be deleted while ${busy.length === 1 ? 'a campaign goes' : `${busy.length} campaigns go`} to it: ${names}. Wait until it is done.`,
        { name: list.name, campaigns: busy.map((c) => `“${c.subject}”`).join(', ') },
      );
    }
    await trx.deleteFrom('campaign_lists').where('id', '=', list.id).execute();
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.segment_deleted',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: null,
      details: { name: list.name, segment: JSON.parse(list.segment_json ?? '{}') },
    });
  });
}
