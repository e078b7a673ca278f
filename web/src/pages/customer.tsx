// One customer: what it owes and how it pays, its contacts (a bounced address shown as such, and
// fixed here), the settings that change how the agent chases it, its open invoices, and a timeline of
// everything: messages and what became of them, replies and what they meant, payments, tasks, reasons.
import { type FormEvent, useEffect, useState } from 'react';
import { type ApiError, api } from '../api.ts';
import { usePaged, useResource } from '../components/data.ts';
import {
  Badge,
  Button,
  type Column,
  DataTable,
  Day,
  Dialog,
  Empty,
  ErrorBox,
  Field,
  Loading,
  Money,
  MoreButton,
  PageHeader,
  Section,
  useNotify,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { Balances, type CustomerRow, IntentBadge } from './customers.tsx';
import { DeliveryBadge, type InvoiceRow, InvoiceStatusBadge, NextStep } from './invoices.tsx';
import './customers.css';

interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  role: string;
  valid: boolean;
  invalidReason: string | null;
  invalidSince: string | null;
  lastBounce: {
    day: string;
    status: string;
    reason: string;
    diagnostic: string | null;
    hard: boolean;
  } | null;
}

interface CustomerDetail extends Omit<CustomerRow, 'contacts'> {
  contacts: Contact[];
  settings: {
    policy: string;
    holdUntil: string | null;
    holdReason: string | null;
    lastReplyOn: string | null;
    insolvent: boolean;
    insolventSince: string | null;
  };
  invoices: InvoiceRow[];
}

interface Common {
  id: string;
  day: string;
  at: string;
  invoices: string[];
}
type TimelineItem =
  | (Common & {
      type: 'message';
      message: {
        level: number | null;
        channel: string;
        status: string;
        to: string | null;
        subject: string;
        reason: string;
        amount: string | null;
        currency: string | null;
        error: string | null;
        opened: boolean;
        bounce: { day: string; status: string; reason: string; hard: boolean } | null;
      };
    })
  | (Common & {
      type: 'reply';
      reply: {
        from: string | null;
        subject: string;
        intent: string | null;
        promisedDate: string | null;
        decisions: { kind: string; reason: string }[];
      };
    })
  | (Common & {
      type: 'payment';
      payment: {
        amount: string;
        currency: string;
        method: string;
        reference: string | null;
        payer: string | null;
        reversedOn: string | null;
        allocations: { invoice: string; amount: string }[];
      };
    })
  | (Common & { type: 'task'; task: { kind: string; title: string; status: string; reason: string | null } })
  | (Common & { type: 'event'; event: { kind: string; actor: string; summary: string } });

const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'] as const;

