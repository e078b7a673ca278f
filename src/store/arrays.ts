// Array parameters written as PostgreSQL array literals (`{"a","b",NULL}`) for the batched writes'
// `unnest($1::text[], …)`. The driver's own conversion inspects every element for its type; an import
// of a million rows spent more time there than in its parser. The literal is text that the server
// casts, the same on PostgreSQL and PGlite.

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** Text (and dates, ids, JSON as text): every element quoted, `null` and `undefined` as NULL. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/** Integers and booleans. */
export function numberArray(values: readonly (number | boolean | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  }
  return `${out}}`;
}
