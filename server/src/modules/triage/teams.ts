import type { Team, TeamRouting } from '@pier/contracts';
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { TeamsTable } from '../../db/tables/inbox.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy, systemActor } from '../audit/index.js';
import { clearTeamOfConversations } from '../conversations/index.js';
import { auditSettings, checkLead, type TeamSettings } from './team-settings.js';

type Trx = Transaction<Database>;

const teamColumns = ['id', 'name', 'lead_id', 'routing', 'open_cap', 'escalate_after_hours'] as const;
type TeamRow = Pick<Selectable<TeamsTable>, (typeof teamColumns)[number]>;
type MemberRow = { team_id: string; user_id: string; away: number };

function toTeam(t: TeamRow, members: MemberRow[]): Team {
  const own = members.filter((m) => m.team_id === t.id);
  return {
    id: t.id,
    name: t.name,
    memberIds: own.map((m) => m.user_id),
    awayIds: own.filter((m) => m.away === 1).map((m) => m.user_id),
    leadId: t.lead_id,
    routing: t.routing,
    openCap: t.open_cap,
    escalateAfterHours: t.escalate_after_hours,
  };
}

export async function listTeams(db: Kysely<Database>): Promise<Team[]> {
  const [teams, members] = await Promise.all([
    db.selectFrom('teams').select(teamColumns).orderBy('name').execute(),
    db.selectFrom('team_members').select(['team_id', 'user_id', 'away']).orderBy('user_id').execute(),
  ]);
  return teams.map((t) => toTeam(t, members));
}

async function loadTeam(trx: Trx, teamId: string): Promise<Team> {
  const team = await trx.selectFrom('teams').select(teamColumns).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw new AppError('team.not_found', 404, 'no such team');
  const members = await trx
    .selectFrom('team_members')
    .select(['team_id', 'user_id', 'away'])
    .where('team_id', '=', teamId)
    .orderBy('user_id')
    .execute();
  return toTeam(team, members);
}

