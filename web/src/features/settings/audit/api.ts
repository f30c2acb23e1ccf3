import type { AuditChainStatus, AuditPage } from '@pier/contracts';
import { request } from '../../../api/client';

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
    return request<AuditPage>('GET', `/api/audit?${params}`);
  },
  verify: () => request<AuditChainStatus>('GET', '/api/audit/verify'),
  csvUrl: (filters: AuditFilters) => `/api/audit.csv?${auditQuery(filters)}`,
};
