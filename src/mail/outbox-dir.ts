// Without an SMTP server, messages are delivered as .eml files in ARDENT_HOME/outbox/ (and letters
// as PDFs in ARDENT_HOME/print/), through the same sender as SMTP: see transports/directory.ts.
import { join } from 'node:path';
import type { PlainDate } from '../calendar/plain-date.ts';
import type { Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import { printFolder } from './letters/print-folder.ts';
import { type DeliveryReport, deliverDue } from './sender.ts';
import { directoryTransport } from './transports/directory.ts';

export { senderAddress } from './compose-mail.ts';

export type Delivery = Pick<DeliveryReport, 'delivered' | 'cancelled'> & DeliveryReport;

export function deliverToDirectory(
  store: Store,
  org: Organisation,
  home: string,
  upTo: PlainDate,
): Promise<Delivery> {
  return deliverDue(store, org, {
    upTo,
    transport: directoryTransport(join(home, 'outbox')),
    letters: printFolder(join(home, 'print')),
  });
}
