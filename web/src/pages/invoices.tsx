// The invoices and credit notes: filtered by status, searched by number, customer or PO, sorted,
// each with how late it is and the agent's next step. Filters live in the address.
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
import './invoices.css';

export interface InvoiceRow {
  number: string;
  type: 'invoice' | 'credit_note';
  customer: { ref: string; name: string };
  issueDate: string;
  dueDate: string;
  currency: string;
  total: string;
  outstanding: string;
  status: string;
  daysOverdue: number;
  poNumber: string | null;
  appliesTo: string | null;
  nextStep: { level: number | null; plannedFor: string; status: string } | null;
}

const STATUS = {
  en: {
    open: 'Open',
    partially_paid: 'Partly paid',
    paid: 'Paid',
    disputed: 'Disputed',
    cancelled: 'Cancelled',
    written_off: 'Written off',
  },
  fr: {
    open: 'Ouverte',
    partially_paid: 'Payée en partie',
    paid: 'Payée',
    disputed: 'En litige',
    cancelled: 'Annulée',
    written_off: 'Passée en perte',
  },
} as const;

const STATUS_TONE: Record<string, 'good' | 'warn' | 'bad' | 'info' | 'neutral'> = {
  paid: 'good',
  partially_paid: 'info',
  disputed: 'bad',
  open: 'warn',
};

export function InvoiceStatusBadge({ status }: { status: string }) {
  const { lang } = useFormat();
  const words: Record<string, string> = STATUS[lang];
  return <Badge tone={STATUS_TONE[status] ?? 'neutral'}>{words[status] ?? status}</Badge>;
}

const DELIVERY = {
  en: {
    awaiting_approval: 'Awaiting approval',
    queued: 'Queued',
    sending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    bounced: 'Bounced',
    failed: 'Failed',
    cancelled: 'Cancelled',
    suspended: 'Held back',
  },
  fr: {
    awaiting_approval: 'À approuver',
    queued: 'En attente d’envoi',
    sending: 'En cours d’envoi',
    sent: 'Envoyé',
    delivered: 'Remis',
    bounced: 'Rejeté',
    failed: 'Échec',
    cancelled: 'Annulé',
    suspended: 'Retenu',
  },
} as const;

const DELIVERY_TONE: Record<string, 'good' | 'warn' | 'bad' | 'info' | 'neutral'> = {
  delivered: 'good',
  sent: 'good',
  bounced: 'bad',
  failed: 'bad',
  suspended: 'warn',
  awaiting_approval: 'warn',
  queued: 'info',
  sending: 'info',
};

/** What became of a message: queued, sent, delivered, bounced, failed… */
export function DeliveryBadge({ status }: { status: string }) {
  const { lang } = useFormat();
  const words: Record<string, string> = DELIVERY[lang];
  return <Badge tone={DELIVERY_TONE[status] ?? 'neutral'}>{words[status] ?? status}</Badge>;
}

const text = defineText(
  {
    title: 'Invoices',
    caption: 'Invoices',
    search: 'Search',
    searchHint: 'Number, customer or PO',
    status: 'Status',
    all: 'All',
    overdue: 'Overdue',
    number: 'Number',
    customer: 'Customer',
    issued: 'Issued',
    due: 'Due',
    total: 'Total',
    outstanding: 'Outstanding',
    late: 'Late',
    next: 'Next step',
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    level: (n: number | null) => (n === null ? 'Follow-up' : n === 0 ? 'Courtesy' : `Level ${n}`),
    creditNote: 'Credit note',
    none: 'No invoice matches.',
  },
  {
    title: 'Factures',
    caption: 'Factures',
    search: 'Rechercher',
    searchHint: 'Numéro, client ou bon de commande',
    status: 'Statut',
    all: 'Toutes',
    overdue: 'En retard',
    number: 'Numéro',
    customer: 'Client',
    issued: 'Émise le',
    due: 'Échéance',
    total: 'Total',
    outstanding: 'Reste dû',
    late: 'Retard',
    next: 'Prochaine étape',
    days: (n: number) => (n <= 1 ? `${n} jour` : `${n} jours`),
    level: (n: number | null) => (n === null ? 'Suivi' : n === 0 ? 'Courtoisie' : `Niveau ${n}`),
    creditNote: 'Avoir',
    none: 'Aucune facture ne correspond.',
  },
);

