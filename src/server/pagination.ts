// Cursor pagination for every long listing: the cursor is the position of the last item of the
// page (keyset), opaque to clients (base64url JSON), so pages stay fast at any depth and stable
// while rows are added.
import { z } from 'zod';
import { badRequest } from './problems.ts';

export const MAX_PAGE = 500;

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(50)
    .describe('items per page (1–500, default 50)'),
  cursor: z.string().max(1000).optional().describe('the nextCursor of the previous page'),
};

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the refusal below
  }
  throw badRequest('cursor: not a cursor this listing gave; start again without it', [
    { in: 'querystring', field: 'cursor', message: 'unknown cursor' },
  ]);
}

/** Splits `limit + 1` rows read into a page and the position after it. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  position: (row: R) => unknown,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(view), nextCursor: more ? encodeCursor(position(kept.at(-1)!)) : null };
}
