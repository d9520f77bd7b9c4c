/**
 * The PostgreSQL server the tests may use (KAKUNIN_TEST_DATABASE_URL, set by .ci/run). Without it a test file's
 * PostgreSQL tests are skipped, and it says so loudly: a green run must not hide that they did not run.
 */
export function pgTestUrl(testFile: string): string | undefined {
  const url = process.env.KAKUNIN_TEST_DATABASE_URL;
  if (!url) {
    console.warn(
      `\n*** PostgreSQL tests SKIPPED (${testFile}): KAKUNIN_TEST_DATABASE_URL is not set.\n` +
        '*** To run them: export KAKUNIN_TEST_DATABASE_URL="$(bash .ci/postgres.sh)" (what .ci/run does), or a postgres:// URL\n' +
        '*** whose role may CREATE DATABASE.\n',
    );
  }
  return url;
}