/** The agent's next step for an invoice still due: its level and day. */
export function NextStep({ step }: { step: InvoiceRow['nextStep'] }) {
  const t = useText(text);
  if (!step) return <span className="muted">—</span>;
  return (
    <span className="next-step">
      <span>{t.level(step.level)}</span>
      <span className="muted small">
        <Day value={step.plannedFor} />
      </span>
    </span>
  );
}

const SORTS = ['number', 'customer', 'issueDate', 'dueDate', 'outstanding', 'total'] as const;
const STATUSES = ['open', 'partially_paid', 'disputed', 'paid', 'cancelled', 'written_off'] as const;

export default function Invoices() {
  const t = useText(text);
  const { lang } = useFormat();
  const { query: q } = useLocation();
  const search = q.get('q') ?? '';
  const status = q.get('status') ?? '';
  const sortKey = (SORTS as readonly string[]).includes(q.get('sort') ?? '') ? q.get('sort')! : 'number';
  const sort: Sort = { key: sortKey, dir: q.get('dir') === 'desc' ? 'desc' : 'asc' };
  const [typed, setTyped] = useState(search);
  useEffect(() => {
    if (typed === search) return;
    const id = setTimeout(() => setQuery({ q: typed.trim() || null }), 300);
    return () => clearTimeout(id);
  }, [typed, search]);

  const paged = usePaged<InvoiceRow>(
    `/invoices${query({
      q: search,
      status: status === 'overdue' ? undefined : status,
      overdue: status === 'overdue' ? 'true' : undefined,
      sort: sortKey === 'number' ? undefined : sortKey,
      dir: sort.dir === 'desc' ? 'desc' : undefined,
      limit: 50,
    })}`,
  );

  const columns: Column<InvoiceRow>[] = [
    {
      key: 'number',
      label: t.number,
      sortable: true,
      render: (i) => (
        <span className="invoice-number">
          <Link href={`/invoices/${encodeURIComponent(i.number)}`}>{i.number}</Link>
          {i.type === 'credit_note' ? <Badge tone="info">{t.creditNote}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'customer',
      label: t.customer,
      sortable: true,
      render: (i) => <Link href={`/customers/${encodeURIComponent(i.customer.ref)}`}>{i.customer.name}</Link>,
    },
    {
      key: 'issueDate',
      label: t.issued,
      sortable: true,
      secondary: true,
      render: (i) => (
        <span className="nowrap">
          <Day value={i.issueDate} />
        </span>
      ),
    },
    {
      key: 'dueDate',
      label: t.due,
      sortable: true,
      render: (i) => (
        <span className="nowrap">
          <Day value={i.dueDate} />
        </span>
      ),
    },
    {
      key: 'total',
      label: t.total,
      numeric: true,
      sortable: true,
      secondary: true,
      render: (i) => <Money amount={i.total} currency={i.currency} />,
    },
    {
      key: 'outstanding',
      label: t.outstanding,
      numeric: true,
      sortable: true,
      render: (i) => <Money amount={i.outstanding} currency={i.currency} />,
    },
    { key: 'status', label: t.status, render: (i) => <InvoiceStatusBadge status={i.status} /> },
    {
      key: 'late',
      label: t.late,
      numeric: true,
      render: (i) => (i.daysOverdue > 0 ? t.days(i.daysOverdue) : <span className="muted">—</span>),
    },
    { key: 'next', label: t.next, render: (i) => <NextStep step={i.nextStep} /> },
  ];

  return (
    <>
      <PageHeader title={t.title} />
      <form className="filters page-filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t.search} hint={t.searchHint}>
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <Field label={t.status}>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value || null })}>
            <option value="">{t.all}</option>
            <option value="overdue">{t.overdue}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS[lang][s]}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {paged.error ? <ErrorBox error={paged.error} onRetry={paged.reload} /> : null}
      {paged.loading && paged.items.length === 0 ? (
        <Loading />
      ) : (
        <div className="card invoices-list">
          <DataTable
            caption={t.caption}
            columns={columns}
            rows={paged.items}
            rowKey={(i) => i.number}
            sort={sort}
            onSort={(s) => {
              // Amounts first show the largest; a second click turns the order round.
              const dir =
                sort.key === s.key ? s.dir : s.key === 'outstanding' || s.key === 'total' ? 'desc' : 'asc';
              setQuery({ sort: s.key === 'number' ? null : s.key, dir: dir === 'desc' ? 'desc' : null });
            }}
            empty={t.none}
          />
          <MoreButton more={paged.more} loading={paged.loading} onMore={paged.loadMore} />
        </div>
      )}
    </>
  );
}
