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
export { canonicalJson, canonicalRecord, hashRecord } from './canonical.js';
export { auditLoginAttempt, auditUserCreated } from './entries.js';
