// Scheduled work shared by several processes (a server and workers against one PostgreSQL): a job is
// one row per (organisation, kind, day), claimed with a lease. The claim is one statement, so two
// processes racing for it cannot both win; a process that dies stops renewing, its lease runs out,
// and the next one to look takes the job over. A job marked done is never claimed again.
import { sql } from 'kysely';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Db } from '../store/store.ts';

export interface JobKey {
  orgId: string;
  kind: string;
  day: PlainDate;
}

/** After this many failed attempts the job waits for a person (its last error is on the row). */
export const MAX_JOB_ATTEMPTS = 5;

/**
 * Claims the job for `holder` for `seconds`; false when it is done, held by another, or given up on
 * after `maxAttempts` (null: a lease taken again and again, such as a delivery pass).
 */
export async function claimJob(
  db: Db,
  key: JobKey,
  holder: string,
  seconds: number,
  maxAttempts: number | null = MAX_JOB_ATTEMPTS,
): Promise<boolean> {
  const r = await sql<{ claimed_by: string }>`
    insert into jobs (org_id, kind, day, claimed_by, claimed_until, attempts)
    values (${key.orgId}::uuid, ${key.kind}, ${key.day}::date, ${holder}, now() + make_interval(secs => ${seconds}), 1)
    on conflict (org_id, kind, day) do update
       set claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until, attempts = jobs.attempts + 1
     where jobs.done_at is null and (${maxAttempts}::int is null or jobs.attempts < ${maxAttempts}::int)
       and (jobs.claimed_until is null or jobs.claimed_until < now())
    returning claimed_by`.execute(db);
  return r.rows[0]?.claimed_by === holder;
}

/** Extends the lease of a job still held; false when the claim was lost (it expired and was taken over). */
export async function renewJob(db: Db, key: JobKey, holder: string, seconds: number): Promise<boolean> {
  const r = await sql`
    update jobs set claimed_until = now() + make_interval(secs => ${seconds})
     where org_id = ${key.orgId}::uuid and kind = ${key.kind} and day = ${key.day}::date
       and claimed_by = ${holder} and done_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** The job is done: never again. */
export async function finishJob(db: Db, key: JobKey, holder: string, result: unknown): Promise<boolean> {
  const r = await sql`
    update jobs set done_at = now(), claimed_until = null, last_error = null, result = ${JSON.stringify(result)}::jsonb
     where org_id = ${key.orgId}::uuid and kind = ${key.kind} and day = ${key.day}::date
       and claimed_by = ${holder} and done_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Lets go of a job that is not done, to be claimed again at once (`retryInSeconds` 0) or later. */
export async function releaseJob(
  db: Db,
  key: JobKey,
  holder: string,
  error?: string,
  retryInSeconds = 0,
): Promise<void> {
  await sql`
    update jobs set claimed_by = null,
           claimed_until = case when ${retryInSeconds} > 0 then now() + make_interval(secs => ${retryInSeconds}) end,
           last_error = coalesce(${error ?? null}, last_error)
     where org_id = ${key.orgId}::uuid and kind = ${key.kind} and day = ${key.day}::date
       and claimed_by = ${holder} and done_at is null`.execute(db);
}

/**
 * On shutdown: everything this process holds and has not finished goes back, across organisations
 * (a worker serves them all), so that another process takes it without waiting for the leases.
 */
export async function releaseAll(db: Db, holder: string): Promise<number> {
  const r = await sql`
    update jobs set claimed_by = null, claimed_until = null
     where claimed_by = ${holder} and done_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function isDone(db: Db, key: JobKey): Promise<boolean> {
  const r = await sql<{ done: boolean }>`
    select done_at is not null or attempts >= ${MAX_JOB_ATTEMPTS} as done from jobs
     where org_id = ${key.orgId}::uuid and kind = ${key.kind} and day = ${key.day}::date`.execute(db);
  return r.rows[0]?.done ?? false;
}
