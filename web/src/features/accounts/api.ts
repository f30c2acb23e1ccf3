import type { PasskeyCredential, StepUpRequest, TokenPasswordRequest } from '@pier/contracts';
import {
  LoginRecordListSchema,
  PasskeyListSchema,
  PasskeyRegisteredSchema,
  PasskeySchema,
  PasswordResetAcceptedSchema,
  RecoveryCodesSchema,
  SecurityAlertListSchema,
  SessionInfoSchema,
  SessionListSchema,
  SessionsRevokedSchema,
  TotpEnrolmentSchema,
  TwoFactorStatusSchema,
  WebAuthnOptionsSchema,
} from '@pier/contracts';
import { http } from '../../api/client';

export const accountsApi = {
  verifySecondFactor: (code: string) => http.post('/api/auth/second-factor', { code }, import.meta.env.DEV && SessionInfoSchema),
  verifyWithPasskey: (passkey: PasskeyCredential) =>
    http.post('/api/auth/second-factor', { passkey }, import.meta.env.DEV && SessionInfoSchema),
  passkeyChallenge: () => http.post('/api/auth/passkey-challenge', undefined, import.meta.env.DEV && WebAuthnOptionsSchema),
  passkeys: () => http.get('/api/me/passkeys', import.meta.env.DEV && PasskeyListSchema),
  passkeyOptions: () => http.post('/api/me/passkeys/options', undefined, import.meta.env.DEV && WebAuthnOptionsSchema),
  registerPasskey: (name: string, response: PasskeyCredential) =>
    http.post('/api/me/passkeys', { name, response }, import.meta.env.DEV && PasskeyRegisteredSchema),
  renamePasskey: (id: string, name: string) =>
    http.patch(`/api/me/passkeys/${encodeURIComponent(id)}`, { name }, import.meta.env.DEV && PasskeySchema),
  removePasskey: (id: string) => http.delete(`/api/me/passkeys/${encodeURIComponent(id)}`),
  startTotp: () => http.post('/api/me/two-factor/totp', undefined, import.meta.env.DEV && TotpEnrolmentSchema),
  confirmTotp: (code: string) => http.post('/api/me/two-factor/totp/confirm', { code }, import.meta.env.DEV && RecoveryCodesSchema),
  twoFactorStatus: () => http.get('/api/me/two-factor', import.meta.env.DEV && TwoFactorStatusSchema),
  regenerateRecoveryCodes: () => http.post('/api/me/two-factor/recovery-codes', undefined, import.meta.env.DEV && RecoveryCodesSchema),
  stepUp: (body: StepUpRequest) => http.post('/api/auth/step-up', body),
  sessions: () => http.get('/api/me/sessions', import.meta.env.DEV && SessionListSchema),
  revokeSession: (id: string) => http.delete(`/api/me/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => http.delete('/api/me/sessions', import.meta.env.DEV && SessionsRevokedSchema),
  logins: () => http.get('/api/me/logins?limit=50', import.meta.env.DEV && LoginRecordListSchema),
  alerts: () => http.get('/api/security/alerts?limit=50', import.meta.env.DEV && SecurityAlertListSchema),
  acceptInvitation: (body: TokenPasswordRequest) =>
    http.post('/api/auth/invitation/accept', body, import.meta.env.DEV && SessionInfoSchema),
  completeReset: (body: TokenPasswordRequest) => http.post('/api/auth/password-reset/complete', body),
  requestReset: (email: string) => http.post('/api/auth/password-reset', { email }, import.meta.env.DEV && PasswordResetAcceptedSchema),
};

export const accountsKeys = {
  twoFactor: ['accounts', 'two-factor'] as const,
  passkeys: ['accounts', 'passkeys'] as const,
  sessions: ['accounts', 'sessions'] as const,
  logins: ['accounts', 'logins'] as const,
  alerts: ['accounts', 'alerts'] as const,
};
