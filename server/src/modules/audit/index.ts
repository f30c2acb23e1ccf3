export { auditCsv } from './audit-csv.js';
export {
  type AuditActor,
  type AuditEntry,
  type AuditRecord,
  type ChainProblem,
  type ChainReport,
  recordAudit,
  recordAuditBy,
  systemActor,
  verifyAuditChain,
} from './audit-log.js';
export { queryAuditLog } from './audit-queries.js';
export { canonicalJson, canonicalRecord, hashRecord } from './canonical.js';
export { auditLoginAttempt, auditUserCreated } from './entries.js';
export { forwardingAudit, isExternalTarget, listPierForwardingRules } from './forwarding/forwarding-queries.js';
export {
  companyDomains,
  DEFAULT_SIEVE_PORT,
  type MailboxCredentials,
  type SieveScanResult,
  saveSieveSettings,
  scanAllMailboxSieve,
  scanMailboxSieve,
} from './forwarding/forwarding-scan.js';
export { ManageSieveClient, type SieveConnectOptions, SieveError } from './forwarding/managesieve.js';
export { findForwardingActions } from './forwarding/sieve-forwarding.js';
export {
  buildQuarterlyReport,
  ensureQuarterlyReport,
  generateQuarterlyReport,
  previousQuarter,
  type QuarterlyReport,
  type ReportMailer,
} from './report/quarterly-report.js';
export { reportCsv, reportPdf, reportText } from './report/report-export.js';
export { firstReplyCompliance, quantile } from './report/sla-compliance.js';
export { auditReaders, auditRoutes } from './routes.js';
