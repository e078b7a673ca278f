// The customers: who owes what, who is late, who answers, whose address bounced; found by name,
// ref or email, sorted by what matters when chasing money. Filters live in the address.
import { useEffect, useState } from 'react';
import { query } from '../api.ts';
import { usePaged } from '../components/data.ts';
import {
  Badge,
  type Column,
  DataTable,
  Day,
  ErrorBox,
  Field,
  Loading,
  Money,
  MoreButton,
  PageHeader,
  type Sort,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { Link, setQuery, useLocation } from '../router.tsx';
import './customers.css';

export interface Balance {
  currency: string;
  outstanding: string;
  overdue: string;
}

export interface Behaviour {
  averageDaysLate: number | null;
  paidInvoices: number;
  reminders: number;
  lastReminderOn: string | null;
  lastReply: { day: string; intent: string | null } | null;
  maxDaysOverdue: number;
  bouncedContact: boolean;
}

export interface CustomerRow {
  ref: string;
  name: string;
  country: string | null;
  language: string | null;
  strategic: boolean;
  excluded: boolean;
  balances: Balance[];
  openInvoices: number;
  behaviour: Behaviour;
}

const INTENTS = {
  en: {
    promise_to_pay: 'Promise to pay',
    already_paid: 'Says paid',
    dispute: 'Dispute',
    payment_plan_request: 'Asks for a plan',
    document_request: 'Asks for a document',
    callback_request: 'Asks for a call',
    refusal: 'Refusal',
    insolvency: 'Insolvency',
    wrong_contact: 'Wrong contact',
    auto_reply: 'Automatic reply',
    other: 'Other',
  },
  fr: {
    promise_to_pay: 'Promesse de paiement',
    already_paid: 'Dit avoir payé',
    dispute: 'Litige',
    payment_plan_request: 'Demande un échéancier',
    document_request: 'Demande un document',
    callback_request: 'Demande un appel',
    refusal: 'Refus',
    insolvency: 'Procédure collective',
    wrong_contact: 'Mauvais contact',
    auto_reply: 'Réponse automatique',
    other: 'Autre',
  },
} as const;

const INTENT_TONE: Record<string, 'good' | 'warn' | 'bad' | 'info' | 'neutral'> = {
  promise_to_pay: 'good',
  already_paid: 'good',
  dispute: 'bad',
  refusal: 'bad',
  insolvency: 'bad',
  payment_plan_request: 'warn',
  wrong_contact: 'warn',
  document_request: 'info',
  callback_request: 'info',
};

/** What a reply was understood to say, in the member's language. */
export function IntentBadge({ intent }: { intent: string | null }) {
  const { lang } = useFormat();
  const words: Record<string, string> = INTENTS[lang];
  const key = intent ?? 'other';
  return <Badge tone={INTENT_TONE[key] ?? 'neutral'}>{words[key] ?? key}</Badge>;
}

/** Several currencies on several lines; nothing owed as a dash. */
export function Balances({ balances, field }: { balances: Balance[]; field: 'outstanding' | 'overdue' }) {
  const shown = balances.filter((b) => Number(b[field]) !== 0);
  if (shown.length === 0) return <span className="muted">—</span>;
  return (
    <span className="balances">
      {shown.map((b) => (
        <Money key={b.currency} amount={b[field]} currency={b.currency} />
      ))}
    </span>
  );
}

const text = defineText(
  {
    title: 'Customers',
    caption: 'Customers',
    search: 'Search',
    searchHint: 'Name, reference or email',
    show: 'Show',
    all: 'All customers',
    overdue: 'With overdue invoices',
    bounced: 'With a bounced address',
    customer: 'Customer',
    outstanding: 'Balance',
    overdueCol: 'Overdue',
    late: 'Oldest overdue',
    averageLate: 'Pays on average',
    reminders: 'Reminders (12 months)',
    lastReply: 'Last reply',
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    daysLate: (n: number) => (n === 0 ? 'on time' : n === 1 ? '1 day late' : `${n} days late`),
    strategic: 'Strategic',
    excluded: 'Excluded',
    bouncedBadge: 'Bounced address',
    none: 'No customer matches.',
  },
  {
    title: 'Clients',
    caption: 'Clients',
    search: 'Rechercher',
    searchHint: 'Nom, référence ou e-mail',
    show: 'Afficher',
    all: 'Tous les clients',
    overdue: 'Avec des factures en retard',
    bounced: 'Avec une adresse en erreur',
    customer: 'Client',
    outstanding: 'Solde',
    overdueCol: 'En retard',
    late: 'Plus ancien retard',
    averageLate: 'Paie en moyenne',
    reminders: 'Relances (12 mois)',
    lastReply: 'Dernière réponse',
    days: (n: number) => (n <= 1 ? `${n} jour` : `${n} jours`),
    daysLate: (n: number) => (n === 0 ? 'à l’heure' : n === 1 ? '1 jour de retard' : `${n} jours de retard`),
    strategic: 'Stratégique',
    excluded: 'Exclu',
    bouncedBadge: 'Adresse en erreur',
    none: 'Aucun client ne correspond.',
  },
);

const SORTS = ['name', 'outstanding', 'overdue', 'late'] as const;

export default function Customers() {
  const t = useText(text);
  const { query: q } = useLocation();
  const search = q.get('q') ?? '';
  const show = q.get('show') ?? '';
  const sortKey = (SORTS as readonly string[]).includes(q.get('sort') ?? '') ? q.get('sort')! : 'ref';
  const dir = q.get('dir') === 'desc' || q.get('dir') === 'asc' ? q.get('dir')! : undefined;
  const sort: Sort | undefined =
    sortKey === 'ref'
      ? undefined
      : { key: sortKey, dir: (dir ?? (sortKey === 'name' ? 'asc' : 'desc')) as Sort['dir'] };
  const [typed, setTyped] = useState(search);
  // Typing waits for a pause before it asks the server.
  useEffect(() => {
    if (typed === search) return;
    const id = setTimeout(() => setQuery({ q: typed.trim() || null }), 300);
    return () => clearTimeout(id);
  }, [typed, search]);

  const paged = usePaged<CustomerRow>(
    `/customers${query({
      q: search,
      sort: sort?.key,
      dir: sort?.dir,
      overdue: show === 'overdue' ? 'true' : undefined,
      bounced: show === 'bounced' ? 'true' : undefined,
      limit: 50,
    })}`,
  );

  const columns: Column<CustomerRow>[] = [
    {
      key: 'name',
      label: t.customer,
      sortable: true,
      render: (c) => (
        <div className="customer-cell">
          <Link href={`/customers/${encodeURIComponent(c.ref)}`}>{c.name}</Link>
          <span className="muted small">{c.ref}</span>
          <span className="customer-badges">
            {c.strategic ? <Badge tone="info">{t.strategic}</Badge> : null}
            {c.excluded ? <Badge>{t.excluded}</Badge> : null}
            {c.behaviour.bouncedContact ? <Badge tone="bad">{t.bouncedBadge}</Badge> : null}
          </span>
        </div>
      ),
    },
    {
      key: 'outstanding',
      label: t.outstanding,
      numeric: true,
      sortable: true,
      render: (c) => <Balances balances={c.balances} field="outstanding" />,
    },
    {
      key: 'overdue',
      label: t.overdueCol,
      numeric: true,
      sortable: true,
      render: (c) => <Balances balances={c.balances} field="overdue" />,
    },
    {
      key: 'late',
      label: t.late,
      numeric: true,
      sortable: true,
      render: (c) =>
        c.behaviour.maxDaysOverdue > 0 ? (
          t.days(c.behaviour.maxDaysOverdue)
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      key: 'averageLate',
      label: t.averageLate,
      numeric: true,
      secondary: true,
      render: (c) =>
        c.behaviour.averageDaysLate === null ? (
          <span className="muted">—</span>
        ) : (
          t.daysLate(Math.round(c.behaviour.averageDaysLate))
        ),
    },
    {
      key: 'reminders',
      label: t.reminders,
      numeric: true,
      secondary: true,
      render: (c) => c.behaviour.reminders,
    },
    {
      key: 'lastReply',
      label: t.lastReply,
      secondary: true,
      render: (c) =>
        c.behaviour.lastReply ? (
          <span className="reply-cell">
            <IntentBadge intent={c.behaviour.lastReply.intent} />
            <span className="muted small">
              <Day value={c.behaviour.lastReply.day} />
            </span>
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t.title} />
      <form className="filters page-filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t.search} hint={t.searchHint}>
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <Field label={t.show}>
          <select value={show} onChange={(e) => setQuery({ show: e.target.value || null })}>
            <option value="">{t.all}</option>
            <option value="overdue">{t.overdue}</option>
            <option value="bounced">{t.bounced}</option>
          </select>
        </Field>
      </form>
      {paged.error ? <ErrorBox error={paged.error} onRetry={paged.reload} /> : null}
      {paged.loading && paged.items.length === 0 ? (
        <Loading />
      ) : (
        <div className="card customers-list">
          <DataTable
            caption={t.caption}
            columns={columns}
            rows={paged.items}
            rowKey={(c) => c.ref}
            sort={sort}
            onSort={(s) =>
              // Money and lateness first show who owes most; a second click turns the order round.
              setQuery({ sort: s.key, dir: sort?.key === s.key ? s.dir : s.key === 'name' ? 'asc' : 'desc' })
            }
            empty={t.none}
          />
          <MoreButton more={paged.more} loading={paged.loading} onMore={paged.loadMore} />
        </div>
      )}
    </>
  );
}
