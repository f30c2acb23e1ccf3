import { createRequire } from 'node:module';
import { PasswordSchema } from '@pier/contracts';
import { AppError } from '../../errors.js';

const require = createRequire(import.meta.url);
let commonPasswords: typeof import('fxa-common-password-list') | undefined;

/** The list (~7 MB resident) is loaded by the first password check, not at start (decision 0026). */
function isCommonPassword(lower: string): boolean {
  commonPasswords ??= require('fxa-common-password-list') as typeof import('fxa-common-password-list');
  return commonPasswords.test(lower);
}

/**
 * Password policy: 12 to 256 characters (PasswordSchema), not one of the
 * ~50,000 most common passwords (the list shipped in fxa-common-password-list,
 * MPL-2.0), and not the account's email. Length beats composition rules (NIST SP 800-63B).
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const parsed = PasswordSchema.safeParse(password);
  if (!parsed.success) return `password ${parsed.error.issues[0]?.message ?? 'is invalid'}`;
  const lower = password.toLowerCase();
  if (isCommonPassword(lower)) return 'password is one of the most common passwords: choose another';
  if (email && (lower === email.toLowerCase() || lower === email.split('@')[0]?.toLowerCase())) {
    return 'password must not be your email address';
  }
  return undefined;
}

export function assertPasswordAllowed(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new AppError('auth.weak_password', 400, problem, [{ path: '/password', message: problem }]);
}
