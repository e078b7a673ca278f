// Shared by the benchmarks: a throwaway PostgreSQL database, a peak-memory sampler, and timing.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL =
  process.env.ARDENT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `ardent_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** Samples the resident set size every 20 ms while `work` runs; reports the peak above the start. */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number; baseRssMb: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      result,
      seconds: (performance.now() - start) / 1000,
      peakRssMb: peak / 2 ** 20,
      baseRssMb: base / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The most memory still in use while `work` runs: the heap after a full collection, every 250 ms,
 * above what it was before. A pass of its own, apart from any timing, since the collections slow it
 * down; unlike the resident set size, it does not depend on when the collector chose to run.
 */
export async function peakLiveHeapMb(work: () => Promise<unknown>): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 250);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (peak - base) / 2 ** 20;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
