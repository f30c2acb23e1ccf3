import type { Team } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';

export async function listTeams(db: Kysely<Database>): Promise<Team[]> {
  const [teams, members] = await Promise.all([
    db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute(),
    db.selectFrom('team_members').select(['team_id', 'user_id']).execute(),
  ]);
  return teams.map((t) => ({ id: t.id, name: t.name, memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id) }));
}

export async function createTeam(db: Kysely<Database>, input: { name: string; memberIds: string[] }): Promise<Team> {
  const id = newId();
  const memberIds = [...new Set(input.memberIds)];
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('teams').values({ id, name: input.name, created_at: Date.now() }).execute();
      if (memberIds.length > 0) {
        const known = await trx.selectFrom('users').select('id').where('id', 'in', memberIds).execute();
        if (known.length !== memberIds.length) throw new AppError('request.invalid', 400, 'a team member does not exist');
        await trx
          .insertInto('team_members')
          .values(memberIds.map((user_id) => ({ team_id: id, user_id })))
          .execute();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('team.name_taken', 409, 'a team with this name exists');
    throw error;
  }
  return { id, name: input.name, memberIds };
}
