/**
 * Tables of the open API (migrations 0053_api_tokens, 0054_webhooks; decision 0049).
 * api_tokens is owned by modules/security (it is a way to sign in); webhooks and their
 * deliveries by modules/webhooks.
 */
export type ApiTables = {
  api_tokens: ApiTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
};

/** A personal API token: only the SHA-256 of the secret is kept, like sessions. */
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  scope: 'read' | 'write' | 'admin';
  token_hash: string;
  /** Who made it: the user, an admin for a service account, or null for the CLI. */
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface WebhooksTable {
  id: string;
  name: string;
  url: string;
  /** JSON array of WebhookEvent. */
  events: string;
  /** The signing secret, sealed with the workspace key (SecretBox): it is needed in clear to sign. */
  secret_sealed: string;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One event for one hook; `attempts` grows with each try of the job queue. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  /** The JSON body sent, fixed when the event happened (a redelivery sends the same body). */
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_code: number | null;
  error: string | null;
  created_at: number;
  last_attempt_at: number | null;
  redelivery_of: string | null;
}
