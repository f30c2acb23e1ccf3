/** The password every test account signs in with: long enough for the password policy, not a common one. */
export const TEST_PASSWORD = 'a long enough password';