const text = defineText(
  {
    loadingTitle: 'Customer',
    outstanding: 'Balance',
    overdue: 'Overdue',
    averageLate: 'Pays on average',
    reminders: 'Reminders (12 months)',
    daysLate: (n: number) => (n === 0 ? 'on time' : n === 1 ? '1 day late' : `${n} days late`),
    over: (n: number) => (n === 1 ? 'over 1 paid invoice' : `over ${n} paid invoices`),
    noHistory: 'no paid invoice yet',
    lastReminder: 'last on',
    strategic: 'Strategic',
    excluded: 'Excluded from reminders',
    insolvent: 'Insolvency proceedings',
    held: (day: string) => `On hold until ${day}`,
    contacts: 'Contacts',
    addContact: 'Add a contact',
    noContact: 'No contact: the agent cannot write to this customer.',
    valid: 'Valid',
    bounced: 'Bounced',
    invalid: 'Invalid',
    since: 'since',
    edit: 'Edit',
    editContact: (who: string) => `Edit ${who}`,
    markInvalid: 'Mark invalid',
    markInvalidOf: (who: string) => `Mark ${who} invalid`,
    markValid: 'Valid again',
    markValidOf: (who: string) => `Mark ${who} valid again`,
    invalidReason: 'Why',
    invalidHint: 'For instance: this person has left the company.',
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    language: 'Language',
    fromCountry: 'From the country and contacts',
    save: 'Save',
    saved: 'Saved.',
    contactSaved: 'Contact saved.',
    contactAdded: 'Contact added: reminders resume at the next run.',
    markedInvalid: 'Contact marked invalid.',
    markedValid: 'Contact valid again: reminders resume at the next run.',
    settings: 'Settings',
    strategicHint: 'A person is told instead of a reminder being sent.',
    excludedLabel: 'Excluded from automatic reminders',
    policy: 'Dunning policy',
    defaultPolicy: 'The organisation’s default',
    country: 'Country',
    reference: 'Reference',
    yes: 'Yes',
    no: 'No',
    openInvoices: 'Open invoices',
    noInvoice: 'Nothing is due.',
    number: 'Number',
    due: 'Due',
    amountDue: 'Outstanding',
    status: 'Status',
    late: 'Late',
    next: 'Next step',
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    timeline: 'Timeline',
    nothingYet: 'Nothing has happened yet.',
    message: 'Message',
    reply: 'Reply',
    payment: 'Payment',
    task: 'Task',
    event: 'Decision',
    level: (n: number | null) =>
      n === null ? 'Follow-up' : n === 0 ? 'Courtesy reminder' : `Reminder level ${n}`,
    letter: 'letter',
    to: 'to',
    from: 'from',
    opened: 'Opened',
    bounceOf: (reason: string, day: string) => `Came back: ${reason} (${day})`,
    promised: 'Promised for',
    received: 'Payment received',
    reversed: 'Reversed',
    taskOpen: 'Open',
    taskDone: 'Done',
    taskDismissed: 'Dismissed',
    invoicesLabel: 'Invoices',
    by: 'by',
  },
  {
    loadingTitle: 'Client',
    outstanding: 'Solde',
    overdue: 'En retard',
    averageLate: 'Paie en moyenne',
    reminders: 'Relances (12 mois)',
    daysLate: (n: number) => (n === 0 ? 'à l’heure' : n === 1 ? '1 jour de retard' : `${n} jours de retard`),
    over: (n: number) => (n === 1 ? 'sur 1 facture payée' : `sur ${n} factures payées`),
    noHistory: 'aucune facture payée pour l’instant',
    lastReminder: 'dernière le',
    strategic: 'Stratégique',
    excluded: 'Exclu des relances',
    insolvent: 'Procédure collective',
    held: (day: string) => `En pause jusqu’au ${day}`,
    contacts: 'Contacts',
    addContact: 'Ajouter un contact',
    noContact: 'Aucun contact : l’agent ne peut pas écrire à ce client.',
    valid: 'Valide',
    bounced: 'Adresse rejetée',
    invalid: 'Invalide',
    since: 'depuis le',
    edit: 'Modifier',
    editContact: (who: string) => `Modifier ${who}`,
    markInvalid: 'Marquer invalide',
    markInvalidOf: (who: string) => `Marquer ${who} comme invalide`,
    markValid: 'De nouveau valide',
    markValidOf: (who: string) => `Marquer ${who} comme de nouveau valide`,
    invalidReason: 'Pourquoi',
    invalidHint: 'Par exemple : cette personne a quitté l’entreprise.',
    name: 'Nom',
    email: 'E-mail',
    phone: 'Téléphone',
    language: 'Langue',
    fromCountry: 'D’après le pays et les contacts',
    save: 'Enregistrer',
    saved: 'Enregistré.',
    contactSaved: 'Contact enregistré.',
    contactAdded: 'Contact ajouté : les relances reprennent au prochain passage.',
    markedInvalid: 'Contact marqué invalide.',
    markedValid: 'Contact de nouveau valide : les relances reprennent au prochain passage.',
    settings: 'Réglages',
    strategicHint: 'Une personne est prévenue au lieu d’envoyer une relance.',
    excludedLabel: 'Exclu des relances automatiques',
    policy: 'Politique de relance',
    defaultPolicy: 'Celle de l’organisation',
    country: 'Pays',
    reference: 'Référence',
    yes: 'Oui',
    no: 'Non',
    openInvoices: 'Factures ouvertes',
    noInvoice: 'Rien n’est dû.',
    number: 'Numéro',
    due: 'Échéance',
    amountDue: 'Reste dû',
    status: 'Statut',
    late: 'Retard',
    next: 'Prochaine étape',
    days: (n: number) => (n <= 1 ? `${n} jour` : `${n} jours`),
    timeline: 'Historique',
    nothingYet: 'Rien ne s’est encore passé.',
    message: 'Message',
    reply: 'Réponse',
    payment: 'Paiement',
    task: 'Tâche',
    event: 'Décision',
    level: (n: number | null) =>
      n === null ? 'Suivi' : n === 0 ? 'Rappel de courtoisie' : `Relance de niveau ${n}`,
    letter: 'courrier',
    to: 'à',
    from: 'de',
    opened: 'Ouvert',
    bounceOf: (reason: string, day: string) => `Revenu en erreur : ${reason} (${day})`,
    promised: 'Promis pour le',
    received: 'Paiement reçu',
    reversed: 'Rejeté par la banque',
    taskOpen: 'Ouverte',
    taskDone: 'Faite',
    taskDismissed: 'Écartée',
    invoicesLabel: 'Factures',
    by: 'par',
  },
);

