// Prometheus text exposition (format 0.0.4), written by hand: a few counters kept by this process,
// and gauges read from the database when scraped, so that several worker processes report one truth.

type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}` : '';
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  constructor() {
    this.define('ardent_http_requests_total', 'counter', 'HTTP requests answered, by status class');
    this.define(
      'ardent_scheduled_runs_total',
      'counter',
      'Daily runs carried out by this process, by outcome',
    );
    this.define(
      'ardent_messages_delivered_total',
      'counter',
      'Messages handed to the transport by this process',
    );
    this.define(
      'ardent_webhook_deliveries_total',
      'counter',
      'Webhook delivery attempts by this process, by outcome',
    );
    this.define('ardent_member_mails_total', 'counter', 'Emails to members sent by this process');
    this.define('ardent_errors_total', 'counter', 'Errors, by where they happened');
    this.define(
      'ardent_mail_webhooks_total',
      'counter',
      'Calls of the mail providers’ webhooks, by provider and answer',
    );
  }

  define(name: string, type: Family['type'], help: string): void {
    if (!this.families.has(name)) this.families.set(name, { help, type, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    this.add(name, labels, by, false);
  }

  set(name: string, labels: Labels, value: number): void {
    this.add(name, labels, value, true);
  }

  private add(name: string, labels: Labels, value: number, replace: boolean): void {
    const family = this.families.get(name);
    if (!family) throw new Error(`metric ${name} is not defined`);
    const key = labelText(labels);
    const current = family.values.get(key);
    if (current && !replace) current.value += value;
    else family.values.set(key, { labels, value });
  }

  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelText(labels))?.value ?? 0;
  }

  /** The exposition of these metrics followed by `extra` (read at scrape time). */
  render(extra: Metrics[] = []): string {
    const out: string[] = [];
    for (const source of [this, ...extra]) {
      for (const [name, family] of source.families) {
        out.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
        for (const { labels, value } of family.values.values())
          out.push(`${name}${labelText(labels)} ${value}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
