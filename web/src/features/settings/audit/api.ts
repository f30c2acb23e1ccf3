import type { RecordManualCheck, ResolveForward, SaveForwardingRule, SaveSieveSettings } from '@pier/contracts';
import {
  AuditChainStatusSchema,
  AuditPageSchema,
  ForwardingAuditSchema,
  PierForwardingRuleSchema,
  ReportListSchema,
  StoredReportSchema,
  UncertainForwardListSchema,
} from '@pier/contracts';
import { http } from '../../../api/client';

export type AuditFilters = {
  action?: string | undefined;
  mailboxId?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  /** yyyy-mm-dd, local time. */
  fromDate?: string | undefined;
  toDate?: string | undefined;
};

/** The filters as the API's query string; dates become epoch ms (the whole "to" day included). */
export function auditQuery(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.action) params.set('action', filters.action);
  if (filters.mailboxId) params.set('mailboxId', filters.mailboxId);
  if (filters.actorId) params.set('actorId', filters.actorId);
  if (filters.targetId) params.set('targetId', filters.targetId);
  if (filters.fromDate) params.set('from', String(new Date(`${filters.fromDate}T00:00:00`).getTime()));
  if (filters.toDate) params.set('to', String(new Date(`${filters.toDate}T00:00:00`).getTime() + 86_400_000));
  return params;
}

export const auditApi = {
  page: (filters: AuditFilters, before: number | null) => {
    const params = auditQuery(filters);
    params.set('limit', '50');
    if (before !== null) params.set('before', String(before));
    return http.get(`/api/audit?${params}`, import.meta.env.DEV && AuditPageSchema);
  },
  verify: () => http.get('/api/audit/verify', import.meta.env.DEV && AuditChainStatusSchema),
  csvUrl: (filters: AuditFilters) => `/api/audit.csv?${auditQuery(filters)}`,
};

/** Quarterly reports (/settings/audit-report). */
export const reportApi = {
  list: () => http.get('/api/audit/reports', import.meta.env.DEV && ReportListSchema),
  report: (id: string) => http.get(`/api/audit/reports/${encodeURIComponent(id)}`, import.meta.env.DEV && StoredReportSchema),
  generate: (mail: boolean) => http.post('/api/audit/reports', mail ? { mail: true } : {}, import.meta.env.DEV && StoredReportSchema),
};

const rulePath = (id: string) => `/api/forwarding/rules/${encodeURIComponent(id)}`;

/** Forwarding: the audit of every forward (Pier's rules and the mail server's Sieve), uncertain forwards. */
export const forwardingApi = {
  audit: () => http.get('/api/forwarding', import.meta.env.DEV && ForwardingAuditSchema),
  scan: () => http.post('/api/forwarding/scan', undefined, import.meta.env.DEV && ForwardingAuditSchema),
  saveSieve: (mailboxId: string, body: SaveSieveSettings) =>
    http.put(`/api/forwarding/sieve/${encodeURIComponent(mailboxId)}`, body, import.meta.env.DEV && ForwardingAuditSchema),
  recordManualCheck: (mailboxId: string, body: RecordManualCheck) =>
    http.post(`/api/forwarding/sieve/${encodeURIComponent(mailboxId)}/manual-check`, body, import.meta.env.DEV && ForwardingAuditSchema),
  createRule: (body: SaveForwardingRule) => http.post('/api/forwarding/rules', body, import.meta.env.DEV && PierForwardingRuleSchema),
  saveRule: (id: string, body: SaveForwardingRule) => http.put(rulePath(id), body, import.meta.env.DEV && PierForwardingRuleSchema),
  removeRule: (id: string) => http.delete(rulePath(id)),
  uncertain: () => http.get('/api/forwarding/uncertain', import.meta.env.DEV && UncertainForwardListSchema),
  resolveUncertain: (input: ResolveForward) => http.post('/api/forwarding/uncertain/resolve', input),
};
