// Where the server hands queued messages to the mail side (src/mail/deliver.ts: the transport from
// the environment, claims, retries, the check before each message leaves), in one place.
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { deliver } from '../mail/deliver.ts';
import type { Store } from '../store/store.ts';

export interface DeliveryOutcome {
  delivered: number;
  cancelled: number;
  failed: number;
}

/** Sends what is queued for the organisation up to `upTo`, `today` being the organisation's today. */
export async function deliverDue(
  store: Store,
  org: Organisation,
  options: { env: NodeJS.ProcessEnv; home: string; upTo: PlainDate; today: PlainDate; workerId?: string },
): Promise<DeliveryOutcome> {
  const report = await deliver(store, org, {
    env: options.env,
    home: options.home,
    upTo: options.upTo,
    today: options.today,
    ...(options.workerId ? { workerId: options.workerId } : {}),
  });
  return {
    delivered: report.delivered.length + report.letters.length,
    cancelled: report.cancelled.length,
    failed: report.failed.length,
  };
}
