import type { PasskeyCredential, PasskeyRegistered } from '@pier/contracts';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import i18next from '../../i18n';
import { accountsApi } from './api';

/**
 * The browser half of the passkey ceremonies (@simplewebauthn/browser): the server makes
 * the options and keeps the challenge; the authenticator answers; the server verifies.
 * The library loads on first use, fetched alongside the options: most sign-ins use no passkey.
 */
const loadWebAuthn = () => import('@simplewebauthn/browser');

/** A passkey prompt that ended without an answer: the user closed it, or it timed out. */
export class PasskeyCancelled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasskeyCancelled';
  }
}

function translateBrowserError(error: unknown, WebAuthnError: abstract new (...args: never[]) => Error): never {
  if (error instanceof WebAuthnError || (error instanceof Error && error.name === 'NotAllowedError')) {
    throw new PasskeyCancelled(i18next.t('accounts:passkeys.cancelled'));
  }
  if (error instanceof Error && /does not support WebAuthn/i.test(error.message)) {
    throw new PasskeyCancelled(i18next.t('accounts:passkeys.unsupported'));
  }
  throw error;
}

/** Registers a new passkey for the signed-in user (or the user enrolling at sign-in). */
export async function createPasskey(name: string): Promise<PasskeyRegistered> {
  const [webauthn, options] = await Promise.all([loadWebAuthn(), accountsApi.passkeyOptions()]);
  const optionsJSON = options as unknown as PublicKeyCredentialCreationOptionsJSON;
  const response = await webauthn.startRegistration({ optionsJSON }).catch((error) => translateBrowserError(error, webauthn.WebAuthnError));
  return accountsApi.registerPasskey(name, response as unknown as PasskeyCredential);
}

/** Asks one of the user's passkeys to answer a fresh challenge (second sign-in step, step-up). */
export async function passkeyAnswer(): Promise<PasskeyCredential> {
  const [webauthn, options] = await Promise.all([loadWebAuthn(), accountsApi.passkeyChallenge()]);
  const optionsJSON = options as unknown as PublicKeyCredentialRequestOptionsJSON;
  const response = await webauthn
    .startAuthentication({ optionsJSON })
    .catch((error) => translateBrowserError(error, webauthn.WebAuthnError));
  return response as unknown as PasskeyCredential;
}

/** A message for a failed passkey step: the browser's prompt or the server's answer. */
export function passkeyErrorMessage(error: unknown, fallback: (error: unknown) => string): string {
  return error instanceof PasskeyCancelled ? error.message : fallback(error);
}
