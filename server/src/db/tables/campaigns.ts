/**
 * Tables of campaigns (migration 0057_campaigns), owned by modules/campaigns (decision 0051).
 * Kept apart from the inbox's tables: a campaign's 1,000 mails are no conversations.
 */
export type CampaignTables = {
  campaign_lists: CampaignListsTable;
  campaign_list_members: CampaignListMembersTable;
  campaign_suppressions: CampaignSuppressionsTable;
  campaign_suppression_lifts: CampaignSuppressionLiftsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  campaign_events: CampaignEventsTable;
  campaign_provider_limits: CampaignProviderLimitsTable;
  campaign_signup_attempts: CampaignSignupAttemptsTable;
};

/** A static list (members imported from CSV) or a segment (members read from the contacts when a campaign is queued). */
export interface CampaignListsTable {
  id: string;
  name: string;
  kind: 'static' | 'segment';
  /** Segment: JSON of the contact filter (country, company domain, last contact since/before). */
  segment_json: string | null;
  created_by: string | null;
  created_at: number;
  /** 0|1 (migration 0063, decision 0059): members added from now on wait for their confirmation click. */
  double_opt_in: number;
  /** The marketing mailbox the confirmation mails go from (required while double_opt_in is 1). */
  opt_in_mailbox_id: string | null;
  /** 0|1 (migration 0075, decision 0071): the public sign-up form answers at /subscribe/{signup_slug}. */
  signup_enabled: number;
  /** Random, unrelated to the list's id or name; made on the first enable and kept. */
  signup_slug: string | null;
  /** The public page's heading and intro (plain text); null: the default in the page's language. */
  signup_title: string | null;
  signup_intro: string | null;
}

export interface CampaignListMembersTable {
  list_id: string;
  address: string;
  name: string | null;
  company: string | null;
  country: string | null;
  /** IANA zone (Asia/Shanghai) for "send in the recipient's time zone"; null: the company's. */
  time_zone: string | null;
  /** Where the consent came from (trade fair form, website sign-up…) and when; required on import. */
  consent_source: string;
  consent_at: number;
  added_at: number;
  /** Double opt-in (migration 0063): null = not asked (single opt-in), else pending until the click. */
  opt_in_state: 'pending' | 'confirmed' | null;
  /** Random id the confirmation token names (one per member: contact + list). */
  opt_in_id: string | null;
  opt_in_language: 'zh-CN' | 'en' | null;
  /** The confirmation mail, exactly once per request (decision 0008's protocol); `suppressed`: never sent. */
  opt_in_mail_state: 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'suppressed' | null;
  /** Confirmation mails started for this member (resends included). */
  opt_in_mails: number;
  opt_in_sent_at: number | null;
  opt_in_error: string | null;
  /** Consent evidence of the confirmation click. */
  confirmed_at: number | null;
  confirmed_ip: string | null;
  confirmed_user_agent: string | null;
  /** Address, name and company folded for search (migration 0071, decision 0068); null on rows an older node wrote. */
  search_text: string | null;
  /** Came by the public sign-up form (decision 0071): the requester's IP and browser. */
  signup_ip: string | null;
  signup_user_agent: string | null;
}

/** One sign-up attempt counted by the rate limits (key: `ip:…` or `address:` + a hash of the address). */
export interface CampaignSignupAttemptsTable {
  key: string;
  at: number;
}

/** Addresses no campaign may mail, whatever the list says. */
export interface CampaignSuppressionsTable {
  address: string;
  reason: 'unsubscribed' | 'hard_bounce' | 'complaint' | 'manual';
  campaign_id: string | null;
  detail: string | null;
  created_at: number;
}

/** A suppression an admin took off (migration 0077, decision 0072): what it was, who lifted it, when and why. */
export interface CampaignSuppressionLiftsTable {
  id: string;
  address: string;
  reason: CampaignSuppressionsTable['reason'];
  campaign_id: string | null;
  detail: string | null;
  suppressed_at: number;
  lifted_by: string | null;
  lifted_at: number;
  note: string;
}

export interface CampaignsTable {
  id: string;
  mailbox_id: string;
  list_id: string;
  subject: string;
  html_template: string;
  text_template: string;
  state: 'sending' | 'paused' | 'done' | 'cancelled';
  /** Mails per minute this campaign may send (the provider's cap applies as well). */
  rate_per_minute: number;
  /** Epoch ms: not before. With `local_time` set, per recipient at that wall-clock time in their zone. */
  send_at: number;
  /** "09:30": send at this local time of the recipient (or `company_time_zone`); null: at send_at. */
  local_time: string | null;
  company_time_zone: string;
  /** 0|1; link tracking is off by default. */
  track_clicks: number;
  /** 0|1; off by default, and unreliable (image blocking, privacy proxies). */
  track_opens: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One recipient of one campaign; the state machine of decision 0008, per recipient. */
export interface CampaignRecipientsTable {
  id: string;
  campaign_id: string;
  address: string;
  name: string | null;
  company: string | null;
  country: string | null;
  /** `cancelled`: the campaign was cancelled before this mail was started (decision 0068). */
  state: 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'suppressed' | 'cancelled';
  due_at: number;
  message_id_header: string;
  attempts: number;
  error: string | null;
  sent_at: number | null;
  bounced_at: number | null;
  bounce_kind: 'hard' | 'soft' | null;
  unsubscribed_at: number | null;
  replied_at: number | null;
  complained_at: number | null;
}

/** What happened after sending, one row each: bounce, complaint, reply (with the conversation), unsubscribe. */
export interface CampaignEventsTable {
  id: string;
  campaign_id: string | null;
  recipient_id: string | null;
  address: string;
  kind: 'hard_bounce' | 'soft_bounce' | 'complaint' | 'reply' | 'unsubscribe' | 'click';
  conversation_id: string | null;
  /** The mail it came from (a reply, a bounce, a complaint read from the mailbox; migration 0062). */
  message_id: string | null;
  detail: string | null;
  created_at: number;
}

/** Sending caps per mail provider (mailboxes.preset), configurable; absent: the defaults in throttle.ts. */
export interface CampaignProviderLimitsTable {
  preset: string;
  per_minute: number;
  per_day: number;
  updated_at: number;
}
