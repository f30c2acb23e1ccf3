/** Reads a variable that `npm test` (scripts/test.mjs, via scripts/test-env) exports; fails loudly without it. */
export function testEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts the test servers (scripts/test-env) and exports it`);
  }
  return value;
}
