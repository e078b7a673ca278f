// The overview: what customers owe and how late (per currency, never converted), DSO, what the agent
// did today and will do at its next run, and the tasks waiting for a person. Part of the first load:
// no chart library, the age chart is a list of CSS bars.
import { type ReactNode, useState } from 'react';
import { useResource } from '../components/data.ts';
import { Button, ErrorBox, Loading, Money, PageHeader, Section } from '../components/ui.tsx';
import { defineText, type Format, useFormat, useText } from '../i18n.tsx';
import { Link } from '../router.tsx';
import './overview.css';

type Bucket = 'not_due' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'over_90';
interface Amount {
  amount: string;
  currency: string;
}
interface CurrencyFigures {
  currency: string;
  outstanding: string;
  invoices: string;
  credits: string;
  overdue: string;
  disputed: string;
  openCount: number;
  overdueCount: number;
  disputedCount: number;
  buckets: { bucket: Bucket; amount: string; count: number }[];
  dso: { days: number | null; sales: string; windowDays: number };
}
/** GET /api/overview (src/server/routes/overview.ts describes each field). */
interface OverviewData {
  today: string;
  currency: string;
  currencies: CurrencyFigures[];
  activity: {
    messagesSent: number;
    messagesQueued: number;
    awaitingApproval: number;
    messagesFailed: number;
    reminded: Amount[];
    replies: number;
    promises: number;
    bounces: number;
    payments: number;
    paid: Amount[];
    tasksOpened: number;
    pending: number;
  };
  next: {
    day: string;
    messages: number;
    customers: number;
    invoices: number;
    amounts: Amount[];
    awaitingApproval: number;
  };
  tasks: { open: number; byKind: { kind: string; count: number }[] };
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
// French keeps the singular for zero and one ("0 facture").
const pluriel = (n: number, un: string, plusieurs: string) => (n <= 1 ? un : plusieurs);

const TASK_KINDS_EN: Record<string, string> = {
  missing_contact: 'No valid contact',
  missing_country: 'Country missing',
  missing_address: 'Postal address missing',
  inconsistent_data: 'Inconsistent data',
  no_answer: 'No answer to reminders',
  reminders_exhausted: 'All reminders sent',
  strategic_customer: 'Strategic customer due',
  payment_claimed: 'Payment claimed, not received',
  payment_to_confirm: 'Payment to confirm',
  unmatched_reply: 'Reply from an unknown sender',
  read_reply: 'Reply to read',
  dispute: 'Disputed invoice',
  payment_plan_request: 'Payment plan requested',
  callback_request: 'Callback requested',
  refusal: 'Refusal to pay',
  insolvency: 'Insolvency proceedings',
  wrong_contact: 'Wrong contact',
  document_request: 'Document requested',
  repeated_bounces: 'Repeated bounces',
};
const TASK_KINDS_FR: Record<string, string> = {
  missing_contact: 'Aucun contact valide',
  missing_country: 'Pays manquant',
  missing_address: 'Adresse postale manquante',
  inconsistent_data: 'Données incohérentes',
  no_answer: 'Relances restées sans réponse',
  reminders_exhausted: 'Toutes les relances envoyées',
  strategic_customer: 'Client stratégique à relancer',
  payment_claimed: 'Paiement annoncé, non reçu',
  payment_to_confirm: 'Paiement à confirmer',
  unmatched_reply: 'Réponse d’un expéditeur inconnu',
  read_reply: 'Réponse à lire',
  dispute: 'Facture contestée',
  payment_plan_request: 'Demande d’échéancier',
  callback_request: 'Demande de rappel',
  refusal: 'Refus de payer',
  insolvency: 'Procédure collective',
  wrong_contact: 'Mauvais interlocuteur',
  document_request: 'Document demandé',
  repeated_bounces: 'Rejets répétés',
};
// A kind this page does not know yet is still shown, in the API's own words.
const kindName = (names: Record<string, string>, kind: string) => names[kind] ?? kind.replaceAll('_', ' ');

const text = defineText(
  {
    title: 'Overview',
    asOf: 'Figures for',
    outstanding: 'Outstanding',
    overdue: 'Overdue',
    dso: 'DSO',
    openTasks: 'Open tasks',
    openInvoices: (n: number) => plural(n, '1 invoice still due', `${n} invoices still due`),
    overdueInvoices: (n: number) => plural(n, '1 invoice past due', `${n} invoices past due`),
    days: (n: number) => plural(n, '1 day', `${n} days`),
    noSales: 'no sales lately',
    dsoHint: (w: number) => `Days sales outstanding, against the last ${w} days of sales`,
    ageing: 'Amount by age',
    ageList: (currency: string) => `Invoices still due by days past due date, ${currency}`,
    currency: 'Currency',
    not_due: 'Not yet due',
    days_1_30: '1–30 days',
    days_31_60: '31–60 days',
    days_61_90: '61–90 days',
    over_90: 'Over 90 days',
    invoices: (n: number) => plural(n, '1 invoice', `${n} invoices`),
    credits: 'Credit notes not yet used',
    disputed: 'Disputed (included above)',
    nothingOwed: 'Nothing is owed: no invoice is waiting for payment.',
    importLink: 'Import invoices',
    today: 'Today',
    sent: 'Messages sent',
    queued: 'Messages about to leave',
    awaiting: 'Waiting for your approval',
    failed: 'Messages not sent',
    reminded: 'Amount reminded',
    replies: 'Replies received',
    promises: (n: number) => plural(n, '1 promise to pay', `${n} promises to pay`),
    bounces: 'Bounced emails',
    payments: 'Payments received',
    paid: 'Amount received',
    tasksOpened: 'New tasks',
    pending: 'Customers still to remind today',
    next: 'Next business day',
    nextOn: (day: string) => `Next run: ${day}`,
    messages: 'Messages planned',
    customers: 'Customers',
    plannedInvoices: 'Invoices',
    amount: 'Amount asked for',
    nothingPlanned: 'Nothing is planned for that day.',
    seeQueue: 'See the queue',
    seeTasks: 'See the tasks',
    noTasks: 'No task is waiting for a person.',
    tasksByKind: 'Open tasks by kind',
    total: 'Total',
    kind: (kind: string) => kindName(TASK_KINDS_EN, kind),
  },
  {
    title: 'Vue d’ensemble',
    asOf: 'Chiffres du',
    outstanding: 'Encours',
    overdue: 'Échu',
    dso: 'DSO',
    openTasks: 'Tâches ouvertes',
    openInvoices: (n: number) => pluriel(n, `${n} facture à encaisser`, `${n} factures à encaisser`),
    overdueInvoices: (n: number) => pluriel(n, `${n} facture en retard`, `${n} factures en retard`),
    days: (n: number) => pluriel(n, `${n} jour`, `${n} jours`),
    noSales: 'aucune vente récente',
    dsoHint: (w: number) => `Délai moyen de paiement, sur les ventes des ${w} derniers jours`,
    ageing: 'Montants par ancienneté',
    ageList: (currency: string) => `Factures à encaisser par jours de retard, ${currency}`,
    currency: 'Devise',
    not_due: 'Non échu',
    days_1_30: '1 à 30 jours',
    days_31_60: '31 à 60 jours',
    days_61_90: '61 à 90 jours',
    over_90: 'Plus de 90 jours',
    invoices: (n: number) => pluriel(n, `${n} facture`, `${n} factures`),
    credits: 'Avoirs non imputés',
    disputed: 'En litige (compris ci-dessus)',
    nothingOwed: 'Rien à encaisser : aucune facture n’attend de paiement.',
    importLink: 'Importer des factures',
    today: 'Aujourd’hui',
    sent: 'Messages envoyés',
    queued: 'Messages sur le départ',
    awaiting: 'En attente de votre validation',
    failed: 'Messages non partis',
    reminded: 'Montant relancé',
    replies: 'Réponses reçues',
    promises: (n: number) => pluriel(n, `${n} promesse de paiement`, `${n} promesses de paiement`),
    bounces: 'E-mails rejetés',
    payments: 'Paiements reçus',
    paid: 'Montant encaissé',
    tasksOpened: 'Nouvelles tâches',
    pending: 'Clients encore à relancer aujourd’hui',
    next: 'Prochain jour ouvré',
    nextOn: (day: string) => `Prochain passage : ${day}`,
    messages: 'Messages prévus',
    customers: 'Clients',
    plannedInvoices: 'Factures',
    amount: 'Montant réclamé',
    nothingPlanned: 'Rien n’est prévu ce jour-là.',
    seeQueue: 'Voir la file de relances',
    seeTasks: 'Voir les tâches',
    noTasks: 'Aucune tâche n’attend d’intervention.',
    tasksByKind: 'Tâches ouvertes par type',
    total: 'Total',
    kind: (kind: string) => kindName(TASK_KINDS_FR, kind),
  },
);
type Text = (typeof text)['en'];

const BUCKETS: Bucket[] = ['not_due', 'days_1_30', 'days_31_60', 'days_61_90', 'over_90'];

/** A day with its weekday: "Thursday 12 November 2026", "jeudi 12 novembre 2026". */
function longDay(f: Format, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(f.lang === 'fr' ? 'fr-FR' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y!, m! - 1, d!));
}

