// How commands speak: one JSON document on stdout with --json, aligned text otherwise; problems on
// stderr, one line each.

export interface Output {
  json: boolean;
  data(value: unknown): void;
  line(text?: string): void;
  table(rows: Record<string, string | number>[], columns?: string[]): void;
  error(text: string): void;
}

export function consoleOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    data(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    line(text = '') {
      stdout.write(`${text}\n`);
    },
    table(rows, columns) {
      if (rows.length === 0) {
        stdout.write('(none)\n');
        return;
      }
      const cols = columns ?? Object.keys(rows[0]!);
      const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v));
      const widths = cols.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
      const fmt = (values: string[]) =>
        values
          .map((v, i) => {
            const text = v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v;
            return /^-?[\d.,]+$/.test(v) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
          })
          .join('  ')
          .trimEnd();
      stdout.write(`${fmt(cols)}\n`);
      for (const r of rows) stdout.write(`${fmt(cols.map((c) => cell(r[c])))}\n`);
    },
    error(text) {
      stderr.write(`${text}\n`);
    },
  };
}
