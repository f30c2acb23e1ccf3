/**
 * Tables of the audit domain (migration 0005_audit). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type AuditTables = {
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  sieve_findings: SieveFindingsTable;
  audit_reports: AuditReportsTable;
  mailbox_sieve: MailboxSieveTable;
  forwarding_manual_checks: ForwardingManualChecksTable;
};

/**
 * One record of the append-only, hash-chained audit log. No foreign keys on
 * purpose: removing a user or mailbox must never remove (or block) its history.
 */
export interface AuditLogTable {
  id: string;
  /** 1, 2, 3 … without gaps: the position in the chain. */
  seq: number;
  created_at: number;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  mailbox_id: string | null;
  ip: string | null;
  /** Canonical JSON (sorted keys) of the details, exactly the text that was hashed. */
  details: string;
  /** Hash of the record before (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256 (hex) of this record's canonical form, which includes prev_hash. */
  hash: string;
}

/** The chain head (a single row, id 'main'): appenders lock it, so the chain stays one line under concurrency. */
export interface AuditChainTable {
  id: string;
  last_seq: number;
  last_hash: string;
  updated_at: number;
}

/** Forwarding actions seen in a mailbox's Sieve scripts at the last read (ManageSieve). */
export interface SieveFindingsTable {
  id: string;
  mailbox_id: string;
  script_name: string;
  /** 'redirect' | 'redirect_copy' | 'notify' … */
  kind: string;
  target: string;
  external: number;
  /** 1 when the script is the active one (only the active script runs on delivery). */
  active: number;
  first_seen_at: number;
  last_seen_at: number;
}

/** A generated quarterly audit report, kept as JSON so later exports show the same figures. */
export interface AuditReportsTable {
  id: string;
  period_start: number;
  period_end: number;
  created_at: number;
  created_by: string | null;
  /** 'schedule' | 'on_demand' */
  trigger: string;
  body: string;
}

/** Where a mailbox's ManageSieve server is and what the last read found (defaults: the IMAP host, port 4190). */
export interface MailboxSieveTable {
  mailbox_id: string;
  /** 0 = do not read this mailbox's scripts. */
  enabled: number;
  port: number;
  /** 'starttls' | 'tls' | 'none' */
  tls: string;
  last_checked_at: number | null;
  /** 'ok' | 'unavailable' | 'auth_failed' | 'unsupported' | 'error' */
  last_status: string | null;
  last_error: string | null;
}

/** A by-hand check of a provider's console for forwarding, where the provider offers no ManageSieve (migration 0044). */
export interface ForwardingManualChecksTable {
  id: string;
  /** No foreign key: the record outlives a removed mailbox, like the audit log. */
  mailbox_id: string;
  checked_at: number;
  /** The user who checked. */
  checked_by: string;
  /** 1 when the admin found forwarding (described in the note), 0 when there was none. */
  forwarding_found: number;
  note: string;
}
