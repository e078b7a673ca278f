// The demo's last two weeks as the agent would have lived them: each business day's run, its
// reminders delivered (to nowhere: this is a demo), and some customers answering in their language,
// read by the same analysis as real replies. A newcomer then sees reminders with their delivery,
// replies with what they were understood to say, and the agent's decisions after them.

import { isBusinessDay } from '../calendar/business-days.ts';
import { addDays, type PlainDate } from '../calendar/plain-date.ts';
import { runDay } from '../dunning/run.ts';
import { ingestMessage } from '../inbound/ingest.ts';
import type { Organisation } from '../ledger/organisations.ts';
import { deliverDue } from '../mail/sender.ts';
import type { Transport } from '../mail/transport.ts';
import type { Store } from '../store/store.ts';

/** Delivers nothing: the demo's reminders were "sent" in a past that did not happen. */
const nowhere: Transport = {
  kind: 'demo',
  destination: 'nowhere (demo organisation)',
  concurrency: 8,
  async send(_mime, _envelope, options) {
    // The outbox's commit point, as any transport: prepared, then the "final step" (none here).
    await options.commitPoint?.prepare();
    options.commitPoint?.commit();
    return { providerId: `demo:${options.messageId}` };
  },
  async close() {},
};

type Reply = (number: string, day: PlainDate) => string;

// What customers answer, in their language; the analysis reads them like any other reply.
const REPLIES: Record<string, Reply[]> = {
  fr: [
    (n, d) =>
      `Bonjour,\n\nNous allons régler la facture ${n} par virement le ${frenchDate(addDays(d, 10))}.\n\nCordialement,\nLa comptabilité`,
    (n) =>
      `Bonjour,\n\nNous contestons la facture ${n} : deux articles de la commande ne nous ont jamais été livrés.\n\nCordialement`,
    (n) =>
      `Bonjour,\n\nPourriez-vous nous renvoyer une copie de la facture ${n} ? Nous ne la retrouvons pas.\n\nMerci d'avance`,
    (n) =>
      `Bonjour,\n\nLe virement pour la facture ${n} a été effectué la semaine dernière.\n\nBonne journée`,
  ],
  en: [
    (n, d) =>
      `Hello,\n\nWe will pay invoice ${n} on ${englishDate(addDays(d, 7))}.\n\nKind regards,\nAccounts payable`,
    (n) => `Hi,\n\nCould you send us a copy of invoice ${n}? We cannot find it in our system.\n\nThanks`,
  ],
  de: [
    (n) =>
      `Guten Tag,\n\ndie Rechnung ${n} wurde bereits letzte Woche überwiesen.\n\nMit freundlichen Grüßen\nBuchhaltung`,
  ],
};

const frenchMonths = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
const englishMonths = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const frenchDate = (d: PlainDate) => `${Number(d.slice(8))} ${frenchMonths[Number(d.slice(5, 7)) - 1]}`;
const englishDate = (d: PlainDate) => `${englishMonths[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8))}`;

/** Replays the `days` before `today`; returns what it did. */
export async function playDemoHistory(
  store: Store,
  org: Organisation,
  today: PlainDate,
  days = 14,
): Promise<{ runs: number; replies: number }> {
  let runs = 0;
  let replies = 0;
  const answered = new Set<string>();
  for (let day = addDays(today, -days); day < today; day = addDays(day, 1)) {
    if (!isBusinessDay(day, org.country)) continue;
    replies += await answerSome(store, org, day, answered);
    await runDay(store, org, { day });
    await deliverDue(store, org, { upTo: day, today: day, transport: nowhere, statement: false });
    runs++;
  }
  return { runs, replies };
}

/** Replies, on `day`, to a few reminders sent two days or more before, one customer in six. */
async function answerSome(
  store: Store,
  org: Organisation,
  day: PlainDate,
  answered: Set<string>,
): Promise<number> {
  const sent = await store.db
    .selectFrom('messages as m')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.id', '=', 'm.customer_id').onRef('c.org_id', '=', 'm.org_id'),
    )
    .innerJoin('message_invoices as mi', (j) =>
      j.onRef('mi.message_id', '=', 'm.id').onRef('mi.org_id', '=', 'm.org_id'),
    )
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.id', '=', 'mi.invoice_id').onRef('i.org_id', '=', 'mi.org_id'),
    )
    .select([
      'm.id',
      'm.customer_id',
      'c.ref',
      'm.subject',
      'm.to_address',
      'm.message_id_header',
      'm.language',
      'i.number',
    ])
    .where('m.org_id', '=', org.id)
    .where('m.status', '=', 'sent')
    .where('m.day', '<=', addDays(day, -2))
    .orderBy('c.ref')
    .orderBy('i.number')
    .execute();
  let count = 0;
  const turns = new Map<string, number>();
  for (const m of sent) {
    if (answered.has(m.customer_id) || !m.to_address || !m.message_id_header) continue;
    if (Number(m.ref.replace(/\D/g, '')) % 6 !== 0) continue;
    answered.add(m.customer_id);
    const language = REPLIES[m.language] ? m.language : 'en';
    const choices = REPLIES[language]!;
    // Each language's answers in turn, so that every kind shows up.
    const turn = turns.get(language) ?? 0;
    turns.set(language, turn + 1);
    const body = choices[turn % choices.length]!(m.number, day);
    const raw = [
      `From: ${m.to_address}`,
      `To: ${org.sender_email ?? 'relances@example.com'}`,
      `Subject: Re: ${m.subject}`,
      `Date: ${new Date(`${day}T10:15:00Z`).toUTCString()}`,
      `Message-ID: <demo-reply-${m.id}@${m.to_address.split('@')[1]}>`,
      `In-Reply-To: ${m.message_id_header}`,
      `References: ${m.message_id_header}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n');
    await ingestMessage(store, raw, { asOf: day, via: 'file', orgId: org.id });
    count++;
  }
  return count;
}
