/**
 * Tables of the accounts domain (migration 0004_accounts). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type AccountsTables = {
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  login_records: LoginRecordsTable;
  security_alerts: SecurityAlertsTable;
  login_throttles: LoginThrottlesTable;
  account_tokens: AccountTokensTable;
};

export interface TotpFactorsTable {
  user_id: string;
  /** The shared secret, sealed with the workspace secret box. */
  secret_enc: string;
  /** null while enrolment is started but not yet confirmed with a code. */
  confirmed_at: number | null;
  /** Time step of the last accepted code: a code is never accepted twice (RFC 6238 §5.2). */
  last_counter: number | null;
  created_at: number;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** SHA-256 of the normalised code (the codes are random, 50 bits: no slow hash needed). */
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export type LoginResult =
  | 'success'
  | 'bad_password'
  | 'unknown_user'
  | 'bad_second_factor'
  | 'locked'
  | 'disabled'
  | 'second_factor_pending';

export interface LoginRecordsTable {
  id: string;
  /** null when the email matched no user. */
  user_id: string | null;
  email: string;
  at: number;
  ip: string | null;
  /** ISO 3166-1 alpha-2, null when unknown (loopback, private ranges, IPv6 without data). */
  country: string | null;
  user_agent: string | null;
  /** Short device summary ("Chrome on Windows"), used for new-device detection. */
  device: string | null;
  result: LoginResult;
  /** JSON array of anomaly codes found for this login. */
  anomalies: string;
}

export interface SecurityAlertsTable {
  id: string;
  /** The account the alert is about. */
  user_id: string;
  kind: 'new_country' | 'new_device' | 'impossible_travel' | 'failure_burst' | 'locked_out';
  /** JSON: what was seen (ip, country, device, previous country…). */
  detail: string;
  login_record_id: string | null;
  created_at: number;
  emailed_at: number | null;
}

export interface LoginThrottlesTable {
  /** "user:<id>" or "ip:<address>". */
  key: string;
  failures: number;
  locked_until: number | null;
  updated_at: number;
}

export interface AccountTokensTable {
  /** SHA-256 of the token sent by email. */
  id: string;
  user_id: string;
  purpose: 'invite' | 'reset';
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
