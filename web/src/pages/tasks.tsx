// The team's inbox: what the agent needs a person for. Narrowed by kind and assignee through the
// address, given to a member, and resolved with what the task asks for: a new contact, a decision
// on a dispute, a pause, a country. What the person gives goes back to the agent.
import { type FormEvent, useState } from 'react';
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
  MoreButton,
  PageHeader,
  useNotify,
} from '../components/ui.tsx';
import { defineText, type Lang, useFormat, useLang, useText } from '../i18n.tsx';
import { Link, setQuery, useLocation } from '../router.tsx';
import { useCan, useSession } from '../session.tsx';
import './tasks.css';

// The kinds the agent opens (src/dunning/run.ts, src/inbound, src/mail, src/banking), by what the
// person is asked to do.
const KINDS: Record<string, { en: string; fr: string }> = {
  missing_contact: { en: 'Contact missing', fr: 'Contact manquant' },
  invalid_email: { en: 'Address bounced', fr: 'Adresse en échec' },
  wrong_contact: { en: 'Wrong contact', fr: 'Mauvais interlocuteur' },
  repeated_bounces: { en: 'Repeated bounces', fr: 'Échecs répétés' },
  missing_address: { en: 'No address to write to', fr: 'Aucune adresse d’envoi' },
  missing_country: { en: 'Country missing', fr: 'Pays manquant' },
  inconsistent_data: { en: 'Inconsistent data', fr: 'Données incohérentes' },
  dispute: { en: 'Dispute', fr: 'Litige' },
  payment_plan_request: { en: 'Payment plan asked', fr: 'Échéancier demandé' },
  callback_request: { en: 'Call back', fr: 'Rappel demandé' },
  refusal: { en: 'Refusal', fr: 'Refus' },
  insolvency: { en: 'Insolvency', fr: 'Procédure collective' },
  document_request: { en: 'Document asked', fr: 'Document demandé' },
  read_reply: { en: 'Reply to read', fr: 'Réponse à lire' },
  unmatched_reply: { en: 'Unmatched reply', fr: 'Réponse non rattachée' },
  no_answer: { en: 'No answer', fr: 'Sans réponse' },
  reminders_exhausted: { en: 'Reminders exhausted', fr: 'Relances épuisées' },
  strategic_customer: { en: 'Strategic customer', fr: 'Client stratégique' },
  payment_claimed: { en: 'Payment claimed', fr: 'Paiement annoncé' },
  payment_to_confirm: { en: 'Payment to confirm', fr: 'Paiement à confirmer' },
};
// Whose resolution is a new address for the customer.
const CONTACT_KINDS = new Set([
  'missing_contact',
  'invalid_email',
  'wrong_contact',
  'repeated_bounces',
  'missing_address',
]);
const kindLabel = (kind: string, lang: Lang) => KINDS[kind]?.[lang] ?? kind.replaceAll('_', ' ');

