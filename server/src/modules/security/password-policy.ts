import { PasswordSchema } from '@pier/contracts';
import commonPasswords from 'fxa-common-password-list';
import { AppError } from '../../errors.js';

/**
 * Password policy: 12 to 256 characters (PasswordSchema), not one of the
 * ~50,000 most common passwords (the list shipped in fxa-common-password-list,
 * MPL-2.0), and not the account's email. Length beats composition rules (NIST SP 800-63B).
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const parsed = PasswordSchema.safeParse(password);
  if (!parsed.success) return `password ${parsed.error.issues[0]?.message ?? 'is invalid'}`;
  const lower = password.toLowerCase();
  if (commonPasswords.test(lower)) return 'password is one of the most common passwords: choose another';
  if (email && (lower === email.toLowerCase() || lower === email.split('@')[0]?.toLowerCase())) {
    return 'password must not be your email address';
  }
  return undefined;
}

export function assertPasswordAllowed(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new AppError('auth.weak_password', 400, problem, [{ path: '/password', message: problem }]);
}