/** A tile: its caption names it (tests and screen readers find it by that name). */
function Tile({ label, children }: { label: string; children: ReactNode }) {
  return (
    <figure className="stat overview-tile">
      <figcaption className="label">{label}</figcaption>
      {children}
    </figure>
  );
}

/** One figure per currency: the organisation's first and large, the others below it. */
function PerCurrency({
  items,
  render,
}: {
  items: CurrencyFigures[];
  render: (c: CurrencyFigures) => ReactNode;
}) {
  return (
    <ul className="overview-values">
      {items.map((c, i) => (
        <li key={c.currency} className={i === 0 ? 'value' : 'overview-value-more'}>
          {render(c)}
        </li>
      ))}
    </ul>
  );
}

function Totals({ data, t }: { data: OverviewData; t: Text }) {
  const f = useFormat();
  const several = data.currencies.length > 1;
  return (
    <div className="stats">
      <Tile label={t.overdue}>
        <PerCurrency
          items={data.currencies}
          render={(c) => <Money amount={c.overdue} currency={c.currency} />}
        />
        <div className="overview-sub">
          {t.overdueInvoices(data.currencies.reduce((n, c) => n + c.overdueCount, 0))}
        </div>
      </Tile>
      <Tile label={t.outstanding}>
        <PerCurrency
          items={data.currencies}
          render={(c) => <Money amount={c.outstanding} currency={c.currency} />}
        />
        <div className="overview-sub">
          {t.openInvoices(data.currencies.reduce((n, c) => n + c.openCount, 0))}
        </div>
      </Tile>
      <Tile label={t.dso}>
        <PerCurrency
          items={data.currencies}
          render={(c) => (
            <>
              {c.dso.days === null ? t.noSales : t.days(c.dso.days)}
              {several ? <span className="overview-currency"> {c.currency}</span> : null}
            </>
          )}
        />
        <div className="overview-sub">{t.dsoHint(data.currencies[0]?.dso.windowDays ?? 90)}</div>
      </Tile>
      <Tile label={t.openTasks}>
        <div className="value">{f.number(data.tasks.open)}</div>
        <div className="overview-sub">
          <Link href="/tasks">{t.seeTasks}</Link>
        </div>
      </Tile>
    </div>
  );
}

