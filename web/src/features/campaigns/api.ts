import { http } from '../../api/client';
import type { ImportResult } from './admin-api';

// Shapes of the campaigns routes (server: modules/campaigns/routes.ts).
export type CampaignCounts = {
  campaign: string;
  state: 'sending' | 'paused' | 'done' | 'cancelled';
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  uncertain: number;
  /** Recipients a cancel took off before their mail was started (decision 0068). */
  cancelled: number;
  unsubscribed: number;
  complained: number;
  replied: number;
  clicked: number | null;
  opened: null;
};
/** A segment of the customers (server: contacts/segment.ts); every field narrows. */
export type CampaignSegment = {
  countries?: string[];
  companyDomains?: string[];
  tags?: string[];
  owners?: string[];
  companyTags?: string[];
  companyOwners?: string[];
  languages?: string[];
  contactedWithinDays?: number;
  quietForDays?: number;
};
export type CampaignAudience = {
  matching: number;
  suppressed: number;
  recipients: number;
  sample: { address: string; name: string | null; company: string | null; country: string | null }[];
};
export type CampaignList = {
  id: string;
  name: string;
  kind: 'static' | 'segment';
  segment: CampaignSegment | null;
  members: number;
  suppressed: number;
  recipients: number;
  createdAt: number;
  /** Double opt-in (decision 0059): new members wait for their confirmation click; `unconfirmed` of them do. */
  doubleOptIn: boolean;
  optInMailboxId: string | null;
  unconfirmed: number;
};
/** A member's status (decision 0068): the suppression list first, then a double opt-in awaited, else subscribed. */
export type MemberStatus = 'subscribed' | 'pending' | 'unsubscribed' | 'suppressed';
export type OptInMember = {
  address: string;
  name: string | null;
  company: string | null;
  country: string | null;
  timeZone: string | null;
  /** The language of its confirmation mails (decision 0072: editable). */
  language: 'zh-CN' | 'en' | null;
  status: MemberStatus;
  suppressionReason: Suppression['reason'] | null;
  suppressedAt: number | null;
  consentSource: string;
  signupIp: string | null;
  consentAt: number;
  optIn: 'none' | 'pending' | 'expired' | 'confirmed';
  mail: 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'suppressed' | null;
  mails: number;
  lastMailAt: number | null;
  mailError: string | null;
  confirmedAt: number | null;
  confirmedIp: string | null;
  confirmedUserAgent: string | null;
  suppressed: boolean;
  canResend: boolean;
};
export type OptInMembers = {
  doubleOptIn: boolean;
  members: OptInMember[];
  /** Members matching the search and status; `members` is the page from `offset`. */
  total: number;
  offset: number;
  limit: number;
  statuses: Record<MemberStatus, number>;
  counts: { none: number; pending: number; confirmed: number };
};
export type MemberQuery = { q?: string; status?: MemberStatus; offset?: number; limit?: number };
export type NewMember = {
  address: string;
  name?: string;
  company?: string;
  country?: string;
  language?: 'zh-CN' | 'en';
  consentSource: string;
  consentDate: string;
};
export type CampaignOverview = {
  campaigns: {
    id: string;
    subject: string;
    mailboxId: string;
    listId: string;
    createdAt: number;
    /** Not before; in the future while `sending`: scheduled. */
    sendAt: number;
    counts: CampaignCounts;
  }[];
  mailboxes: { id: string; address: string; displayName: string }[];
  lists: CampaignList[];
};
export type Suppression = { address: string; reason: 'unsubscribed' | 'hard_bounce' | 'complaint' | 'manual'; createdAt: number };
export type CampaignDraft = {
  mailboxId: string;
  listId: string;
  subject: string;
  html: string;
  text: string;
  ratePerMinute?: number;
  localTime?: string | null;
  trackClicks?: boolean;
};

export type CampaignLinkClicks = { url: string; uniqueClicks: number; totalClicks: number };

