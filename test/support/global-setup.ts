import pg from 'pg';
import { buildDashboardIfStale } from './build-dashboard.ts';

// Decides once per run whether the PostgreSQL half of the suite can run, so that every test file
// agrees. ARDENT_TEST_REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing server into a failure.
export default async function setup(): Promise<void> {
  // A dashboard that does not build fails the dashboard's tests (they say why), not everyone's.
  await buildDashboardIfStale().catch((error: unknown) => {
    process.env.ARDENT_DASHBOARD_BUILD_ERROR = error instanceof Error ? error.message : String(error);
    console.warn(
      `\n[ardent] the dashboard does not build: its tests will fail.\n${process.env.ARDENT_DASHBOARD_BUILD_ERROR}\n`,
    );
  });
  const url = process.env.ARDENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.ARDENT_TEST_POSTGRES_URL = url;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.ARDENT_TEST_POSTGRES = 'available';
  } catch (error) {
    if (process.env.ARDENT_TEST_REQUIRE_POSTGRES === '1') {
      throw new Error(`PostgreSQL is required for this run but ${url} is unreachable: ${String(error)}`);
    }
    process.env.ARDENT_TEST_POSTGRES = 'unavailable';
    console.warn(`\n[ardent] PostgreSQL at ${url} is unreachable: its half of the suite is skipped.\n`);
  } finally {
    await client.end().catch(() => {});
  }
}
