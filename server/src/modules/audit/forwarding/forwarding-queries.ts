import type { ForwardingAudit } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { companyDomains, DEFAULT_SIEVE_PORT } from './forwarding-scan.js';
import { hasNoManageSieve, lastManualChecks } from './manual-checks.js';

type SieveStatus = ForwardingAudit['sieve'][number];

/** Whether mail sent to this address leaves the company (its domain is none of the mailboxes' domains). */
export function isExternalTarget(domains: ReadonlySet<string>, address: string): boolean {
  const domain = address.split('@')[1]?.toLowerCase();
  return domain === undefined || domain === '' || !domains.has(domain);
}

/**
 * Forwarding rules made in Pier (modules/forwarding writes them; this module only reads the table),
 * with who made them, when, how many mails they forwarded, and whether the target is external —
 * judged against today's company domains, like the Sieve findings.
 */
export async function listPierForwardingRules(
  db: Kysely<Database>,
  where: { mailboxId?: string; ruleId?: string } = {},
): Promise<ForwardingAudit['pierRules']> {
  const domains = await companyDomains(db);
  let query = db
    .selectFrom('forwarding_rules as r')
    .innerJoin('mailboxes as m', 'm.id', 'r.mailbox_id')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.mailbox_id',
      'm.address',
      'r.sender_domain',
      'r.target',
      'r.enabled',
      'r.created_by',
      'u.name as creator_name',
      'r.created_at',
      'r.updated_at',
      eb
        .selectFrom('forwarding_deliveries as d')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('d.rule_id', '=', 'r.id')
        .where('d.state', '=', 'sent')
        .as('forwarded'),
    ])
    .orderBy('m.address')
    .orderBy('r.created_at');
  if (where.mailboxId) query = query.where('r.mailbox_id', '=', where.mailboxId);
  if (where.ruleId) query = query.where('r.id', '=', where.ruleId);
  const rows = await query.execute();
  return {
    available: true,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      mailboxId: r.mailbox_id,
      mailboxAddress: r.address,
      senderDomain: r.sender_domain,
      target: r.target,
      external: isExternalTarget(domains, r.target),
      enabled: Number(r.enabled) === 1,
      createdBy: r.created_by,
      createdByName: r.creator_name ?? null,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      forwarded: Number(r.forwarded ?? 0),
    })),
  };
}

export async function forwardingAudit(db: Kysely<Database>): Promise<ForwardingAudit> {
  const mailboxes = await db
    .selectFrom('mailboxes as m')
    .leftJoin('mailbox_sieve as s', 's.mailbox_id', 'm.id')
    .select([
      'm.id',
      'm.address',
      'm.imap_tls',
      'm.preset',
      's.last_status',
      's.last_checked_at',
      's.last_error',
      's.port',
      's.tls',
      's.enabled',
    ])
    .where('m.imap_host', 'is not', null)
    .orderBy('m.address')
    .execute();
  const findings = await db.selectFrom('sieve_findings').selectAll().orderBy('first_seen_at').execute();
  const manualChecks = await lastManualChecks(db);
  const sieve: SieveStatus[] = mailboxes.map((m) => ({
    mailboxId: m.id,
    address: m.address,
    status: (m.last_status ?? null) as SieveStatus['status'],
    lastCheckedAt: m.last_checked_at === null ? null : Number(m.last_checked_at),
    lastError: m.last_error ?? null,
    // The scan's defaults when nothing is saved (sieveSettingsFor).
    port: m.port === null ? DEFAULT_SIEVE_PORT : Number(m.port),
    tls: (m.tls ?? (m.imap_tls === 'none' ? 'none' : 'starttls')) as SieveStatus['tls'],
    enabled: m.enabled === null ? true : Number(m.enabled) === 1,
    manualOnly: hasNoManageSieve(m.preset),
    preset: m.preset,
    manualCheck: manualChecks.get(m.id) ?? null,
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