export type ProviderLimit = {
  preset: string;
  perMinute: number;
  perDay: number;
  configured: boolean;
  defaults: { perMinute: number; perDay: number };
};

export const campaignsApi = {
  limits: () => http.get<{ limits: ProviderLimit[] }>('/api/campaign-limits'),
  setLimits: (input: { preset: string; perMinute: number; perDay: number }) =>
    http.put<{ limits: ProviderLimit[] }>('/api/campaign-limits', input),
  overview: () => http.get<CampaignOverview>('/api/campaigns'),
  queue: (draft: CampaignDraft) => http.post<{ campaign: string; recipients: number }>('/api/campaigns', draft),
  pause: (id: string) => http.post<CampaignCounts>(`/api/campaigns/${encodeURIComponent(id)}/pause`),
  resume: (id: string) => http.post<CampaignCounts>(`/api/campaigns/${encodeURIComponent(id)}/resume`),
  cancel: (id: string) => http.post<CampaignCounts>(`/api/campaigns/${encodeURIComponent(id)}/cancel`),
  preview: (input: { listId: string; subject: string; html: string; text: string }) =>
    http.post<{ address: string; subject: string; html: string; text: string }>('/api/campaigns/preview', input),
  testSend: (input: { mailboxId: string; to: string; subject: string; html: string; text: string }) =>
    http.post<{ sent: boolean }>('/api/campaigns/test-send', input),
  importCsv: (input: { name: string; csv: string; consentSource?: string; consentDate?: string; doubleOptInMailboxId?: string }) =>
    http.post<ImportResult>('/api/campaign-lists/import', input),
  createSegment: (input: { name: string; segment: CampaignSegment }) => http.post<{ id: string }>('/api/campaign-lists', input),
  updateSegment: (id: string, input: { name?: string; segment?: CampaignSegment }) =>
    http.patch<{ id: string; name: string; matching: number; suppressed: number; recipients: number }>(
      `/api/campaign-lists/${encodeURIComponent(id)}`,
      input,
    ),
  deleteSegment: (id: string) => http.delete<{ deleted: boolean }>(`/api/campaign-lists/${encodeURIComponent(id)}`),
  links: (id: string) =>
    http.get<{ campaign: string; links: CampaignLinkClicks[] | null }>(`/api/campaigns/${encodeURIComponent(id)}/links`),
  previewSegment: (segment: CampaignSegment) => http.post<CampaignAudience>('/api/campaign-lists/segment-preview', { segment }),
  setDoubleOptIn: (listId: string, input: { enabled: boolean; mailboxId?: string | null }) =>
    http.put<{ id: string; doubleOptIn: boolean; optInMailboxId: string | null }>(
      `/api/campaign-lists/${encodeURIComponent(listId)}/double-opt-in`,
      input,
    ),
  members: (listId: string, query: MemberQuery = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const search = params.toString();
    return http.get<OptInMembers>(`/api/campaign-lists/${encodeURIComponent(listId)}/members${search ? `?${search}` : ''}`);
  },
  addMember: (listId: string, member: NewMember) =>
    http.post<{ address: string; status: MemberStatus }>(`/api/campaign-lists/${encodeURIComponent(listId)}/members`, member),
  resendConfirmation: (listId: string, address?: string) =>
    http.post<{ queued: number; skipped: number }>(
      `/api/campaign-lists/${encodeURIComponent(listId)}/opt-in/resend`,
      address ? { address } : {},
    ),
};

export const campaignsKeys = {
  overview: ['campaigns', 'overview'] as const,
  limits: ['campaigns', 'limits'] as const,
  links: (id: string) => ['campaigns', 'links', id] as const,
  members: (listId: string, query?: MemberQuery) =>
    query ? (['campaigns', 'members', listId, JSON.stringify(query)] as const) : (['campaigns', 'members', listId] as const),
  segmentPreview: (segment: CampaignSegment) => ['campaigns', 'segment-preview', JSON.stringify(segment)] as const,
};
