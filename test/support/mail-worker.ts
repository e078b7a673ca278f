// A sender process for the crash test: the same deliverDue that `ardent send --worker` runs, without
// the command line's start-up, so that it can be killed and restarted many times a second.
// Arguments: DATABASE_URL SMTP_URL ORG_SLUG DAY WORKER_ID GUARANTEE [once]
import { resolveOrganisation } from '../../src/ledger/organisations.ts';
import { deliverDue } from '../../src/mail/sender.ts';
import { smtpTransport } from '../../src/mail/transports/smtp.ts';
import { openStore } from '../../src/store/store.ts';

const [databaseUrl, smtpUrl, slug, day, workerId, guarantee, mode] = process.argv.slice(2);
const store = await openStore({ databaseUrl, migrate: false });
const org = await resolveOrganisation(store.db, slug);
const transport = smtpTransport({ url: smtpUrl!, pool: 4 });
process.stdout.write('ready\n');
for (;;) {
  const report = await deliverDue(store, org, {
    upTo: day!,
    today: day!,
    transport,
    workerId: workerId!,
    leaseSeconds: 1,
    batchSize: 8,
    concurrency: 4,
    guarantee: guarantee === 'at-most-once' ? 'at-most-once' : 'at-least-once',
  });
  if (mode === 'once' && report.delivered.length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await transport.close();
await store.close();
