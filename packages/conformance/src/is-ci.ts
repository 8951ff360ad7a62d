/**
 * Whether this run is a CI run, where every database suite must run rather than skip: the `CI`
 * environment variable is set to anything except the empty string, `0` or `false` (any case).
 * So `CI=true` and `CI=1` (what CI services set) count, and `CI=false` turns it off.
 *
 * The one rule for the test servers' global setups, `describeSuite` and every other test that
 * would otherwise skip for a missing server or browser.
 */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
