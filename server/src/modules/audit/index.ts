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
export { auditReaders, auditRoutes } from './routes.js';