const text = defineText(
  {
    title: 'Tasks',
    caption: 'Tasks for the team',
    filters: 'Filters',
    kind: 'Kind',
    allKinds: 'All kinds',
    assignee: 'Assignee',
    anyone: 'Anyone',
    nobody: 'Nobody',
    me: 'Me',
    status: 'Status',
    open: 'Open',
    done: 'Done',
    dismissed: 'Dismissed',
    all: 'All',
    task: 'Task',
    customer: 'Customer',
    invoices: 'Invoices',
    created: 'Opened',
    actions: 'Actions',
    assignTo: (title: string) => `Assignee of “${title}”`,
    resolve: 'Resolve…',
    resolveOf: (title: string) => `Resolve: ${title}`,
    resolveTitle: 'Resolve the task',
    empty: 'Nothing waits for the team here.',
    emptyOpen: 'Nothing waits for the team: the agent handles the rest.',
    assigned: (who: string) => `Task given to ${who}.`,
    unassigned: 'Task given to nobody.',
    resolved: 'Task resolved.',
    dismissedDone: 'Task dismissed.',
    resolvedBy: (who: string) => `Resolved by ${who}`,
    from: 'From',
    subject: 'Subject',
    newContact: 'The new contact',
    contactHint: 'It becomes the customer’s billing contact; the next run writes to it.',
    name: 'Name',
    email: 'Email',
    language: 'Language',
    languageAuto: 'From the country',
    proposed: 'Proposed in the reply',
    decision: 'Decision',
    decisionNone: 'No change to the reminders',
    decisionStop: 'Dispute upheld: stop the reminders of these invoices',
    decisionResume: 'Settled in our favour: resume the reminders',
    decisionCredit: 'Credit note expected: no reminders until…',
    decisionHold: 'No reminders until…',
    holdUntil: 'No reminders until',
    country: 'Country (ISO code, e.g. FR)',
    note: 'Note (kept in the history)',
    saveResolve: 'Add the contact and resolve',
    markDone: 'Mark done',
    dismiss: 'Dismiss',
    close: 'Close',
    creditNote: 'credit note expected',
  },
  {
    title: 'Tâches',
    caption: 'Tâches pour l’équipe',
    filters: 'Filtres',
    kind: 'Type',
    allKinds: 'Tous les types',
    assignee: 'Responsable',
    anyone: 'Tout le monde',
    nobody: 'Personne',
    me: 'Moi',
    status: 'État',
    open: 'Ouvertes',
    done: 'Faites',
    dismissed: 'Écartées',
    all: 'Toutes',
    task: 'Tâche',
    customer: 'Client',
    invoices: 'Factures',
    created: 'Ouverte le',
    actions: 'Actions',
    assignTo: (title: string) => `Responsable de « ${title} »`,
    resolve: 'Résoudre…',
    resolveOf: (title: string) => `Résoudre : ${title}`,
    resolveTitle: 'Résoudre la tâche',
    empty: 'Rien n’attend l’équipe ici.',
    emptyOpen: 'Rien n’attend l’équipe : l’agent s’occupe du reste.',
    assigned: (who: string) => `Tâche confiée à ${who}.`,
    unassigned: 'Tâche confiée à personne.',
    resolved: 'Tâche résolue.',
    dismissedDone: 'Tâche écartée.',
    resolvedBy: (who: string) => `Résolue par ${who}`,
    from: 'De',
    subject: 'Objet',
    newContact: 'Le nouveau contact',
    contactHint: 'Il devient le contact de facturation du client ; la prochaine exécution lui écrit.',
    name: 'Nom',
    email: 'E-mail',
    language: 'Langue',
    languageAuto: 'Selon le pays',
    proposed: 'Proposée dans la réponse',
    decision: 'Décision',
    decisionNone: 'Pas de changement des relances',
    decisionStop: 'Litige fondé : arrêter les relances de ces factures',
    decisionResume: 'Réglé en notre faveur : reprendre les relances',
    decisionCredit: 'Avoir attendu : pas de relance jusqu’au…',
    decisionHold: 'Pas de relance jusqu’au…',
    holdUntil: 'Pas de relance jusqu’au',
    country: 'Pays (code ISO, ex. FR)',
    note: 'Note (conservée dans l’historique)',
    saveResolve: 'Ajouter le contact et résoudre',
    markDone: 'Marquer faite',
    dismiss: 'Écarter',
    close: 'Fermer',
    creditNote: 'avoir attendu',
  },
);

type Text = (typeof text)['en'];

interface Task {
  id: string;
  customer: { ref: string; name: string } | null;
  kind: string;
  title: string;
  status: 'open' | 'done' | 'dismissed';
  createdOn: string;
  reason: string | null;
  invoices: string[];
  from: string | null;
  subject: string | null;
  proposals: string[];
  assignee: { id: string; name: string; email: string } | null;
  resolvedAt: string | null;
  resolution: { by?: string; note?: string | null; effects?: string[]; reason?: string } | null;
}

interface Member {
  id: string;
  name: string | null;
  email: string;
  role: string;
}

const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'];