type Text = (typeof text)['en'];

export default function Customer({ customerRef }: { customerRef: string }) {
  const t = useText(text);
  const path = `/customers/${encodeURIComponent(customerRef)}`;
  const customer = useResource<CustomerDetail>(path);
  const timeline = usePaged<TimelineItem>(`${path}/timeline?limit=30`);
  const c = customer.data;
  const reload = () => {
    customer.reload();
    timeline.reload();
  };
  if (customer.error && !c) return <ErrorBox error={customer.error} onRetry={customer.reload} />;
  if (!c) return <Loading />;
  return (
    <>
      <PageHeader title={c.name}>
        <span className="customer-badges">
          {c.strategic ? <Badge tone="info">{t.strategic}</Badge> : null}
          {c.excluded ? <Badge tone="warn">{t.excluded}</Badge> : null}
          {c.settings.insolvent ? <Badge tone="bad">{t.insolvent}</Badge> : null}
          {c.settings.holdUntil ? <Badge tone="warn">{t.held(c.settings.holdUntil)}</Badge> : null}
        </span>
      </PageHeader>
      <Summary c={c} t={t} />
      <div className="grid customer-grid">
        <Contacts c={c} t={t} onChange={reload} />
        <Settings c={c} t={t} onChange={reload} />
      </div>
      <Section title={t.openInvoices}>
        <OpenInvoices c={c} t={t} />
      </Section>
      <Section title={t.timeline}>
        {timeline.error ? <ErrorBox error={timeline.error} onRetry={timeline.reload} /> : null}
        {timeline.loading && timeline.items.length === 0 ? (
          <Loading />
        ) : timeline.items.length === 0 ? (
          <Empty>{t.nothingYet}</Empty>
        ) : (
          <ol className="timeline customer-timeline">
            {timeline.items.map((item) => (
              <TimelineEntry key={item.id} item={item} t={t} />
            ))}
          </ol>
        )}
        <MoreButton more={timeline.more} loading={timeline.loading} onMore={timeline.loadMore} />
      </Section>
    </>
  );
}

function Summary({ c, t }: { c: CustomerDetail; t: Text }) {
  const b = c.behaviour;
  return (
    <div className="stats">
      <div className="stat">
        <div className="label">{t.outstanding}</div>
        <div className="value" data-testid="balance">
          <Balances balances={c.balances} field="outstanding" />
        </div>
      </div>
      <div className="stat">
        <div className="label">{t.overdue}</div>
        <div className="value">
          <Balances balances={c.balances} field="overdue" />
        </div>
      </div>
      <div className="stat">
        <div className="label">{t.averageLate}</div>
        <div className="value">
          {b.averageDaysLate === null ? '—' : t.daysLate(Math.round(b.averageDaysLate))}
        </div>
        <div className="muted small">{b.paidInvoices ? t.over(b.paidInvoices) : t.noHistory}</div>
      </div>
      <div className="stat">
        <div className="label">{t.reminders}</div>
        <div className="value">{b.reminders}</div>
        {b.lastReminderOn ? (
          <div className="muted small">
            {t.lastReminder} <Day value={b.lastReminderOn} />
          </div>
        ) : null}
      </div>
    </div>
  );
}

const who = (k: Contact) => k.email ?? k.name ?? k.phone ?? '?';

