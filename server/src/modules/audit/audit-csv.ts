import type { AuditRecordDto } from '@pier/contracts';
import { stringify } from 'csv-stringify/sync';

const HEADER = ['seq', 'time_utc', 'actor_email', 'actor_id', 'action', 'target_type', 'target_id', 'mailbox', 'ip', 'details', 'hash'];

/**
 * CSV of audit records for Excel and WPS: UTF-8 with a BOM (so Chinese opens
 * correctly), and cells that a spreadsheet would run as a formula (=, +, -, @ …)
 * prefixed with an apostrophe — audit data carries attacker-chosen text such as
 * login emails.
 */
export function auditCsv(records: readonly AuditRecordDto[]): string {
  const rows = records.map((r) =>
    [
      String(r.seq),
      new Date(r.createdAt).toISOString(),
      r.actor?.email ?? '',
      r.actorId ?? '',
      r.action,
      r.targetType,
      r.targetId ?? '',
      r.mailboxAddress ?? r.mailboxId ?? '',
      r.ip ?? '',
      JSON.stringify(r.details),
      r.hash,
    ].map(neutraliseFormula),
  );
  return `\ufeff${stringify([HEADER, ...rows], { record_delimiter: 'windows' })}`;
}

export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
