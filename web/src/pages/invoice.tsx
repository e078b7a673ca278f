// One invoice or credit note: its facts, what settled it, the plan the agent foresees for it (dates,
// levels and reasons, as `ardent forecast` would say), the reminders sent and what became of them,
// and its history.
import { useResource } from '../components/data.ts';
import {
  Badge,
  type Column,
  DataTable,
  Day,
  Empty,
  ErrorBox,
  Loading,
  Money,
  PageHeader,
  Section,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { DeliveryBadge, type InvoiceRow, InvoiceStatusBadge } from './invoices.tsx';
import './invoices.css';

interface PlannedStep {
  date: string;
  kind: 'email' | 'letter' | 'approval' | 'in_person' | 'task';
  level: number | null;
  invoices: string[];
  amounts: { amount: string; currency: string }[];
  reason: string;
}

interface InvoiceDetail extends Omit<InvoiceRow, 'nextStep'> {
  statusReason: string | null;
  absentSince: string | null;
  stopped: boolean;
  dunning: {
    lastLevel: number | null;
    lastSentOn: string | null;
    remindersSent: number;
    postponedUntil: string | null;
    pausedUntil: string | null;
    pauseReason: string | null;
    stopReason: string | null;
  } | null;
  promise: {
    kind: string;
    madeOn: string;
    promisedDate: string | null;
    graceUntil: string;
    status: string;
  } | null;
  plan: {
    from: string;
    days: number;
    next: { level: number | null; date: string | null; reason: string; status: string } | null;
    steps: PlannedStep[];
  } | null;
  reminders: {
    day: string;
    level: number;
    status: string;
    delivery: string;
    bounce: { day: string; status: string; reason: string } | null;
    opened: boolean;
    channel: string;
    to: string | null;
    subject: string;
    amount: string;
    currency: string;
  }[];
  settlements: {
    amount: string;
    currency: string;
    kind: 'payment' | 'credit_note';
    creditNote: string | null;
    receivedOn: string | null;
    method: string | null;
    reference: string | null;
  }[];
  history: { at: string; day: string | null; kind: string; actor: string; summary: string }[];
}

const text = defineText(
  {
    invoice: (n: string) => `Invoice ${n}`,
    creditNote: (n: string) => `Credit note ${n}`,
    facts: 'Details',
    customer: 'Customer',
    issued: 'Issued',
    due: 'Due',
    total: 'Total',
    outstanding: 'Outstanding',
    late: 'Late',
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    po: 'Purchase order',
    appliesTo: 'Corrects',
    why: 'Why',
    absent: 'Missing from the last full import since',
    reminded: 'Reminders sent',
    lastLevel: (n: number | null, day: string) =>
      n === null ? `last on ${day}` : `level ${n}, last on ${day}`,
    paused: 'Paused until',
    stopped: 'Reminders stopped',
    promise: 'Promise to pay',
    paidClaim: 'Says it paid',
    graceUntil: 'waiting until',
    plan: 'Plan',
    planIntro: (days: number) =>
      `What the agent will do over the next ${days} days if no payment or reply comes in.`,
    noPlan: 'Nothing planned.',
    step: 'Step',
    date: 'Date',
    covers: 'In the same message',
    amount: 'Amount',
    reason: 'Reason',
    email: (n: number | null) =>
      n === null ? 'Follow-up email' : n === 0 ? 'Courtesy email' : `Reminder level ${n}`,
    letter: (n: number | null) => (n === null ? 'Follow-up letter' : `Letter, level ${n}`),
    approval: (n: number | null) => `Level ${n ?? '—'}, awaiting approval`,
    in_person: (n: number | null) => `Level ${n ?? '—'}: a person is told (strategic customer)`,
    task: () => 'Task for the team',
    settlements: 'Payments and credit notes',
    noSettlement: 'Nothing has settled it yet.',
    payment: 'Payment',
    creditNoteKind: 'Credit note',
    received: 'Received',
    reference: 'Reference',
    reminders: 'Reminders',
    noReminder: 'No reminder yet.',
    level: 'Level',
    to: 'To',
    subject: 'Subject',
    delivery: 'Delivery',
    opened: 'Opened',
    history: 'History',
    noHistory: 'Nothing yet.',
    by: 'by',
  },
  {
    invoice: (n: string) => `Facture ${n}`,
    creditNote: (n: string) => `Avoir ${n}`,
    facts: 'Détails',
    customer: 'Client',
    issued: 'Émise le',
    due: 'Échéance',
    total: 'Total',
    outstanding: 'Reste dû',
    late: 'Retard',
    days: (n: number) => (n <= 1 ? `${n} jour` : `${n} jours`),
    po: 'Bon de commande',
    appliesTo: 'Corrige',
    why: 'Pourquoi',
    absent: 'Absente du dernier import complet depuis le',
    reminded: 'Relances envoyées',
    lastLevel: (n: number | null, day: string) =>
      n === null ? `dernière le ${day}` : `niveau ${n}, dernière le ${day}`,
    paused: 'En pause jusqu’au',
    stopped: 'Relances arrêtées',
    promise: 'Promesse de paiement',
    paidClaim: 'Dit avoir payé',
    graceUntil: 'attente jusqu’au',
    plan: 'Plan',
    planIntro: (days: number) =>
      `Ce que l’agent fera dans les ${days} prochains jours si aucun paiement ni aucune réponse n’arrive.`,
    noPlan: 'Rien de prévu.',
    step: 'Étape',
    date: 'Date',
    covers: 'Dans le même message',
    amount: 'Montant',
    reason: 'Raison',
    email: (n: number | null) =>
      n === null ? 'E-mail de suivi' : n === 0 ? 'E-mail de courtoisie' : `Relance de niveau ${n}`,
    letter: (n: number | null) => (n === null ? 'Courrier de suivi' : `Courrier, niveau ${n}`),
    approval: (n: number | null) => `Niveau ${n ?? '—'}, à approuver`,
    in_person: (n: number | null) => `Niveau ${n ?? '—'} : une personne est prévenue (client stratégique)`,
    task: () => 'Tâche pour l’équipe',
    settlements: 'Paiements et avoirs',
    noSettlement: 'Rien ne l’a encore réglée.',
    payment: 'Paiement',
    creditNoteKind: 'Avoir',
    received: 'Reçu le',
    reference: 'Référence',
    reminders: 'Relances',
    noReminder: 'Aucune relance pour l’instant.',
    level: 'Niveau',
    to: 'À',
    subject: 'Objet',
    delivery: 'Remise',
    opened: 'Ouvert',
    history: 'Historique',
    noHistory: 'Rien pour l’instant.',
    by: 'par',
  },
);

type Text = (typeof text)['en'];

export default function Invoice({ number }: { number: string }) {
  const t = useText(text);
  const invoice = useResource<InvoiceDetail>(`/invoices/${encodeURIComponent(number)}`);
  const i = invoice.data;
  if (invoice.error && !i) return <ErrorBox error={invoice.error} onRetry={invoice.reload} />;
  if (!i) return <Loading />;
  return (
    <>
      <PageHeader title={i.type === 'credit_note' ? t.creditNote(i.number) : t.invoice(i.number)}>
        <InvoiceStatusBadge status={i.status} />
      </PageHeader>
      <div className="grid invoice-grid">
        <Facts i={i} t={t} />
        <Settlements i={i} t={t} />
      </div>
      {i.plan ? <Plan i={i} plan={i.plan} t={t} /> : null}
      <Reminders i={i} t={t} />
      <Section title={t.history}>
        {i.history.length === 0 ? (
          <Empty>{t.noHistory}</Empty>
        ) : (
          <ol className="timeline">
            {[...i.history].reverse().map((h) => (
              <li key={`${h.at}:${h.kind}:${h.summary}`}>
                <Day value={h.day ?? h.at.slice(0, 10)} />
                <div>
                  <p className="entry-line">{h.summary}</p>
                  {h.actor !== 'agent' ? (
                    <p className="muted small">
                      {t.by} {h.actor}
                    </p>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}

function Facts({ i, t }: { i: InvoiceDetail; t: Text }) {
  const f = useFormat();
  const d = i.dunning;
  return (
    <Section title={t.facts}>
      <dl className="facts">
        <dt>{t.customer}</dt>
        <dd>
          <Link href={`/customers/${encodeURIComponent(i.customer.ref)}`}>{i.customer.name}</Link>{' '}
          <span className="muted small">{i.customer.ref}</span>
        </dd>
        <dt>{t.issued}</dt>
        <dd>
          <Day value={i.issueDate} />
        </dd>
        <dt>{t.due}</dt>
        <dd>
          <Day value={i.dueDate} />
        </dd>
        <dt>{t.total}</dt>
        <dd>
          <Money amount={i.total} currency={i.currency} />
        </dd>
        <dt>{t.outstanding}</dt>
        <dd>
          <strong>
            <Money amount={i.outstanding} currency={i.currency} />
          </strong>
        </dd>
        {i.daysOverdue > 0 ? (
          <>
            <dt>{t.late}</dt>
            <dd>{t.days(i.daysOverdue)}</dd>
          </>
        ) : null}
        {i.poNumber ? (
          <>
            <dt>{t.po}</dt>
            <dd>{i.poNumber}</dd>
          </>
        ) : null}
        {i.appliesTo ? (
          <>
            <dt>{t.appliesTo}</dt>
            <dd>
              <Link href={`/invoices/${encodeURIComponent(i.appliesTo)}`}>{i.appliesTo}</Link>
            </dd>
          </>
        ) : null}
        {i.statusReason ? (
          <>
            <dt>{t.why}</dt>
            <dd>{i.statusReason}</dd>
          </>
        ) : null}
        {i.absentSince ? (
          <>
            <dt>{t.absent}</dt>
            <dd>
              <Day value={i.absentSince} />
            </dd>
          </>
        ) : null}
        {d && d.remindersSent > 0 ? (
          <>
            <dt>{t.reminded}</dt>
            <dd>
              {d.remindersSent}
              {d.lastSentOn ? (
                <span className="muted small"> ({t.lastLevel(d.lastLevel, f.date(d.lastSentOn))})</span>
              ) : null}
            </dd>
          </>
        ) : null}
        {d?.pausedUntil ? (
          <>
            <dt>{t.paused}</dt>
            <dd>
              <Day value={d.pausedUntil} />
              {d.pauseReason ? <span className="muted small"> — {d.pauseReason}</span> : null}
            </dd>
          </>
        ) : null}
        {i.stopped ? (
          <>
            <dt>{t.stopped}</dt>
            <dd>{d?.stopReason ?? '—'}</dd>
          </>
        ) : null}
        {i.promise && i.promise.status === 'open' ? (
          <>
            <dt>{i.promise.kind === 'paid_claim' ? t.paidClaim : t.promise}</dt>
            <dd>
              {i.promise.promisedDate ? <Day value={i.promise.promisedDate} /> : '—'}{' '}
              <span className="muted small">
                ({t.graceUntil} <Day value={i.promise.graceUntil} />)
              </span>
            </dd>
          </>
        ) : null}
      </dl>
    </Section>
  );
}

function Settlements({ i, t }: { i: InvoiceDetail; t: Text }) {
  return (
    <Section title={t.settlements}>
      {i.settlements.length === 0 ? (
        <Empty>{t.noSettlement}</Empty>
      ) : (
        <ul className="settlements">
          {i.settlements.map((s) => (
            <li
              key={`${s.kind}:${s.creditNote ?? ''}:${s.reference ?? ''}:${s.receivedOn ?? ''}:${s.amount}`}
            >
              <div>
                <strong>{s.kind === 'payment' ? t.payment : t.creditNoteKind}</strong>{' '}
                {s.creditNote ? (
                  <Link href={`/invoices/${encodeURIComponent(s.creditNote)}`}>{s.creditNote}</Link>
                ) : null}
                <div className="muted small">
                  {s.receivedOn ? (
                    <>
                      {t.received} <Day value={s.receivedOn} />
                    </>
                  ) : null}
                  {s.reference ? ` · ${s.reference}` : ''}
                </div>
              </div>
              <Money amount={s.amount} currency={s.currency} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Plan({ i, plan, t }: { i: InvoiceDetail; plan: NonNullable<InvoiceDetail['plan']>; t: Text }) {
  const f = useFormat();
  const columns: Column<PlannedStep>[] = [
    {
      key: 'date',
      label: t.date,
      render: (s) => (
        <span className="nowrap">
          <Day value={s.date} />
        </span>
      ),
    },
    {
      key: 'step',
      label: t.step,
      render: (s) => <strong className="plan-step">{t[s.kind](s.level)}</strong>,
    },
    {
      key: 'amount',
      label: t.amount,
      numeric: true,
      render: (s) =>
        s.amounts.length ? (
          <span className="amounts">
            {s.amounts.map((a) => (
              <Money key={a.currency} amount={a.amount} currency={a.currency} />
            ))}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      key: 'covers',
      label: t.covers,
      secondary: true,
      render: (s) => {
        const others = s.invoices.filter((n) => n !== i.number);
        return others.length ? others.join(', ') : <span className="muted">—</span>;
      },
    },
    { key: 'reason', label: t.reason, render: (s) => <span className="plan-reason">{s.reason}</span> },
  ];
  return (
    <Section title={t.plan}>
      <p className="muted small">{t.planIntro(plan.days)}</p>
      {plan.steps.length === 0 ? (
        <Empty>
          {t.noPlan}
          {plan.next?.reason ? ` ${plan.next.reason}` : ''}
        </Empty>
      ) : (
        <DataTable
          caption={`${t.plan} ${f.date(plan.from)}`}
          columns={columns}
          rows={plan.steps}
          rowKey={(s) => `${s.date}:${s.kind}:${s.level}`}
        />
      )}
    </Section>
  );
}

function Reminders({ i, t }: { i: InvoiceDetail; t: Text }) {
  const f = useFormat();
  const columns: Column<InvoiceDetail['reminders'][number]>[] = [
    { key: 'day', label: t.date, render: (r) => <Day value={r.day} /> },
    { key: 'level', label: t.level, numeric: true, render: (r) => r.level },
    { key: 'to', label: t.to, render: (r) => <span className="reminder-to">{r.to ?? r.channel}</span> },
    { key: 'subject', label: t.subject, secondary: true, render: (r) => r.subject },
    {
      key: 'delivery',
      label: t.delivery,
      render: (r) => (
        <span className="delivery">
          <DeliveryBadge status={r.delivery} />
          {r.opened ? <Badge tone="info">{t.opened}</Badge> : null}
          {r.bounce ? (
            <span className="small muted">
              {[r.bounce.status, r.bounce.reason].filter(Boolean).join(' ')} · {f.date(r.bounce.day)}
            </span>
          ) : null}
        </span>
      ),
    },
  ];
  return (
    <Section title={t.reminders}>
      <DataTable
        caption={t.reminders}
        columns={columns}
        rows={i.reminders}
        rowKey={(r) => `${r.day}:${r.level}:${r.to}`}
        empty={t.noReminder}
      />
    </Section>
  );
}