export default function Tasks() {
  const t = useText(text);
  const lang = useLang();
  const notify = useNotify();
  const canAct = useCan('member');
  const { me } = useSession();
  const { query: qs } = useLocation();
  const kind = qs.get('kind') ?? '';
  const assignee = qs.get('assignee') ?? '';
  const status = qs.get('status') ?? 'open';
  const list = usePaged<Task>(`/tasks${query({ kind, assignee, status, limit: 100 })}`);
  const members = useResource<Member[]>('/members');
  const [resolving, setResolving] = useState<Task | null>(null);

  const memberName = (m: { name: string | null; email: string }) => m.name || m.email;
  const assign = async (task: Task, memberId: string) => {
    try {
      const updated = await api.post<Task>(`/tasks/${task.id}/assign`, { memberId: memberId || null });
      notify(updated.assignee ? t.assigned(memberName(updated.assignee)) : t.unassigned);
      list.reload();
    } catch (e) {
      notify((e as ApiError).message, 'bad');
    }
  };

  const columns: Column<Task>[] = [
    {
      key: 'task',
      label: t.task,
      render: (task) => (
        <div className="task-cell">
          <Badge tone={task.kind === 'dispute' || task.kind === 'insolvency' ? 'bad' : 'info'}>
            {kindLabel(task.kind, lang)}
          </Badge>
          <strong className="task-title">{task.title}</strong>
          {task.reason ? <span className="muted small">{task.reason}</span> : null}
          {task.status !== 'open' ? (
            <span className="small">
              <Badge tone={task.status === 'done' ? 'good' : 'neutral'}>{t[task.status]}</Badge>{' '}
              {task.resolution?.by ? t.resolvedBy(task.resolution.by) : null}
            </span>
          ) : null}
        </div>
      ),
    },
    {
      key: 'customer',
      label: t.customer,
      render: (task) =>
        task.customer ? (
          <Link href={`/customers/${encodeURIComponent(task.customer.ref)}`}>{task.customer.name}</Link>
        ) : (
          '—'
        ),
    },
    {
      key: 'invoices',
      label: t.invoices,
      secondary: true,
      render: (task) =>
        task.invoices.length ? (
          <span className="task-invoices">
            {task.invoices.map((n) => (
              <Link key={n} href={`/invoices/${encodeURIComponent(n)}`}>
                {n}
              </Link>
            ))}
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'created', label: t.created, render: (task) => <Day value={task.createdOn} /> },
    {
      key: 'assignee',
      label: t.assignee,
      render: (task) =>
        canAct && task.status === 'open' ? (
          <select
            aria-label={t.assignTo(task.title)}
            value={task.assignee?.id ?? ''}
            onChange={(e) => void assign(task, e.target.value)}
          >
            <option value="">{t.nobody}</option>
            {(members.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {memberName(m)}
              </option>
            ))}
          </select>
        ) : (
          (task.assignee && memberName(task.assignee)) || '—'
        ),
    },
    {
      key: 'actions',
      label: t.actions,
      render: (task) =>
        canAct && task.status === 'open' ? (
          <Button variant="primary" aria-label={t.resolveOf(task.title)} onClick={() => setResolving(task)}>
            {t.resolve}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="tasks-page">
      <PageHeader title={t.title} />
      <form className="filters" aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
        <Field label={t.status}>
          <select
            value={status}
            onChange={(e) => setQuery({ status: e.target.value === 'open' ? null : e.target.value })}
          >
            {(['open', 'done', 'dismissed', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {t[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.kind}>
          <select value={kind} onChange={(e) => setQuery({ kind: e.target.value })}>
            <option value="">{t.allKinds}</option>
            {Object.keys(KINDS)
              .sort((a, b) => kindLabel(a, lang).localeCompare(kindLabel(b, lang)))
              .map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k, lang)}
                </option>
              ))}
          </select>
        </Field>
        <Field label={t.assignee}>
          <select value={assignee} onChange={(e) => setQuery({ assignee: e.target.value })}>
            <option value="">{t.anyone}</option>
            <option value="none">{t.nobody}</option>
            {me.member ? <option value={me.member.id}>{t.me}</option> : null}
            {(members.data ?? [])
              .filter((m) => m.id !== me.member?.id)
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {memberName(m)}
                </option>
              ))}
          </select>
        </Field>
      </form>
      <section className="card" aria-label={t.caption}>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        {list.loading && list.items.length === 0 ? (
          <Loading />
        ) : (
          <DataTable
            caption={t.caption}
            columns={columns}
            rows={list.items}
            rowKey={(task) => task.id}
            empty={status === 'open' && !kind && !assignee ? t.emptyOpen : t.empty}
          />
        )}
        <MoreButton more={list.more} loading={list.loading} onMore={list.loadMore} />
      </section>
      {resolving ? (
        <ResolveDialog
          task={resolving}
          t={t}
          onClose={() => setResolving(null)}
          onDone={(message) => {
            notify(message);
            setResolving(null);
            list.reload();
          }}
        />
      ) : null}
    </div>
  );
}

type Decision = 'none' | 'stop' | 'resume' | 'credit' | 'hold';

