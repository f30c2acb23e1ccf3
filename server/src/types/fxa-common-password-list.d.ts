declare module 'fxa-common-password-list' {
  /** True when the password is among the ~50,000 most common ones (case-insensitive). */
  export function test(password: string): boolean;
}