function Contacts({ c, t, onChange }: { c: CustomerDetail; t: Text; onChange: () => void }) {
  const canEdit = useCan('member');
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [invalidating, setInvalidating] = useState<Contact | null>(null);
  const notify = useNotify();
  const [error, setError] = useState<ApiError>();
  const markValid = async (k: Contact) => {
    try {
      await api.patch(`/contacts/${k.id}`, { valid: true });
      notify(t.markedValid);
      onChange();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <Section
      title={t.contacts}
      actions={
        canEdit ? (
          <Button variant="quiet" onClick={() => setEditing('new')}>
            {t.addContact}
          </Button>
        ) : null
      }
    >
      {error ? <ErrorBox error={error} /> : null}
      {c.contacts.length === 0 ? <Empty>{t.noContact}</Empty> : null}
      <ul className="contacts">
        {c.contacts.map((k) => (
          <li key={k.id} className={k.valid ? 'contact' : 'contact contact-invalid'}>
            <div className="contact-head">
              <strong>{k.name ?? k.email ?? k.phone}</strong>
              {k.valid ? (
                <Badge tone="good">{t.valid}</Badge>
              ) : (
                <Badge tone="bad">
                  {k.lastBounce || /bounce/i.test(k.invalidReason ?? '') ? t.bounced : t.invalid}
                </Badge>
              )}
            </div>
            {k.email ? <div className="contact-email">{k.email}</div> : null}
            <div className="muted small">
              {[k.phone, k.language?.toUpperCase(), k.role].filter(Boolean).join(' · ')}
            </div>
            {!k.valid ? (
              <p className="contact-problem">
                {k.invalidReason}
                {k.invalidSince ? (
                  <>
                    {' '}
                    — {t.since} <Day value={k.invalidSince} />
                  </>
                ) : null}
                {k.lastBounce?.diagnostic ? (
                  <span className="small muted"> ({k.lastBounce.diagnostic})</span>
                ) : null}
              </p>
            ) : null}
            {canEdit ? (
              <div className="contact-actions">
                <Button variant="quiet" aria-label={t.editContact(who(k))} onClick={() => setEditing(k)}>
                  {t.edit}
                </Button>
                {k.valid ? (
                  <Button
                    variant="quiet"
                    aria-label={t.markInvalidOf(who(k))}
                    onClick={() => setInvalidating(k)}
                  >
                    {t.markInvalid}
                  </Button>
                ) : (
                  <Button aria-label={t.markValidOf(who(k))} onClick={() => markValid(k)}>
                    {t.markValid}
                  </Button>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ContactDialog
        customerRef={c.ref}
        contact={editing}
        t={t}
        onClose={() => setEditing(null)}
        onSaved={(added) => {
          setEditing(null);
          notify(added ? t.contactAdded : t.contactSaved);
          onChange();
        }}
      />
      <InvalidDialog
        contact={invalidating}
        t={t}
        onClose={() => setInvalidating(null)}
        onSaved={() => {
          setInvalidating(null);
          notify(t.markedInvalid);
          onChange();
        }}
      />
    </Section>
  );
}

function ContactDialog({
  customerRef,
  contact,
  t,
  onClose,
  onSaved,
}: {
  customerRef: string;
  contact: Contact | 'new' | null;
  t: Text;
  onClose: () => void;
  onSaved: (added: boolean) => void;
}) {
  const existing = contact && contact !== 'new' ? contact : null;
  const [form, setForm] = useState({ name: '', email: '', phone: '', language: '' });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setError(undefined);
    setForm({
      name: existing?.name ?? '',
      email: existing?.email ?? '',
      phone: existing?.phone ?? '',
      language: existing?.language ?? '',
    });
  }, [existing]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (existing)
        await api.patch(`/contacts/${existing.id}`, {
          name: form.name.trim() || null,
          email: form.email.trim() || null,
          phone: form.phone.trim() || null,
          language: form.language || null,
        });
      else
        await api.post(`/customers/${encodeURIComponent(customerRef)}/contacts`, {
          email: form.email.trim(),
          ...(form.name.trim() ? { name: form.name.trim() } : {}),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          ...(form.language ? { language: form.language } : {}),
        });
      onSaved(!existing);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const title = existing ? t.editContact(who(existing)) : t.addContact;
  return (
    <Dialog title={title} open={contact !== null} onClose={onClose}>
      <form onSubmit={submit} className="contact-form">
        {error ? <ErrorBox error={error} /> : null}
        <Field label={t.email}>
          <input
            type="email"
            value={form.email}
            required={!existing}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </Field>
        <Field label={t.name}>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field label={t.phone}>
          <input
            type="tel"
            value={form.phone}
            onChange={(e) => setForm({ ...form, phone: e.target.value })}
          />
        </Field>
        <Field label={t.language}>
          <select value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })}>
            <option value="">—</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <Button variant="primary" type="submit" busy={busy}>
            {t.save}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function InvalidDialog({
  contact,
  t,
  onClose,
  onSaved,
}: {
  contact: Contact | null;
  t: Text;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new contact starts a blank form
  useEffect(() => {
    setReason('');
    setError(undefined);
  }, [contact]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!contact) return;
    setBusy(true);
    try {
      await api.patch(`/contacts/${contact.id}`, {
        valid: false,
        ...(reason.trim() ? { invalidReason: reason.trim() } : {}),
      });
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={contact ? t.markInvalidOf(who(contact)) : t.markInvalid}
      open={contact !== null}
      onClose={onClose}
    >
      <form onSubmit={submit}>
        {error ? <ErrorBox error={error} /> : null}
        <Field label={t.invalidReason} hint={t.invalidHint}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <div className="form-actions">
          <Button variant="danger" type="submit" busy={busy}>
            {t.markInvalid}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function Settings({ c, t, onChange }: { c: CustomerDetail; t: Text; onChange: () => void }) {
  const canEdit = useCan('member');
  const policies = useResource<{ name: string; isDefault: boolean }[]>(canEdit ? '/policies' : null);
  const notify = useNotify();
  const initial = {
    strategic: c.strategic,
    excluded: c.excluded,
    language: c.language ?? '',
    policy: c.settings.policy,
  };
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form follows the customer as reloaded
  useEffect(() => setForm(initial), [c]);
  if (!canEdit)
    return (
      <Section title={t.settings}>
        <dl className="facts">
          <dt>{t.reference}</dt>
          <dd>{c.ref}</dd>
          <dt>{t.strategic}</dt>
          <dd>{c.strategic ? t.yes : t.no}</dd>
          <dt>{t.excludedLabel}</dt>
          <dd>{c.excluded ? t.yes : t.no}</dd>
          <dt>{t.language}</dt>
          <dd>{c.language?.toUpperCase() ?? t.fromCountry}</dd>
          <dt>{t.policy}</dt>
          <dd>{c.settings.policy === 'default' ? t.defaultPolicy : c.settings.policy}</dd>
        </dl>
      </Section>
    );
  const named = (policies.data ?? []).filter((p) => !p.isDefault && p.name !== 'default');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`/customers/${encodeURIComponent(c.ref)}/settings`, {
        strategic: form.strategic,
        excluded: form.excluded,
        language: form.language || null,
        policy: form.policy === 'default' ? null : form.policy,
      });
      notify(t.saved);
      onChange();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t.settings}>
      <form onSubmit={submit} className="settings-form">
        {error ? <ErrorBox error={error} /> : null}
        <p className="muted small">
          {t.reference} {c.ref}
          {c.country ? ` · ${t.country} ${c.country}` : ''}
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={form.strategic}
            onChange={(e) => setForm({ ...form, strategic: e.target.checked })}
          />
          <span>
            {t.strategic}
            <span className="field-hint">{t.strategicHint}</span>
          </span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.excluded}
            onChange={(e) => setForm({ ...form, excluded: e.target.checked })}
          />
          <span>{t.excludedLabel}</span>
        </label>
        <Field label={t.language}>
          <select value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })}>
            <option value="">{t.fromCountry}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.policy}>
          <select value={form.policy} onChange={(e) => setForm({ ...form, policy: e.target.value })}>
            <option value="default">{t.defaultPolicy}</option>
            {named.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
            {form.policy !== 'default' && !named.some((p) => p.name === form.policy) ? (
              <option value={form.policy}>{form.policy}</option>
            ) : null}
          </select>
        </Field>
        <div className="form-actions">
          <Button variant="primary" type="submit" busy={busy}>
            {t.save}
          </Button>
        </div>
      </form>
    </Section>
  );
}

function OpenInvoices({ c, t }: { c: CustomerDetail; t: Text }) {
  const columns: Column<InvoiceRow>[] = [
    {
      key: 'number',
      label: t.number,
      render: (i) => <Link href={`/invoices/${encodeURIComponent(i.number)}`}>{i.number}</Link>,
    },
    { key: 'due', label: t.due, render: (i) => <Day value={i.dueDate} /> },
    {
      key: 'outstanding',
      label: t.amountDue,
      numeric: true,
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
    <DataTable
      caption={t.openInvoices}
      columns={columns}
      rows={c.invoices}
      rowKey={(i) => i.number}
      empty={t.noInvoice}
    />
  );
}

function InvoiceLinks({ numbers }: { numbers: string[] }) {
  if (numbers.length === 0) return null;
  return (
    <span className="invoice-links">
      {numbers.map((n) => (
        <Link key={n} href={`/invoices/${encodeURIComponent(n)}`}>
          {n}
        </Link>
      ))}
    </span>
  );
}

function TimelineEntry({ item, t }: { item: TimelineItem; t: Text }) {
  const f = useFormat();
  return (
    <li className={`entry entry-${item.type}`}>
      <div className="entry-when">
        <Day value={item.day} />
        <span className="entry-type">{t[item.type]}</span>
      </div>
      <div className="entry-body">
        {item.type === 'message' ? (
          <>
            <p className="entry-title">
              <strong>{t.level(item.message.level)}</strong>
              {item.message.channel === 'letter' ? ` (${t.letter})` : ''}
              {item.message.to ? (
                <span className="muted">
                  {' '}
                  {t.to} {item.message.to}
                </span>
              ) : null}{' '}
              <DeliveryBadge status={item.message.status} />
              {item.message.opened ? <Badge tone="info">{t.opened}</Badge> : null}
            </p>
            <p className="entry-line">
              {item.message.subject}
              {item.message.amount && item.message.currency ? (
                <>
                  {' · '}
                  <Money amount={item.message.amount} currency={item.message.currency} />
                </>
              ) : null}
            </p>
            {item.message.bounce ? (
              <p className="entry-problem">
                {t.bounceOf(
                  [item.message.bounce.status, item.message.bounce.reason].filter(Boolean).join(' '),
                  f.date(item.message.bounce.day),
                )}
              </p>
            ) : item.message.error &&
              item.message.status !== 'sent' &&
              item.message.status !== 'delivered' ? (
              <p className="entry-problem">{item.message.error}</p>
            ) : null}
            <p className="entry-reason muted small">{item.message.reason}</p>
          </>
        ) : item.type === 'reply' ? (
          <>
            <p className="entry-title">
              <strong>{t.reply}</strong>
              {item.reply.from ? (
                <span className="muted">
                  {' '}
                  {t.from} {item.reply.from}
                </span>
              ) : null}{' '}
              <IntentBadge intent={item.reply.intent} />
            </p>
            <p className="entry-line">{item.reply.subject}</p>
            {item.reply.promisedDate ? (
              <p className="entry-line">
                {t.promised} <Day value={item.reply.promisedDate} />
              </p>
            ) : null}
            {item.reply.decisions.map((d) => (
              <p key={`${d.kind}:${d.reason}`} className="entry-reason muted small">
                {d.reason}
              </p>
            ))}
          </>
        ) : item.type === 'payment' ? (
          <>
            <p className="entry-title">
              <strong>{t.received}</strong>{' '}
              <Money amount={item.payment.amount} currency={item.payment.currency} />
              {item.payment.reversedOn ? <Badge tone="bad">{t.reversed}</Badge> : null}
            </p>
            <p className="entry-line muted small">
              {[item.payment.payer, item.payment.reference].filter(Boolean).join(' · ')}
            </p>
            <ul className="allocations">
              {item.payment.allocations.map((a) => (
                <li key={a.invoice}>
                  <Link href={`/invoices/${encodeURIComponent(a.invoice)}`}>{a.invoice}</Link>{' '}
                  <Money amount={a.amount} currency={item.payment.currency} />
                </li>
              ))}
            </ul>
          </>
        ) : item.type === 'task' ? (
          <>
            <p className="entry-title">
              <strong>{item.task.title}</strong>{' '}
              <Badge tone={item.task.status === 'open' ? 'warn' : 'neutral'}>
                {item.task.status === 'open'
                  ? t.taskOpen
                  : item.task.status === 'done'
                    ? t.taskDone
                    : t.taskDismissed}
              </Badge>
            </p>
            {item.task.reason ? <p className="entry-reason muted small">{item.task.reason}</p> : null}
            <InvoiceLinks numbers={item.invoices} />
          </>
        ) : (
          <>
            <p className="entry-line">{item.event.summary}</p>
            {item.event.actor !== 'agent' ? (
              <p className="muted small">
                {t.by} {item.event.actor}
              </p>
            ) : null}
          </>
        )}
        {item.type === 'message' || item.type === 'reply' ? <InvoiceLinks numbers={item.invoices} /> : null}
      </div>
    </li>
  );
}
