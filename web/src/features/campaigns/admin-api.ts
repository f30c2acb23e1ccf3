import { http } from '../../api/client';
import type { Suppression } from './api';

/** The suppression list as the server pages it (decision 0072). */
export type SuppressionRow = Suppression & {
  campaignId: string | null;
  campaignSubject: string | null;
  detail: string | null;
  /** A bounce or an admin's entry: an admin may take it off. Never an unsubscribe or a complaint. */
  liftable: boolean;
};
export type SuppressionPage = {
  suppressions: SuppressionRow[];
  total: number;
  offset: number;
  limit: number;
  reasons: Record<Suppression['reason'], number>;
};
export type SuppressionQuery = { q?: string; reason?: Suppression['reason']; offset?: number; limit?: number };

/** What became of one CSV row that is not mailed (decision 0072), with the row's own cells. */
export type SkippedImportRow = {
  line: number;
  address: string;
  outcome: 'suppressed' | 'invalid' | 'duplicate';
  reason: string;
  row: Record<string, string>;
};
export type ImportResult = {
  listId: string;
  imported: number;
  refused: { line: number; reason: string }[];
  pendingConfirmation: number;
  report: { counts: Record<'added' | 'existing' | 'suppressed' | 'invalid' | 'duplicate', number>; skipped: SkippedImportRow[] };
};
export type MemberChanges = {
  name?: string | null;
  company?: string | null;
  country?: string | null;
  timeZone?: string | null;
  language?: 'zh-CN' | 'en' | null;
};

const memberPath = (listId: string, address: string) =>
  `/api/campaign-lists/${encodeURIComponent(listId)}/members/${encodeURIComponent(address)}`;

export const suppressionApi = {
  page: (query: SuppressionQuery = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const search = params.toString();
    return http.get<SuppressionPage>(`/api/campaign-suppressions${search ? `?${search}` : ''}`);
  },
  suppress: (address: string) => http.post<SuppressionPage>('/api/campaign-suppressions', { address }),
  lift: (address: string, note: string) =>
    http.post<{ address: string; reason: Suppression['reason']; since: number }>('/api/campaign-suppressions/lift', { address, note }),
  updateMember: (listId: string, address: string, changes: MemberChanges) =>
    http.patch<MemberChanges>(memberPath(listId, address), changes),
  removeMember: (listId: string, address: string) => http.delete<{ address: string; removed: boolean }>(memberPath(listId, address)),
};

export const suppressionKeys = {
  all: ['campaigns', 'suppressions'] as const,
  page: (query: SuppressionQuery) => ['campaigns', 'suppressions', JSON.stringify(query)] as const,
};
