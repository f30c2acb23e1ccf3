/**
 * Tables of Web Push (migration 0042_web_push), owned by modules/push (decision 0037).
 */
export type PushTables = {
  push_subscriptions: PushSubscriptionsTable;
  push_preferences: PushPreferencesTable;
};

/** One browser's push subscription; the endpoint is a capability URL, never shown back. */
export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  /** The browser's P-256 public key and auth secret (base64url), which encrypt each payload. */
  p256dh: string;
  auth: string;
  /** "Chrome on Android": from the User-Agent when it subscribed, for the person's device list. */
  device: string;
  created_at: number;
  last_sent_at: number | null;
}

/** The kinds a person wants pushed (JSON array of PushKind); no row = every kind. */
export interface PushPreferencesTable {
  user_id: string;
  kinds: string;
  updated_at: number;
}
