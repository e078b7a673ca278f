// The reminder queue: what the agent will send, to whom and when, with its priority colour; narrowed
// and sorted through the address (shareable), and acted on one item or several at once. A message
// waiting for approval is read as it will leave before it is let go.
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { type ApiError, api, query } from '../api.ts';
import { usePaged, useResource } from '../components/data.ts';
import {
  Badge,
  Button,
  type Column,
  DataTable,
  Day,
  Dialog,
  ErrorBox,
  Field,
  Loading,
  Money,
  MoreButton,
  PageHeader,
  type Priority,
  PriorityBadge,
  useNotify,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { Link, setQuery, useLocation } from '../router.tsx';
import { useCan } from '../session.tsx';
import './queue.css';

const text = defineText(
  {
    title: 'Queue',
    caption: 'Planned reminders',
    customer: 'Customer',
    invoices: 'Invoices',
    amount: 'Amount',
    daysOverdue: 'Days overdue',
    level: 'Level',
    next: 'Next date',
    priority: 'Priority',
    actions: 'Actions',
    details: 'Details',
    detailsOf: (name: string, day: string) => `Details: ${name}, ${day}`,
    approveOf: (name: string, day: string) => `Approve: ${name}, ${day}`,
    select: (name: string, day: string) => `Select ${name}, ${day}`,
    filters: 'Filters',
    search: 'Customer',
    searchHint: 'Name or reference',
    any: 'Any',
    allPriorities: 'All priorities',
    red: 'High (over 30 days)',
    orange: 'Medium (15 to 30 days)',
    green: 'Low (under 15 days)',
    allLevels: 'All levels',
    allStatuses: 'All statuses',
    levelN: (n: number) => `Level ${n}`,
    status: 'Status',
    from: 'Planned from',
    until: 'Planned until',
    dueToday: 'Due today',
    clear: 'Clear filters',
    empty: 'Nothing planned matches these filters.',
    emptyAll: 'Nothing is planned: every open invoice is either not yet due or already handled.',
    letter: 'letter',
    both: 'email + letter',
    planned: 'Planned',
    awaiting_approval: 'Awaiting approval',
    postponed: 'Postponed',
    held: 'On hold',
    deferred: 'Deferred',
    blocked: 'Blocked',
    selected: (n: number) => `${n} selected`,
    unselect: 'Clear selection',
    sendNow: 'Send now',
    postpone: 'Postpone…',
    postponeTitle: 'Postpone reminders',
    postponeTo: 'Postpone to',
    postponeHint: 'A day that is not a business day in the customer’s country moves to the next one.',
    postponeDo: 'Postpone',
    markPaid: 'Mark paid',
    cancel: 'Cancel reminders',
    exclude: 'Exclude customer',
    approve: 'Approve…',
    approveTitle: 'Approve and send',
    approveDo: (n: number) => (n === 1 ? 'Approve and send this message' : `Approve and send ${n} messages`),
    approveOne: 'Approve and send',
    reason: 'Reason (kept in the history)',
    confirm: 'Confirm',
    close: 'Close',
    sendNowAsk: (n: number, c: number) =>
      `Send the next reminder today for ${n} invoice(s) of ${c} customer(s)? The agent writes them now, one message per customer.`,
    markPaidAsk: (n: number) =>
      `Record ${n} invoice(s) as paid in full today? Their reminders stop and unsent messages are withdrawn.`,
    cancelAsk: (n: number) =>
      `Stop the reminders of ${n} invoice(s)? Unsent messages about them are withdrawn; you can resume them later.`,
    excludeAsk: (names: string) =>
      `Exclude ${names} from automatic reminders? Nothing more is sent to them until they are included again.`,
    sentNow: (n: number) =>
      n === 0 ? 'Nothing could be sent today (see the tasks).' : `${n} message(s) sent.`,
    postponedTo: (n: number, day: string) => `${n} invoice(s) postponed to ${day}.`,
    paid: (n: number) => `${n} invoice(s) marked paid.`,
    cancelled: (n: number) => `Reminders stopped for ${n} invoice(s).`,
    excluded: (n: number) => `${n} customer(s) excluded from automatic reminders.`,
    approved: (n: number) => `${n} message(s) approved and sent.`,
    message: 'Message as it will be sent',
    to: 'To',
    subject: 'Subject',
    language: 'Language',
    channel: 'Channel',
    why: 'Why',
    nothingSent: 'Nothing would be sent that day',
    noneToApprove: 'None of the selected items awaits approval.',
  },
  {
    title: 'File de relances',
    caption: 'Relances programmées',
    customer: 'Client',
    invoices: 'Factures',
    amount: 'Montant',
    daysOverdue: 'Jours de retard',
    level: 'Niveau',
    next: 'Prochaine date',
    priority: 'Priorité',
    actions: 'Actions',
    details: 'Détails',
    detailsOf: (name: string, day: string) => `Détails : ${name}, ${day}`,
    approveOf: (name: string, day: string) => `Valider : ${name}, ${day}`,
    select: (name: string, day: string) => `Sélectionner ${name}, ${day}`,
    filters: 'Filtres',
    search: 'Client',
    searchHint: 'Nom ou référence',
    any: 'Tous',
    allPriorities: 'Toutes les priorités',
    red: 'Haute (plus de 30 jours)',
    orange: 'Moyenne (15 à 30 jours)',
    green: 'Faible (moins de 15 jours)',
    allLevels: 'Tous les niveaux',
    allStatuses: 'Tous les états',
    levelN: (n: number) => `Niveau ${n}`,
    status: 'État',
    from: 'Prévue à partir du',
    until: 'Prévue jusqu’au',
    dueToday: 'À envoyer aujourd’hui',
    clear: 'Effacer les filtres',
    empty: 'Aucune relance ne correspond à ces filtres.',
    emptyAll: 'Aucune relance prévue : chaque facture ouverte est soit pas encore échue, soit déjà traitée.',
    letter: 'courrier',
    both: 'e-mail + courrier',
    planned: 'Prévue',
    awaiting_approval: 'À valider',
    postponed: 'Reportée',
    held: 'En pause',
    deferred: 'Décalée',
    blocked: 'Bloquée',
    selected: (n: number) => (n === 1 ? '1 sélectionnée' : `${n} sélectionnées`),
    unselect: 'Tout désélectionner',
    sendNow: 'Envoyer maintenant',
    postpone: 'Reporter…',
    postponeTitle: 'Reporter les relances',
    postponeTo: 'Reporter au',
    postponeHint: 'Un jour non ouvré dans le pays du client passe au jour ouvré suivant.',
    postponeDo: 'Reporter',
    markPaid: 'Marquer réglée',
    cancel: 'Annuler les relances',
    exclude: 'Exclure le client',
    approve: 'Valider…',
    approveTitle: 'Valider et envoyer',
    approveDo: (n: number) =>
      n === 1 ? 'Valider et envoyer ce message' : `Valider et envoyer ${n} messages`,
    approveOne: 'Valider et envoyer',
    reason: 'Motif (conservé dans l’historique)',
    confirm: 'Confirmer',
    close: 'Fermer',
    sendNowAsk: (n: number, c: number) =>
      `Envoyer aujourd’hui la prochaine relance pour ${n} facture(s) de ${c} client(s) ? L’agent les écrit tout de suite, un message par client.`,
    markPaidAsk: (n: number) =>
      `Enregistrer ${n} facture(s) comme entièrement réglée(s) aujourd’hui ? Les relances s’arrêtent et les messages non envoyés sont retirés.`,
    cancelAsk: (n: number) =>
      `Arrêter les relances de ${n} facture(s) ? Les messages non envoyés sont retirés ; vous pourrez les reprendre plus tard.`,
    excludeAsk: (names: string) =>
      `Exclure ${names} des relances automatiques ? Plus rien ne leur est envoyé tant qu’ils ne sont pas réintégrés.`,
    sentNow: (n: number) =>
      n === 0 ? 'Rien n’a pu être envoyé aujourd’hui (voir les tâches).' : `${n} message(s) envoyé(s).`,
    postponedTo: (n: number, day: string) => `${n} facture(s) reportée(s) au ${day}.`,
    paid: (n: number) => `${n} facture(s) marquée(s) réglée(s).`,
    cancelled: (n: number) => `Relances arrêtées pour ${n} facture(s).`,
    excluded: (n: number) => `${n} client(s) exclu(s) des relances automatiques.`,
    approved: (n: number) => `${n} message(s) validé(s) et envoyé(s).`,
    message: 'Message tel qu’il sera envoyé',
    to: 'À',
    subject: 'Objet',
    language: 'Langue',
    channel: 'Canal',
    why: 'Pourquoi',
    nothingSent: 'Rien ne serait envoyé ce jour-là',
    noneToApprove: 'Aucun des éléments sélectionnés n’attend de validation.',
  },
);

type Text = (typeof text)['en'];

interface QueueItem {
  customer: { ref: string; name: string };
  invoices: string[];
  amount: string;
  currency: string;
  daysOverdue: number;
  level: number;
  channel: 'email' | 'letter' | 'both';
  plannedFor: string;
  priority: Priority;
  status: string;
  reason: string;
}

interface Preview {
  customer: { ref: string; name: string };
  day: string;
  source: 'awaiting_approval' | 'planned';
  level: number;
  channel: 'email' | 'letter' | 'both';
  language: string;
  to: { name: string | null; email: string | null }[];
  subject: string;
  text: string;
  invoices: { number: string; amount: string; currency: string }[];
  reason: string;
}

type Action = 'sendNow' | 'postpone' | 'markPaid' | 'cancel' | 'exclude' | 'approve';

const STATUSES = ['planned', 'awaiting_approval', 'postponed', 'held', 'deferred', 'blocked'] as const;
const STATUS_TONE: Record<string, 'neutral' | 'good' | 'warn' | 'bad' | 'info'> = {
  awaiting_approval: 'info',
  postponed: 'warn',
  held: 'neutral',
  deferred: 'neutral',
  blocked: 'bad',
};

const keyOf = (i: QueueItem) =>
  `${i.status === 'awaiting_approval' ? 'a' : 'p'}|${i.customer.ref}|${i.plannedFor}|${i.currency}`;
const invoicesOf = (items: QueueItem[]) => [...new Set(items.flatMap((i) => i.invoices))];
const customersOf = (items: QueueItem[]) => [
  ...new Map(items.map((i) => [i.customer.ref, i.customer])).values(),
];

/** `day` plus `n` calendar days, as YYYY-MM-DD (plain dates: no time zone may shift them). */
function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

function statusLabel(t: Text, status: string): string {
  return (STATUSES as readonly string[]).includes(status)
    ? (t[status as (typeof STATUSES)[number]] as string)
    : status;
}

export default function Queue() {
  const t = useText(text);
  const f = useFormat();
  const notify = useNotify();
  const canAct = useCan('member');
  const { query: qs } = useLocation();
  const filters = {
    priority: qs.get('priority') ?? '',
    level: qs.get('level') ?? '',
    status: qs.get('status') ?? '',
    due: qs.get('due') ?? '',
    from: qs.get('from') ?? '',
    until: qs.get('until') ?? '',
    search: qs.get('search') ?? '',
  };
  const sortKey = qs.get('sort') ?? 'plannedFor';
  const sortDir: 'asc' | 'desc' = qs.get('order') === 'desc' ? 'desc' : 'asc';
  const path = `/queue${query({
    ...filters,
    until: filters.due ? undefined : filters.until,
    from: filters.due ? undefined : filters.from,
    sort: sortKey === 'plannedFor' ? undefined : sortKey,
    order: sortDir === 'desc' ? 'desc' : undefined,
    limit: 100,
  })}`;
  const list = usePaged<QueueItem>(path);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<{ kind: Action; items: QueueItem[] } | null>(null);
  const [detail, setDetail] = useState<QueueItem | null>(null);

  // A new listing (other filters) starts with nothing selected: a hidden row must not be acted on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path is the trigger
  useEffect(() => setSelected(new Set()), [path]);

  const chosen = list.items.filter((i) => selected.has(keyOf(i)));
  const done = (message: string) => {
    notify(message);
    setAction(null);
    setDetail(null);
    setSelected(new Set());
    list.reload();
  };

  const columns: Column<QueueItem>[] = [
    {
      key: 'customer',
      label: t.customer,
      sortable: true,
      render: (i) => (
        <span className="queue-customer">
          <Link href={`/customers/${encodeURIComponent(i.customer.ref)}`}>{i.customer.name}</Link>
          <span className="muted small">{i.customer.ref}</span>
        </span>
      ),
    },
    {
      key: 'invoices',
      label: t.invoices,
      render: (i) => (
        <span className="queue-invoices">
          {i.invoices.map((n) => (
            <Link key={n} href={`/invoices/${encodeURIComponent(n)}`}>
              {n}
            </Link>
          ))}
        </span>
      ),
    },
    {
      key: 'amount',
      label: t.amount,
      numeric: true,
      sortable: true,
      render: (i) => <Money amount={i.amount} currency={i.currency} />,
    },
    {
      key: 'daysOverdue',
      label: t.daysOverdue,
      numeric: true,
      sortable: true,
      render: (i) => <span className="num">{f.number(i.daysOverdue)}</span>,
    },
    {
      key: 'level',
      label: t.level,
      sortable: true,
      render: (i) => (
        <span className="queue-level">
          {i.level}
          {i.channel !== 'email' ? <Badge>{i.channel === 'letter' ? t.letter : t.both}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'plannedFor',
      label: t.next,
      sortable: true,
      render: (i) => (
        <span className="queue-next">
          <Day value={i.plannedFor} />
          {i.status !== 'planned' ? (
            <Badge tone={STATUS_TONE[i.status] ?? 'neutral'}>{statusLabel(t, i.status)}</Badge>
          ) : null}
        </span>
      ),
    },
    {
      key: 'priority',
      label: t.priority,
      sortable: true,
      render: (i) => <PriorityBadge value={i.priority} />,
    },
    {
      key: 'actions',
      label: t.actions,
      render: (i) => (
        <Button
          variant={i.status === 'awaiting_approval' ? 'primary' : 'default'}
          aria-label={(i.status === 'awaiting_approval' ? t.approveOf : t.detailsOf)(
            i.customer.name,
            f.date(i.plannedFor),
          )}
          onClick={() => setDetail(i)}
        >
          {i.status === 'awaiting_approval' ? t.approve : t.details}
        </Button>
      ),
    },
  ];

  const anyFilter = Object.values(filters).some(Boolean);
  return (
    <div className="queue-page">
      <PageHeader title={t.title} />
      <Filters filters={filters} t={t} />
      {canAct && chosen.length > 0 ? (
        <div className="toolbar queue-bulk" role="toolbar" aria-label={t.selected(chosen.length)}>
          <strong>{t.selected(chosen.length)}</strong>
          {chosen.some((i) => i.status === 'awaiting_approval') ? (
            <Button variant="primary" onClick={() => setAction({ kind: 'approve', items: chosen })}>
              {t.approve}
            </Button>
          ) : null}
          <Button onClick={() => setAction({ kind: 'sendNow', items: chosen })}>{t.sendNow}</Button>
          <Button onClick={() => setAction({ kind: 'postpone', items: chosen })}>{t.postpone}</Button>
          <Button onClick={() => setAction({ kind: 'markPaid', items: chosen })}>{t.markPaid}</Button>
          <Button variant="danger" onClick={() => setAction({ kind: 'cancel', items: chosen })}>
            {t.cancel}
          </Button>
          <Button variant="danger" onClick={() => setAction({ kind: 'exclude', items: chosen })}>
            {t.exclude}
          </Button>
          <Button variant="quiet" onClick={() => setSelected(new Set())}>
            {t.unselect}
          </Button>
        </div>
      ) : null}
      <section className="card" aria-label={t.caption}>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        {list.loading && list.items.length === 0 ? (
          <Loading />
        ) : (
          <DataTable
            caption={t.caption}
            columns={columns}
            rows={list.items}
            rowKey={keyOf}
            sort={{ key: sortKey, dir: sortDir }}
            onSort={(s) =>
              setQuery({
                sort: s.key === 'plannedFor' ? null : s.key,
                order: s.dir === 'desc' ? 'desc' : null,
              })
            }
            {...(canAct
              ? {
                  selected,
                  onSelect: setSelected,
                  selectLabel: (i: QueueItem) => t.select(i.customer.name, f.date(i.plannedFor)),
                }
              : {})}
            empty={anyFilter ? t.empty : t.emptyAll}
          />
        )}
        <MoreButton more={list.more} loading={list.loading} onMore={list.loadMore} />
      </section>
      <DetailDialog
        item={detail}
        t={t}
        canAct={canAct}
        onClose={() => setDetail(null)}
        onAction={(kind, item) => {
          setDetail(null);
          setAction({ kind, items: [item] });
        }}
        onDone={done}
      />
      {action ? <ActionDialog action={action} t={t} onClose={() => setAction(null)} onDone={done} /> : null}
    </div>
  );
}

function Filters({ filters, t }: { filters: Record<string, string>; t: Text }) {
  const [search, setSearch] = useState(filters.search ?? '');
  // Typing narrows the list after a pause, not at every key.
  useEffect(() => {
    if (search === (filters.search ?? '')) return;
    const timer = setTimeout(() => setQuery({ search: search.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [search, filters.search]);
  const dueToday = filters.due === 'today';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ search: search.trim() || null });
  };
  return (
    <form className="filters queue-filters" aria-label={t.filters} onSubmit={submit}>
      <Field label={t.search}>
        <input
          type="search"
          value={search}
          placeholder={t.searchHint}
          onChange={(e) => setSearch(e.target.value)}
        />
      </Field>
      <Field label={t.priority}>
        <select value={filters.priority} onChange={(e) => setQuery({ priority: e.target.value })}>
          <option value="">{t.allPriorities}</option>
          <option value="red">{t.red}</option>
          <option value="orange">{t.orange}</option>
          <option value="green">{t.green}</option>
        </select>
      </Field>
      <Field label={t.level}>
        <select value={filters.level} onChange={(e) => setQuery({ level: e.target.value })}>
          <option value="">{t.allLevels}</option>
          {[1, 2, 3].map((n) => (
            <option key={n} value={String(n)}>
              {t.levelN(n)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.status}>
        <select value={filters.status} onChange={(e) => setQuery({ status: e.target.value })}>
          <option value="">{t.allStatuses}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(t, s)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.from}>
        <input
          type="date"
          value={filters.from}
          disabled={dueToday}
          onChange={(e) => setQuery({ from: e.target.value })}
        />
      </Field>
      <Field label={t.until}>
        <input
          type="date"
          value={filters.until}
          disabled={dueToday}
          onChange={(e) => setQuery({ until: e.target.value })}
        />
      </Field>
      <div className="queue-filter-buttons">
        <Button
          aria-pressed={dueToday}
          variant={dueToday ? 'primary' : 'default'}
          onClick={() => setQuery({ due: dueToday ? null : 'today', from: null, until: null })}
        >
          {t.dueToday}
        </Button>
        {Object.values(filters).some(Boolean) ? (
          <Button
            variant="quiet"
            onClick={() => {
              setSearch('');
              setQuery({
                priority: null,
                level: null,
                status: null,
                due: null,
                from: null,
                until: null,
                search: null,
              });
            }}
          >
            {t.clear}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function MessageView({ preview, t }: { preview: Preview; t: Text }) {
  const f = useFormat();
  return (
    <article className="queue-message" aria-label={`${t.message}: ${preview.customer.name}`}>
      <dl className="facts">
        <dt>{t.to}</dt>
        <dd>
          {preview.to.map((r) => (r.name ? `${r.name} <${r.email ?? '—'}>` : (r.email ?? '—'))).join(', ')}
        </dd>
        <dt>{t.subject}</dt>
        <dd>
          <strong>{preview.subject}</strong>
        </dd>
        <dt>{t.invoices}</dt>
        <dd>{preview.invoices.map((i) => `${i.number} (${f.money(i.amount, i.currency)})`).join(', ')}</dd>
        <dt>{t.language}</dt>
        <dd>
          {preview.language.toUpperCase()} · {t.levelN(preview.level)}
        </dd>
      </dl>
      <div className="message-preview">{preview.text}</div>
    </article>
  );
}

function DetailDialog({
  item,
  t,
  canAct,
  onClose,
  onAction,
  onDone,
}: {
  item: QueueItem | null;
  t: Text;
  canAct: boolean;
  onClose: () => void;
  onAction: (kind: Action, item: QueueItem) => void;
  onDone: (message: string) => void;
}) {
  const f = useFormat();
  const preview = useResource<Preview>(
    item ? `/queue/preview${query({ customer: item.customer.ref, date: item.plannedFor })}` : null,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  // An error belongs to the item it happened on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the item is the trigger
  useEffect(() => setError(undefined), [item]);
  const awaiting = item?.status === 'awaiting_approval';
  const approve = async () => {
    if (!item) return;
    setBusy(true);
    try {
      await api.post('/queue/approve', { customer: item.customer.ref });
      onDone(t.approved(1));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const current =
    preview.data && item && preview.data.customer.ref === item.customer.ref ? preview.data : undefined;
  return (
    <Dialog
      title={item ? `${item.customer.name} · ${f.date(item.plannedFor)}` : t.details}
      open={item !== null}
      onClose={onClose}
      wide
    >
      {item ? (
        <>
          <p className="queue-detail-head">
            <PriorityBadge value={item.priority} />
            <Money amount={item.amount} currency={item.currency} />
            <span>{t.levelN(item.level)}</span>
            <span>
              {f.number(item.daysOverdue)} {t.daysOverdue.toLowerCase()}
            </span>
            {item.status !== 'planned' ? (
              <Badge tone={STATUS_TONE[item.status] ?? 'neutral'}>{statusLabel(t, item.status)}</Badge>
            ) : null}
          </p>
          <p className="muted small">
            {t.why}: {item.reason}
          </p>
          <h3 className="queue-h3">{t.message}</h3>
          {preview.loading && !current ? <Loading /> : null}
          {current ? <MessageView preview={current} t={t} /> : null}
          {preview.error && !preview.loading ? (
            <p className="queue-nothing" role="note">
              <strong>{t.nothingSent}.</strong> {preview.error.message}
            </p>
          ) : null}
          {error ? <ErrorBox error={error} /> : null}
          {canAct ? (
            <div className="queue-actions">
              {awaiting ? (
                <Button variant="primary" busy={busy} onClick={approve} disabled={!current}>
                  {t.approveOne}
                </Button>
              ) : null}
              <Button onClick={() => onAction('sendNow', item)}>{t.sendNow}</Button>
              <Button onClick={() => onAction('postpone', item)}>{t.postpone}</Button>
              <Button onClick={() => onAction('markPaid', item)}>{t.markPaid}</Button>
              <Button variant="danger" onClick={() => onAction('cancel', item)}>
                {t.cancel}
              </Button>
              <Button variant="danger" onClick={() => onAction('exclude', item)}>
                {t.exclude}
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}

function ActionDialog({
  action,
  t,
  onClose,
  onDone,
}: {
  action: { kind: Action; items: QueueItem[] };
  t: Text;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const f = useFormat();
  const { kind, items } = action;
  const invoices = invoicesOf(items);
  const customers = customersOf(items);
  const latest = items
    .map((i) => i.plannedFor)
    .sort()
    .at(-1)!;
  const [to, setTo] = useState(addDays(latest, 7));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const awaiting = useMemo(() => items.filter((i) => i.status === 'awaiting_approval'), [items]);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (kind === 'sendNow') {
        const r = await api.post<{ sent: unknown[] }>('/queue/send-now', { invoices });
        onDone(t.sentNow(r.sent.length));
      } else if (kind === 'postpone') {
        const r = await api.post<{ invoices: string[] }>('/queue/postpone', { invoices, to });
        onDone(t.postponedTo(r.invoices.length, f.date(to)));
      } else if (kind === 'markPaid') {
        const r = await api.post<{ invoices: string[] }>('/queue/mark-paid', { invoices });
        onDone(t.paid(r.invoices.length));
      } else if (kind === 'cancel') {
        const r = await api.post<{ invoices: string[] }>('/queue/cancel', {
          invoices,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
        onDone(t.cancelled(r.invoices.length));
      } else if (kind === 'exclude') {
        for (const c of customers) await api.post('/queue/exclude', { customer: c.ref });
        onDone(t.excluded(customers.length));
      } else {
        const refs = customersOf(awaiting).map((c) => c.ref);
        for (const ref of refs) await api.post('/queue/approve', { customer: ref });
        onDone(t.approved(awaiting.length));
      }
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  const titles: Record<Action, string> = {
    sendNow: t.sendNow,
    postpone: t.postponeTitle,
    markPaid: t.markPaid,
    cancel: t.cancel,
    exclude: t.exclude,
    approve: t.approveTitle,
  };
  const confirmLabel: Record<Action, string> = {
    sendNow: t.sendNow,
    postpone: t.postponeDo,
    markPaid: t.markPaid,
    cancel: t.cancel,
    exclude: t.exclude,
    approve: t.approveDo(awaiting.length),
  };
  return (
    <Dialog
      title={titles[kind]}
      open
      onClose={onClose}
      wide={kind === 'approve'}
      footer={
        <>
          <Button variant="quiet" onClick={onClose}>
            {t.close}
          </Button>
          <Button
            variant={kind === 'cancel' || kind === 'exclude' ? 'danger' : 'primary'}
            busy={busy}
            disabled={kind === 'approve' && awaiting.length === 0}
            type="submit"
            form="queue-action"
          >
            {confirmLabel[kind]}
          </Button>
        </>
      }
    >
      <form id="queue-action" onSubmit={submit}>
        {kind === 'sendNow' ? <p>{t.sendNowAsk(invoices.length, customers.length)}</p> : null}
        {kind === 'markPaid' ? <p>{t.markPaidAsk(invoices.length)}</p> : null}
        {kind === 'exclude' ? <p>{t.excludeAsk(customers.map((c) => c.name).join(', '))}</p> : null}
        {kind === 'cancel' ? (
          <>
            <p>{t.cancelAsk(invoices.length)}</p>
            <Field label={t.reason}>
              <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            </Field>
          </>
        ) : null}
        {kind === 'postpone' ? (
          <>
            <p className="muted small">
              {customers.map((c) => c.name).join(', ')} · {invoices.join(', ')}
            </p>
            <Field label={t.postponeTo} hint={t.postponeHint}>
              <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
            </Field>
          </>
        ) : null}
        {kind === 'approve' ? (
          awaiting.length === 0 ? (
            <p>{t.noneToApprove}</p>
          ) : (
            awaiting.map((i) => <ApprovePreview key={keyOf(i)} item={i} t={t} />)
          )
        ) : null}
        {error ? <ErrorBox error={error} /> : null}
      </form>
    </Dialog>
  );
}

function ApprovePreview({ item, t }: { item: QueueItem; t: Text }) {
  const preview = useResource<Preview>(
    `/queue/preview${query({ customer: item.customer.ref, date: item.plannedFor })}`,
  );
  return (
    <div className="queue-approve-item">
      <h3 className="queue-h3">{item.customer.name}</h3>
      {preview.error ? <ErrorBox error={preview.error} /> : null}
      {preview.data ? <MessageView preview={preview.data} t={t} /> : <Loading />}
    </div>
  );
}