function ResolveDialog({
  task,
  t,
  onClose,
  onDone,
}: {
  task: Task;
  t: Text;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const lang = useLang();
  const f = useFormat();
  const wantsContact = CONTACT_KINDS.has(task.kind) && task.customer !== null;
  const [name, setName] = useState('');
  const [email, setEmail] = useState(task.proposals[0] ?? '');
  const [language, setLanguage] = useState('');
  const [decision, setDecision] = useState<Decision>('none');
  const [holdUntil, setHoldUntil] = useState('');
  const [country, setCountry] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const decisions: Decision[] =
    task.kind === 'dispute' ? ['none', 'stop', 'resume', 'credit'] : ['none', 'hold', 'stop', 'resume'];
  const decisionLabel: Record<Decision, string> = {
    none: t.decisionNone,
    stop: t.decisionStop,
    resume: t.decisionResume,
    credit: t.decisionCredit,
    hold: t.decisionHold,
  };

  const resolve = async (outcome: 'done' | 'dismissed') => {
    setBusy(true);
    setError(undefined);
    try {
      const noteText =
        decision === 'credit' ? [t.creditNote, note.trim()].filter(Boolean).join(' — ') : note.trim();
      if (outcome === 'done' && wantsContact) {
        // The customer's own contact route makes the address its billing contact (the others step
        // back), and closes the "missing contact" task itself; any other contact task is resolved after.
        await api.post(`/customers/${encodeURIComponent(task.customer!.ref)}/contacts`, {
          email: email.trim(),
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(language ? { language } : {}),
        });
        const after = await api.get<Task>(`/tasks/${task.id}`);
        if (after.status === 'open')
          await api.post(`/tasks/${task.id}/resolve`, {
            outcome: 'done',
            ...(noteText ? { note: noteText } : {}),
          });
        onDone(t.resolved);
        return;
      }
      await api.post(`/tasks/${task.id}/resolve`, {
        outcome,
        ...(noteText ? { note: noteText } : {}),
        ...(outcome === 'done' && task.customer
          ? {
              ...(decision === 'stop' ? { stopReminders: true } : {}),
              ...(decision === 'resume' ? { resumeReminders: true } : {}),
              ...((decision === 'hold' || decision === 'credit') && holdUntil ? { holdUntil } : {}),
              ...(task.kind === 'missing_country' && country.trim()
                ? { country: country.trim().toUpperCase() }
                : {}),
            }
          : {}),
      });
      onDone(outcome === 'done' ? t.resolved : t.dismissedDone);
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void resolve('done');
  };

  return (
    <Dialog
      title={t.resolveTitle}
      open
      onClose={onClose}
      footer={
        <>
          <Button variant="quiet" onClick={() => void resolve('dismissed')} disabled={busy}>
            {t.dismiss}
          </Button>
          <Button variant="primary" type="submit" form="task-resolve" busy={busy}>
            {wantsContact ? t.saveResolve : t.markDone}
          </Button>
        </>
      }
    >
      <form id="task-resolve" onSubmit={submit}>
        <p className="task-resolve-head">
          <Badge tone="info">{kindLabel(task.kind, lang)}</Badge> <strong>{task.title}</strong>
        </p>
        {task.reason ? <p className="muted small">{task.reason}</p> : null}
        {task.from || task.subject ? (
          <dl className="facts task-reply">
            {task.from ? (
              <>
                <dt>{t.from}</dt>
                <dd>{task.from}</dd>
              </>
            ) : null}
            {task.subject ? (
              <>
                <dt>{t.subject}</dt>
                <dd>{task.subject}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
        {task.invoices.length ? (
          <p className="small">
            {t.invoices}: {task.invoices.join(', ')} · {f.date(task.createdOn)}
          </p>
        ) : null}

        {wantsContact ? (
          <fieldset className="task-fieldset">
            <legend>{t.newContact}</legend>
            <Field label={t.name}>
              <input
                value={name}
                maxLength={300}
                autoComplete="off"
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
            <Field
              label={t.email}
              hint={task.proposals.length ? `${t.proposed}: ${task.proposals.join(', ')}` : t.contactHint}
            >
              <input
                type="email"
                required
                value={email}
                maxLength={320}
                autoComplete="off"
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <Field label={t.language}>
              <select value={language} onChange={(e) => setLanguage(e.target.value)}>
                <option value="">{t.languageAuto}</option>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {new Intl.DisplayNames([lang], { type: 'language' }).of(l) ?? l}
                  </option>
                ))}
              </select>
            </Field>
          </fieldset>
        ) : null}

        {!wantsContact && task.customer ? (
          <fieldset className="task-fieldset">
            <legend>{t.decision}</legend>
            {decisions.map((d) => (
              <label key={d} className="task-choice">
                <input
                  type="radio"
                  name="decision"
                  value={d}
                  checked={decision === d}
                  onChange={() => setDecision(d)}
                />
                <span>{decisionLabel[d]}</span>
              </label>
            ))}
            {decision === 'hold' || decision === 'credit' ? (
              <Field label={t.holdUntil}>
                <input
                  type="date"
                  required
                  value={holdUntil}
                  onChange={(e) => setHoldUntil(e.target.value)}
                />
              </Field>
            ) : null}
          </fieldset>
        ) : null}

        {task.kind === 'missing_country' && task.customer ? (
          <Field label={t.country}>
            <input
              value={country}
              maxLength={2}
              required
              pattern="[A-Za-z]{2}"
              onChange={(e) => setCountry(e.target.value)}
            />
          </Field>
        ) : null}

        <Field label={t.note}>
          <textarea
            className="task-note"
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
          />
        </Field>
        {error ? <ErrorBox error={error} /> : null}
      </form>
    </Dialog>
  );
}
