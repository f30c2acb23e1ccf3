/** Tables of passkeys (migration 0014_passkeys). */
export type PasskeyTables = {
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
};

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** The authenticator's credential id, base64url (unique across the workspace). */
  credential_id: string;
  /** The user's label ("YubiKey", "MacBook"). */
  name: string;
  /** COSE public key, base64url. Public: no need to seal it. */
  public_key: string;
  /** Signature counter last seen (0 for authenticators that do not count). */
  counter: number;
  /** JSON array of transports the authenticator reported (usb, nfc, internal, hybrid …). */
  transports: string;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  /** One pending challenge per session; a new one replaces it. */
  session_id: string;
  purpose: 'register' | 'authenticate';
  challenge: string;
  expires_at: number;
}
