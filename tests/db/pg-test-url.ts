import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

export interface TestDatabase {
  /** the URL of the new database (the server's URL with its name) */
  url: string;
  /** drops it (closing what is still connected) and tells whether it is gone */
  drop(): Promise<boolean>;
}

/** A database of a test file's own on the test server, named `<prefix>_<time>_<random>` so runs never share one. */
export async function createTestDatabase(serverUrl: string, prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  // a server restarted by a test (pg-failures) ends this idle connection too: drop() then fails, not the whole run
  admin.on('error', (error) => console.warn(`test database admin connection lost: ${error.message}`));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      try {
        // A pool's end() resolves before its sockets have closed; forcing those off would make their clients emit
        // an unhandled 'error' (57P01). So let the closed pools' connections go first (up to 2 s), then force the rest.
        for (let waited = 0; waited < 2_000; waited += 20) {
          const open = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (open.rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 0;
      } finally {
        await admin.end();
      }
    },
  };
}
