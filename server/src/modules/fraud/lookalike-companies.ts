import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { companyDomainList, companyListVersion } from '../contacts/index.js';
import { type LookalikeIndex, lookalikeIndexOf } from './signals/lookalike-index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The look-alike index of the company list, kept per node (decision 0065): reading and normalising
 * every company for each mail cost 2.4 ms of CPU at 500 companies and 15 ms at 20,000. Each use
 * asks the database for the list's version first (contacts' companyListVersion: count and newest
 * id, one row), so a company added on this node or any other is in the next mail's index; only a
 * changed version reads the list again. Keyed by the version alone, which names one list of one
 * database (ids are UUIDv7), so several workspaces in one process do not mix. A few are kept:
 * tests and tools open more than one workspace.
 */
const indexes = new Map<string, LookalikeIndex>();
const KEPT = 4;

export async function companyLookalikeIndex(db: Db): Promise<LookalikeIndex> {
  const version = await companyListVersion(db);
  let index = indexes.get(version);
  if (index) {
    indexes.delete(version);
  } else {
    // Read after the version: at least as new as it says, so never older than what it names.
    index = lookalikeIndexOf(await companyDomainList(db));
    if (indexes.size >= KEPT) indexes.delete(indexes.keys().next().value as string);
  }
  indexes.set(version, index);
  return index;
}
