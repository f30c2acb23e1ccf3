import { type Kysely, sql } from 'kysely';
import { foldForSearch } from '../../modules/contacts/search-text.js';

// A list's members paged and searched by address, name or company (issue 21, decision 0068): the
// folded search text of each member (SQLite's lower() folds ASCII only, so "Müller" is folded in
// JavaScript, as contacts' is), filled for the members already there. Expand-only: the column is
// nullable, and a member an old node inserts without it is still found by its address.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaign_list_members').addColumn('search_text', 'text').execute();
  let after = { list: '', address: '' };
  for (;;) {
    const rows = await sql<{ list_id: string; address: string; name: string | null; company: string | null }>`
      SELECT list_id, address, name, company FROM campaign_list_members
      WHERE list_id > ${after.list} OR (list_id = ${after.list} AND address > ${after.address})
      ORDER BY list_id, address LIMIT 500`.execute(db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) {
      const text = foldForSearch([r.address, r.name ?? '', r.company ?? ''].join(' '));
      await sql`UPDATE campaign_list_members SET search_text = ${text} WHERE list_id = ${r.list_id} AND address = ${r.address}`.execute(db);
    }
    const last = rows.rows.at(-1);
    if (last) after = { list: last.list_id, address: last.address };
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaign_list_members').dropColumn('search_text').execute();
}