/** The members' emails, for audit details (an id alone says nothing once the account is gone). */
async function knownMembers(trx: Trx, memberIds: string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const rows = await trx.selectFrom('users').select(['id', 'email']).where('id', 'in', memberIds).execute();
  if (rows.length !== memberIds.length) throw new AppError('request.invalid', 400, 'a team member does not exist');
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** One record per member added or removed: who, to or from which team (membership changes of the quarterly report). */
async function auditMembers(
  trx: Trx,
  actor: AuditActor,
  team: { id: string; name: string },
  change: 'added' | 'removed',
  members: Map<string, string>,
): Promise<void> {
  for (const [memberId, email] of members) {
    await recordAuditBy(trx, actor, {
      action: change === 'added' ? 'team.member_added' : 'team.member_removed',
      targetType: 'team',
      targetId: team.id,
      details: { team: team.name, memberId, member: email },
    });
  }
}

export async function createTeam(
  db: Kysely<Database>,
  input: { name: string; memberIds: string[] } & Partial<TeamSettings>,
  actor: AuditActor = systemActor,
): Promise<Team> {
  const id = newId();
  const memberIds = [...new Set(input.memberIds)];
  try {
    return await db.transaction().execute(async (trx) => {
      if (input.leadId) await checkLead(trx, input.leadId);
      await trx
        .insertInto('teams')
        .values({
          id,
          name: input.name,
          created_at: Date.now(),
          lead_id: input.leadId ?? null,
          routing: input.routing ?? 'manual',
          open_cap: input.openCap ?? null,
          ...(input.escalateAfterHours !== undefined ? { escalate_after_hours: input.escalateAfterHours } : {}),
        })
        .execute();
      const members = await knownMembers(trx, memberIds);
      if (memberIds.length > 0) {
        await trx
          .insertInto('team_members')
          .values(memberIds.map((user_id) => ({ team_id: id, user_id })))
          .execute();
      }
      await recordAuditBy(trx, actor, {
        action: 'team.created',
        targetType: 'team',
        targetId: id,
        details: { name: input.name, members: [...members.values()].sort() },
      });
      await auditMembers(trx, actor, { id, name: input.name }, 'added', members);
      const made = await loadTeam(trx, id);
      await auditSettings(trx, actor, made, { ...made, leadId: null, routing: 'manual', openCap: null, escalateAfterHours: 4 });
      return made;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('team.name_taken', 409, 'a team with this name exists');
    throw error;
  }
}

/**
 * Renames a team, sets its member list, lead, routing, cap or escalation. Each effective change is
 * an audit record in the same transaction: `team.renamed` (before/after), one `team.member_added` /
 * `team.member_removed` per person, `team.lead_changed`, `team.settings_changed` (before/after of
 * routing, cap, escalation). Nothing changed, nothing recorded.
 */
export async function updateTeam(
  db: Kysely<Database>,
  teamId: string,
  input: { name?: string | undefined; memberIds?: string[] | undefined } & { [K in keyof TeamSettings]?: TeamSettings[K] | undefined },
  actor: AuditActor,
): Promise<Team> {
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await loadTeam(trx, teamId);
      const team = { id: before.id, name: before.name };
      const name = input.name ?? team.name;
      if (name !== team.name) {
        await trx.updateTable('teams').set({ name }).where('id', '=', teamId).execute();
        await recordAuditBy(trx, actor, {
          action: 'team.renamed',
          targetType: 'team',
          targetId: teamId,
          details: { before: team.name, after: name },
        });
      }
      const current = (await trx.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute()).map(
        (m) => m.user_id,
      );
      const wanted = input.memberIds === undefined ? current : [...new Set(input.memberIds)];
      const added = wanted.filter((id) => !current.includes(id));
      const removed = current.filter((id) => !wanted.includes(id));
      const addedMembers = await knownMembers(trx, added);
      const removedMembers = removed.length
        ? new Map((await trx.selectFrom('users').select(['id', 'email']).where('id', 'in', removed).execute()).map((r) => [r.id, r.email]))
        : new Map<string, string>();
      if (added.length > 0) {
        await trx
          .insertInto('team_members')
          .values(added.map((user_id) => ({ team_id: teamId, user_id })))
          .execute();
      }
      if (removed.length > 0) {
        await trx.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', 'in', removed).execute();
      }
      await auditMembers(trx, actor, { id: teamId, name }, 'added', addedMembers);
      await auditMembers(trx, actor, { id: teamId, name }, 'removed', removedMembers);
      const settings: Updateable<TeamsTable> = {};
      if (input.leadId !== undefined && input.leadId !== before.leadId) {
        if (input.leadId) await checkLead(trx, input.leadId);
        settings.lead_id = input.leadId;
      }
      if (input.routing !== undefined) settings.routing = input.routing satisfies TeamRouting;
      if (input.openCap !== undefined) settings.open_cap = input.openCap;
      if (input.escalateAfterHours !== undefined) settings.escalate_after_hours = input.escalateAfterHours;
      if (Object.keys(settings).length > 0) await trx.updateTable('teams').set(settings).where('id', '=', teamId).execute();
      const after = await loadTeam(trx, teamId);
      await auditSettings(trx, actor, after, before);
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('team.name_taken', 409, 'a team with this name exists');
    throw error;
  }
}

/**
 * Deletes a team: its memberships go, its open and closed conversations stay and simply belong
 * to no team any more. One audit record names the team, its members and how many conversations
 * it held.
 */
export async function deleteTeam(db: Kysely<Database>, teamId: string, actor: AuditActor): Promise<{ conversations: number }> {
  return db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new AppError('team.not_found', 404, 'no such team');
    const members = await trx
      .selectFrom('team_members as tm')
      .innerJoin('users as u', 'u.id', 'tm.user_id')
      .select('u.email')
      .where('tm.team_id', '=', teamId)
      .orderBy('u.email')
      .execute();
    const conversations = await clearTeamOfConversations(trx, teamId);
    await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    await trx.deleteFrom('teams').where('id', '=', teamId).execute();
    await recordAuditBy(trx, actor, {
      action: 'team.deleted',
      targetType: 'team',
      targetId: teamId,
      details: { name: team.name, members: members.map((m) => m.email), conversations },
    });
    return { conversations };
  });
}

/** Who leads a team (the SLA's breach notices and escalations go there too): its lead, when one is set. */
export async function leadsOfTeam(db: Kysely<Database>, teamId: string): Promise<string[]> {
  const row = await db.selectFrom('teams').select('lead_id').where('id', '=', teamId).executeTakeFirst();
  return row?.lead_id ? [row.lead_id] : [];
}
