import type { ForwardingAudit } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { companyDomains } from './forwarding-scan.js';

type SieveStatus = ForwardingAudit['sieve'][number];

/**
 * Forwarding rules made in Pier. Pier has no rules engine yet, so there is
 * nothing to list and `available` says so rather than showing an empty list
 * as "no forwards". When the rules module lands, its forward actions are read
 * here (rule id, name, mailbox, target, creator, time) and the page shows them
 * with the same external check as the Sieve findings.
 */
export async function listPierForwardingRules(_db: Kysely<Database>): Promise<ForwardingAudit['pierRules']> {
  return { available: false, items: [] };
}

export async function forwardingAudit(db: Kysely<Database>): Promise<ForwardingAudit> {
  const mailboxes = await db
    .selectFrom('mailboxes as m')
    .leftJoin('mailbox_sieve as s', 's.mailbox_id', 'm.id')
    .select(['m.id', 'm.address', 's.last_status', 's.last_checked_at', 's.last_error'])
    .where('m.imap_host', 'is not', null)
    .orderBy('m.address')
    .execute();
  const findings = await db.selectFrom('sieve_findings').selectAll().orderBy('first_seen_at').execute();
  const sieve: SieveStatus[] = mailboxes.map((m) => ({
    mailboxId: m.id,
    address: m.address,
    status: (m.last_status ?? null) as SieveStatus['status'],
    lastCheckedAt: m.last_checked_at === null ? null : Number(m.last_checked_at),
    lastError: m.last_error ?? null,
    findings: findings
      .filter((f) => f.mailbox_id === m.id)
      .map((f) => ({
        script: f.script_name,
        kind: f.kind as SieveStatus['findings'][number]['kind'],
        target: f.target,
        external: f.external === 1,
        active: f.active === 1,
        firstSeenAt: Number(f.first_seen_at),
        lastSeenAt: Number(f.last_seen_at),
      })),
  }));
  return { companyDomains: [...(await companyDomains(db))].sort(), pierRules: await listPierForwardingRules(db), sieve };
}