function AgeChart({ data, t }: { data: OverviewData; t: Text }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const figures = data.currencies.find((c) => c.currency === chosen) ?? data.currencies[0];
  if (!figures) return null;
  const max = Math.max(...figures.buckets.map((b) => Number(b.amount)), 0);
  const switcher =
    data.currencies.length > 1 ? (
      // biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a form's fieldset
      <div className="overview-switch" role="group" aria-label={t.currency}>
        {data.currencies.map((c) => (
          <Button
            key={c.currency}
            variant={c.currency === figures.currency ? 'primary' : 'default'}
            aria-pressed={c.currency === figures.currency}
            onClick={() => setChosen(c.currency)}
          >
            {c.currency}
          </Button>
        ))}
      </div>
    ) : undefined;
  return (
    <Section title={t.ageing} actions={switcher}>
      <ul className="overview-bars" aria-label={t.ageList(figures.currency)}>
        {BUCKETS.map((bucket, i) => {
          const b = figures.buckets.find((x) => x.bucket === bucket) ?? { amount: '0', count: 0 };
          const share = max > 0 ? (Number(b.amount) / max) * 100 : 0;
          return (
            <li key={bucket} className="overview-bar">
              <span className="overview-bar-label">{t[bucket]}</span>
              <span className="bar-track overview-bar-track" aria-hidden="true">
                <span
                  className={`bar-fill overview-age-${i}`}
                  style={{ width: share > 0 ? `max(3px, ${share.toFixed(2)}%)` : 0 }}
                />
              </span>
              <span className="overview-bar-amount">
                <Money amount={b.amount} currency={figures.currency} />
                <span className="overview-sub">{t.invoices(b.count)}</span>
              </span>
            </li>
          );
        })}
      </ul>
      {Number(figures.credits) > 0 || figures.disputedCount > 0 ? (
        <dl className="facts overview-notes">
          {Number(figures.credits) > 0 ? (
            <>
              <dt>{t.credits}</dt>
              <dd>
                <Money amount={`-${figures.credits}`} currency={figures.currency} />
              </dd>
            </>
          ) : null}
          {figures.disputedCount > 0 ? (
            <>
              <dt>{t.disputed}</dt>
              <dd>
                <Money amount={figures.disputed} currency={figures.currency} /> ·{' '}
                {t.invoices(figures.disputedCount)}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </Section>
  );
}

/** Amounts in several currencies, one a line. */
function Amounts({ items }: { items: Amount[] }) {
  if (items.length === 0) return <>—</>;
  return (
    <span className="overview-amounts">
      {items.map((a) => (
        <span key={a.currency}>
          <Money amount={a.amount} currency={a.currency} />
        </span>
      ))}
    </span>
  );
}

function Today({ data, t }: { data: OverviewData; t: Text }) {
  const f = useFormat();
  const a = data.activity;
  return (
    <Section title={t.today}>
      <dl className="facts">
        <dt>{t.sent}</dt>
        <dd>{f.number(a.messagesSent)}</dd>
        {a.messagesQueued > 0 ? (
          <>
            <dt>{t.queued}</dt>
            <dd>{f.number(a.messagesQueued)}</dd>
          </>
        ) : null}
        <dt>{t.reminded}</dt>
        <dd>
          <Amounts items={a.reminded} />
        </dd>
        {a.awaitingApproval > 0 ? (
          <>
            <dt>{t.awaiting}</dt>
            <dd>
              <Link href="/queue">{f.number(a.awaitingApproval)}</Link>
            </dd>
          </>
        ) : null}
        {a.messagesFailed > 0 ? (
          <>
            <dt>{t.failed}</dt>
            <dd className="overview-bad">{f.number(a.messagesFailed)}</dd>
          </>
        ) : null}
        <dt>{t.replies}</dt>
        <dd>
          {f.number(a.replies)}
          {a.promises > 0 ? <span className="muted"> · {t.promises(a.promises)}</span> : null}
        </dd>
        {a.bounces > 0 ? (
          <>
            <dt>{t.bounces}</dt>
            <dd>{f.number(a.bounces)}</dd>
          </>
        ) : null}
        <dt>{t.payments}</dt>
        <dd>{f.number(a.payments)}</dd>
        {a.paid.length > 0 ? (
          <>
            <dt>{t.paid}</dt>
            <dd>
              <Amounts items={a.paid} />
            </dd>
          </>
        ) : null}
        <dt>{t.tasksOpened}</dt>
        <dd>
          <Link href="/tasks">{f.number(a.tasksOpened)}</Link>
        </dd>
        {a.pending > 0 ? (
          <>
            <dt>{t.pending}</dt>
            <dd>
              <Link href="/queue">{f.number(a.pending)}</Link>
            </dd>
          </>
        ) : null}
      </dl>
    </Section>
  );
}

function Next({ data, t }: { data: OverviewData; t: Text }) {
  const f = useFormat();
  const n = data.next;
  return (
    <Section title={t.next}>
      <p className="overview-day">{t.nextOn(longDay(f, n.day))}</p>
      {n.messages === 0 ? (
        <p className="muted">{t.nothingPlanned}</p>
      ) : (
        <dl className="facts">
          <dt>{t.messages}</dt>
          <dd>{f.number(n.messages)}</dd>
          <dt>{t.customers}</dt>
          <dd>{f.number(n.customers)}</dd>
          <dt>{t.plannedInvoices}</dt>
          <dd>{f.number(n.invoices)}</dd>
          <dt>{t.amount}</dt>
          <dd>
            <Amounts items={n.amounts} />
          </dd>
        </dl>
      )}
      {n.awaitingApproval > 0 ? (
        <dl className="facts overview-notes">
          <dt>{t.awaiting}</dt>
          <dd>{f.number(n.awaitingApproval)}</dd>
        </dl>
      ) : null}
      <p className="overview-link">
        <Link href="/queue">{t.seeQueue}</Link>
      </p>
    </Section>
  );
}

function Tasks({ data, t }: { data: OverviewData; t: Text }) {
  const f = useFormat();
  return (
    <Section title={t.openTasks}>
      {data.tasks.byKind.length === 0 ? (
        <p className="muted">{t.noTasks}</p>
      ) : (
        <ul className="overview-kinds" aria-label={t.tasksByKind}>
          {data.tasks.byKind.map((k) => (
            <li key={k.kind}>
              <span>{t.kind(k.kind)}</span>
              <span className="num">{f.number(k.count)}</span>
            </li>
          ))}
          <li className="overview-kinds-total">
            <span>{t.total}</span>
            <span className="num">{f.number(data.tasks.open)}</span>
          </li>
        </ul>
      )}
      <p className="overview-link">
        <Link href="/tasks">{t.seeTasks}</Link>
      </p>
    </Section>
  );
}

export default function Overview() {
  const t = useText(text);
  const f = useFormat();
  const { data, error, reload } = useResource<OverviewData>('/overview');
  return (
    <>
      <PageHeader title={t.title}>
        {data ? (
          <span className="muted">
            {t.asOf} {f.date(data.today)}
          </span>
        ) : null}
      </PageHeader>
      {error ? <ErrorBox error={error} onRetry={reload} /> : null}
      {!data ? (
        error ? null : (
          <Loading />
        )
      ) : (
        <>
          {data.currencies.length > 0 ? (
            <>
              <Totals data={data} t={t} />
              <AgeChart data={data} t={t} />
            </>
          ) : (
            <div className="card">
              <p>{t.nothingOwed}</p>
              <Link href="/imports">{t.importLink}</Link>
            </div>
          )}
          <div className="grid overview-grid">
            <Today data={data} t={t} />
            <Next data={data} t={t} />
            <Tasks data={data} t={t} />
          </div>
        </>
      )}
    </>
  );
}
