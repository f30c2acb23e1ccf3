import type {
  LoginRecordList,
  Passkey,
  PasskeyCredential,
  PasskeyList,
  PasskeyRegistered,
  RecoveryCodes,
  SecurityAlertList,
  SessionInfo,
  SessionList,
  StepUpRequest,
  TokenPasswordRequest,
  TotpEnrolment,
  TwoFactorStatus,
} from '@pier/contracts';
import { request } from '../../api/client';

export const accountsApi = {
  verifySecondFactor: (code: string) => request<SessionInfo>('POST', '/api/auth/second-factor', { code }),
  verifyWithPasskey: (passkey: PasskeyCredential) => request<SessionInfo>('POST', '/api/auth/second-factor', { passkey }),
  passkeyChallenge: () => request<Record<string, unknown>>('POST', '/api/auth/passkey-challenge'),
  passkeys: () => request<PasskeyList>('GET', '/api/me/passkeys'),
  passkeyOptions: () => request<Record<string, unknown>>('POST', '/api/me/passkeys/options'),
  registerPasskey: (name: string, response: PasskeyCredential) =>
    request<PasskeyRegistered>('POST', '/api/me/passkeys', { name, response }),
  renamePasskey: (id: string, name: string) => request<Passkey>('PATCH', `/api/me/passkeys/${encodeURIComponent(id)}`, { name }),
  removePasskey: (id: string) => request<void>('DELETE', `/api/me/passkeys/${encodeURIComponent(id)}`),
  startTotp: () => request<TotpEnrolment>('POST', '/api/me/two-factor/totp'),
  confirmTotp: (code: string) => request<RecoveryCodes>('POST', '/api/me/two-factor/totp/confirm', { code }),
  twoFactorStatus: () => request<TwoFactorStatus>('GET', '/api/me/two-factor'),
  regenerateRecoveryCodes: () => request<RecoveryCodes>('POST', '/api/me/two-factor/recovery-codes'),
  stepUp: (body: StepUpRequest) => request<void>('POST', '/api/auth/step-up', body),
  sessions: () => request<SessionList>('GET', '/api/me/sessions'),
  revokeSession: (id: string) => request<void>('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => request<{ revoked: number }>('DELETE', '/api/me/sessions'),
  logins: () => request<LoginRecordList>('GET', '/api/me/logins?limit=50'),
  alerts: () => request<SecurityAlertList>('GET', '/api/security/alerts?limit=50'),
  acceptInvitation: (body: TokenPasswordRequest) => request<SessionInfo>('POST', '/api/auth/invitation/accept', body),
  completeReset: (body: TokenPasswordRequest) => request<void>('POST', '/api/auth/password-reset/complete', body),
  requestReset: (email: string) => request<{ accepted: boolean }>('POST', '/api/auth/password-reset', { email }),
};

export const accountsKeys = {
  twoFactor: ['accounts', 'two-factor'] as const,
  passkeys: ['accounts', 'passkeys'] as const,
  sessions: ['accounts', 'sessions'] as const,
  logins: ['accounts', 'logins'] as const,
  alerts: ['accounts', 'alerts'] as const,
};
