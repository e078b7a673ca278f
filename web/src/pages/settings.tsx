// Settings: how the agent chases (the policy's levels and timing, automatic or with approval, the
// wording of each level in each language, previewed live on a real customer), who the messages come
// from and where customers pay, and who may use the organisation (members, API keys). Admins change
// them; everyone else reads them.
import './settings.css';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { type ApiError, api, type Page, type ProblemField, query } from '../api.ts';
import { useResource } from '../components/data.ts';
import {
  Badge,
  Button,
  DataTable,
  Dialog,
  ErrorBox,
  Field,
  Loading,
  PageHeader,
  Section,
  useNotify,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { setQuery, useLocation } from '../router.tsx';
import { type Role, useCan, useSession } from '../session.tsx';

const TONES = ['courteous', 'professional', 'firm', 'formal_notice'] as const;
const CHANNELS = ['email', 'letter', 'both'] as const;
const TEMPLATE_LEVELS = ['courtesy', '1', '2', '3'] as const;
const LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl'] as const;
const ROLES: Role[] = ['read_only', 'member', 'admin', 'owner'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h));
const TABS = ['policy', 'templates', 'organisation', 'members', 'keys'] as const;
type Tab = (typeof TABS)[number];

const text = defineText(
  {
    title: 'Settings',
    tabs: 'Settings sections',
    policy: 'Policy',
    templates: 'Templates',
    organisation: 'Sender & bank',
    members: 'Members',
    keys: 'API keys',
    readOnly: 'You can read these settings; an administrator can change them.',
    save: 'Save',
    saved: 'Saved.',
    mode: 'Mode',
    automatic: 'Automatic',
    automaticHint: 'Reminders go out on their own, on the planned day.',
    approval: 'Every level needs approval',
    approvalHint: 'Each reminder waits in the queue until a person approves it.',
    levels: 'Levels',
    level: 'Level',
    offset: 'Days after due date',
    tone: 'Tone',
    channel: 'Channel',
    needsApproval: 'Needs approval',
    addLevel: 'Add a level',
    removeLevel: 'Remove the last level',
    courteous: 'Courteous',
    professional: 'Professional',
    firm: 'Firm',
    formal_notice: 'Formal notice',
    email: 'Email',
    letter: 'Letter',
    both: 'Email and letter',
    timing: 'Timing',
    interval: 'Repeat the last level every (days)',
    minGap: 'At least this many days between two reminders',
    maxReminders: 'At most this many reminders per invoice',
    courtesy: 'Courtesy reminder before the due date',
    courtesyDays: 'Days before the due date',
    noAnswer: 'A task for a person after this many reminders without answer',
    runHour: 'Daily run starts at (local hour)',
    runHourHint: (zone: string) => `In ${zone}, on business days.`,
    template: 'Template',
    templateLevel: 'Level',
    language: 'Language',
    customer: 'Preview for customer',
    sample: 'Sample data',
    subject: 'Subject',
    body: 'Body',
    custom: 'Your wording',
    default: 'Default wording',
    reset: 'Back to the default',
    resetDone: 'The default wording is back.',
    preview: 'Preview',
    previewing: 'Updating the preview…',
    courtesyLevel: 'Courtesy (before due date)',
    levelN: (n: string) => `Level ${n}`,
    levelField: (n: number, what: string) => `Level ${n}: ${what}`,
    lang_fr: 'French',
    lang_en: 'English',
    lang_de: 'German',
    lang_es: 'Spanish',
    lang_it: 'Italian',
    lang_nl: 'Dutch',
    sender: 'Sender identity',
    senderName: 'Sender name',
    senderEmail: 'Sender email',
    bank: 'Bank details',
    bankHint: 'Shown in reminders so that customers know where to pay.',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Bank name',
    organisationFacts: 'Organisation',
    name: 'Name',
    country: 'Country',
    currency: 'Currency',
    timezone: 'Time zone',
    memberList: 'Members of the organisation',
    addMember: 'Add a member',
    role: 'Role',
    role_read_only: 'Read only',
    role_member: 'Member',
    role_admin: 'Administrator',
    role_owner: 'Owner',
    roleOf: (name: string) => `Role of ${name}`,
    remove: 'Remove',
    removeOf: (name: string) => `Remove ${name}`,
    removeConfirm: (name: string) => `Remove ${name}? Their sessions end at once.`,
    removed: (name: string) => `${name} removed.`,
    roleChanged: (name: string) => `${name}’s role changed.`,
    added: (name: string) => `${name} added.`,
    firstPassword: 'First password',
    firstPasswordHint: 'At least 12 characters; they change it after signing in.',
    memberLanguage: 'Language of their messages',
    none: '—',
    you: 'you',
    keyList: 'API keys',
    createKey: 'Create a key',
    keyName: 'Key name',
    expiresOn: 'Expires on (optional)',
    prefix: 'Key',
    created: 'Created',
    lastUsed: 'Last used',
    expires: 'Expires',
    status: 'Status',
    active: 'Active',
    revoked: 'Revoked',
    revoke: 'Revoke',
    revokeOf: (name: string) => `Revoke ${name}`,
    revokedDone: (name: string) => `${name} revoked: it no longer works.`,
    newKey: 'Your new key',
    newKeyHint: 'Copy it now: it is shown only once.',
    copy: 'Copy',
    copied: 'Copied.',
    done: 'Done',
    create: 'Create',
    email2: 'Email',
  },
  {
    title: 'Réglages',
    tabs: 'Sections des réglages',
    policy: 'Politique',
    templates: 'Modèles',
    organisation: 'Expéditeur et banque',
    members: 'Membres',
    keys: 'Clés d’API',
    readOnly: 'Vous pouvez consulter ces réglages ; un administrateur peut les modifier.',
    save: 'Enregistrer',
    saved: 'Enregistré.',
    mode: 'Mode',
    automatic: 'Automatique',
    automaticHint: 'Les relances partent d’elles-mêmes, le jour prévu.',
    approval: 'Chaque niveau doit être validé',
    approvalHint: 'Chaque relance attend dans la file qu’une personne la valide.',
    levels: 'Niveaux',
    level: 'Niveau',
    offset: 'Jours après l’échéance',
    tone: 'Ton',
    channel: 'Canal',
    needsApproval: 'À valider',
    addLevel: 'Ajouter un niveau',
    removeLevel: 'Retirer le dernier niveau',
    courteous: 'Courtois',
    professional: 'Professionnel',
    firm: 'Ferme',
    formal_notice: 'Mise en demeure',
    email: 'E-mail',
    letter: 'Courrier',
    both: 'E-mail et courrier',
    timing: 'Rythme',
    interval: 'Répéter le dernier niveau tous les (jours)',
    minGap: 'Au moins ce nombre de jours entre deux relances',
    maxReminders: 'Au plus ce nombre de relances par facture',
    courtesy: 'Rappel de courtoisie avant l’échéance',
    courtesyDays: 'Jours avant l’échéance',
    noAnswer: 'Une tâche pour une personne après ce nombre de relances sans réponse',
    runHour: 'Heure de la tournée quotidienne (heure locale)',
    runHourHint: (zone: string) => `Fuseau ${zone}, les jours ouvrés.`,
    template: 'Modèle',
    templateLevel: 'Niveau',
    language: 'Langue',
    customer: 'Aperçu pour le client',
    sample: 'Données d’exemple',
    subject: 'Objet',
    body: 'Texte',
    custom: 'Votre texte',
    default: 'Texte par défaut',
    reset: 'Revenir au texte par défaut',
    resetDone: 'Le texte par défaut est rétabli.',
    preview: 'Aperçu',
    previewing: 'Mise à jour de l’aperçu…',
    courtesyLevel: 'Courtoisie (avant l’échéance)',
    levelN: (n: string) => `Niveau ${n}`,
    levelField: (n: number, what: string) => `Niveau ${n} : ${what}`,
    lang_fr: 'Français',
    lang_en: 'Anglais',
    lang_de: 'Allemand',
    lang_es: 'Espagnol',
    lang_it: 'Italien',
    lang_nl: 'Néerlandais',
    sender: 'Identité de l’expéditeur',
    senderName: 'Nom de l’expéditeur',
    senderEmail: 'Adresse de l’expéditeur',
    bank: 'Coordonnées bancaires',
    bankHint: 'Indiquées dans les relances pour que les clients sachent où payer.',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Nom de la banque',
    organisationFacts: 'Organisation',
    name: 'Nom',
    country: 'Pays',
    currency: 'Devise',
    timezone: 'Fuseau horaire',
    memberList: 'Membres de l’organisation',
    addMember: 'Ajouter un membre',
    role: 'Rôle',
    role_read_only: 'Lecture seule',
    role_member: 'Membre',
    role_admin: 'Administrateur',
    role_owner: 'Propriétaire',
    roleOf: (name: string) => `Rôle de ${name}`,
    remove: 'Retirer',
    removeOf: (name: string) => `Retirer ${name}`,
    removeConfirm: (name: string) => `Retirer ${name} ? Ses sessions prennent fin aussitôt.`,
    removed: (name: string) => `${name} a été retiré.`,
    roleChanged: (name: string) => `Le rôle de ${name} a changé.`,
    added: (name: string) => `${name} a été ajouté.`,
    firstPassword: 'Premier mot de passe',
    firstPasswordHint: 'Au moins 12 caractères ; la personne le change après connexion.',
    memberLanguage: 'Langue de ses messages',
    none: '—',
    you: 'vous',
    keyList: 'Clés d’API',
    createKey: 'Créer une clé',
    keyName: 'Nom de la clé',
    expiresOn: 'Expire le (facultatif)',
    prefix: 'Clé',
    created: 'Créée le',
    lastUsed: 'Dernier usage',
    expires: 'Expire le',
    status: 'État',
    active: 'Active',
    revoked: 'Révoquée',
    revoke: 'Révoquer',
    revokeOf: (name: string) => `Révoquer ${name}`,
    revokedDone: (name: string) => `${name} est révoquée : elle ne fonctionne plus.`,
    newKey: 'Votre nouvelle clé',
    newKeyHint: 'Copiez-la maintenant : elle ne sera plus affichée.',
    copy: 'Copier',
    copied: 'Copiée.',
    done: 'Terminé',
    create: 'Créer',
    email2: 'E-mail',
  },
);

type Text = (typeof text)['en'];

// Shapes of the API's answers, as far as this page reads them.
interface PolicyLevel {
  level: number;
  offsetDays: number;
  tone: (typeof TONES)[number];
  channel: (typeof CHANNELS)[number];
  approval: boolean;
}
interface Policy {
  levels: PolicyLevel[];
  intervalDays: number;
  minGapDays: number;
  maxReminders: number;
  courtesyDaysBefore: number | null;
  mode: 'automatic' | 'approval';
  noAnswerTaskAfter: number;
}
interface Organisation {
  slug: string;
  name: string;
  country: string;
  currency: string;
  timezone: string;
  language: string;
  runHour: number;
  senderName: string | null;
  senderEmail: string | null;
  bankIban: string | null;
  bankBic: string | null;
  bankName: string | null;
}
interface Rendered {
  subject: string;
  text: string;
  language: string;
}
interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: string | null;
}
interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The server's message for one field of the last refused save (`levels.1.offsetDays`). */
function errorFor(error: ApiError | undefined, field: string): string | undefined {
  return error?.errors.find((e: ProblemField) => e.field === field)?.message;
}

/** A labelled control with, below it, what the server said about that field. */
function Checked({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'checked has-error' : 'checked'}>
      <Field label={label} {...(hint ? { hint } : {})}>
        {children}
      </Field>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** A whole number as typed, or the text itself, so that the server names what is wrong with it. */
function whole(value: string): number | string {
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

export default function Settings() {
  const t = useText(text);
  const { query: q } = useLocation();
  const admin = useCan('admin');
  const tabs = TABS.filter((tab) => tab !== 'keys' || admin);
  const wanted = q.get('tab') as Tab | null;
  const tab: Tab = wanted && (tabs as string[]).includes(wanted) ? wanted : 'policy';
  const panel = useId();
  return (
    <div className="settings">
      <PageHeader title={t.title} />
      {admin ? null : <p className="muted">{t.readOnly}</p>}
      <div className="tabs" role="tablist" aria-label={t.tabs}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${panel}-${name}`}
            aria-selected={tab === name}
            aria-controls={panel}
            className={tab === name ? 'tab active' : 'tab'}
            onClick={() => setQuery({ tab: name === 'policy' ? null : name })}
          >
            {t[name]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panel} aria-labelledby={`${panel}-${tab}`}>
        {tab === 'policy' ? <PolicyTab admin={admin} /> : null}
        {tab === 'templates' ? <TemplatesTab admin={admin} /> : null}
        {tab === 'organisation' ? <OrganisationTab admin={admin} /> : null}
        {tab === 'members' ? <MembersTab admin={admin} /> : null}
        {tab === 'keys' && admin ? <KeysTab /> : null}
      </div>
    </div>
  );
}

// The policy: levels, timing, mode; and the run hour, which belongs to the organisation.

interface PolicyDraft {
  levels: {
    offsetDays: string;
    tone: PolicyLevel['tone'];
    channel: PolicyLevel['channel'];
    approval: boolean;
  }[];
  intervalDays: string;
  minGapDays: string;
  maxReminders: string;
  courtesy: boolean;
  courtesyDaysBefore: string;
  mode: Policy['mode'];
  noAnswerTaskAfter: string;
  runHour: string;
}

function draftOf(policy: Policy, runHour: number): PolicyDraft {
  return {
    levels: policy.levels.map((l) => ({
      offsetDays: String(l.offsetDays),
      tone: l.tone,
      channel: l.channel,
      approval: l.approval,
    })),
    intervalDays: String(policy.intervalDays),
    minGapDays: String(policy.minGapDays),
    maxReminders: String(policy.maxReminders),
    courtesy: policy.courtesyDaysBefore !== null,
    courtesyDaysBefore: String(policy.courtesyDaysBefore ?? 3),
    mode: policy.mode,
    noAnswerTaskAfter: String(policy.noAnswerTaskAfter),
    runHour: String(runHour),
  };
}

function PolicyTab({ admin }: { admin: boolean }) {
  const t = useText(text);
  const notify = useNotify();
  const { refresh } = useSession();
  const policy = useResource<{ name: string; policy: Policy }>('/policy');
  const org = useResource<Organisation>('/organisation');
  const [draft, setDraft] = useState<PolicyDraft>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (policy.data && org.data) setDraft(draftOf(policy.data.policy, org.data.runHour));
  }, [policy.data, org.data]);

  if (policy.error || org.error)
    return (
      <ErrorBox
        error={(policy.error ?? org.error)!}
        onRetry={() => {
          policy.reload();
          org.reload();
        }}
      />
    );
  if (!draft || !org.data) return <Loading />;

  const change = (patch: Partial<PolicyDraft>) => setDraft({ ...draft, ...patch });
  const changeLevel = (i: number, patch: Partial<PolicyDraft['levels'][number]>) =>
    change({ levels: draft.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const problem = (field: string) => errorFor(error, field);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.put('/policy', {
        levels: draft.levels.map((l, i) => ({
          level: i + 1,
          offsetDays: whole(l.offsetDays),
          tone: l.tone,
          channel: l.channel,
          approval: l.approval,
        })),
        intervalDays: whole(draft.intervalDays),
        minGapDays: whole(draft.minGapDays),
        maxReminders: whole(draft.maxReminders),
        courtesyDaysBefore: draft.courtesy ? whole(draft.courtesyDaysBefore) : null,
        mode: draft.mode,
        noAnswerTaskAfter: whole(draft.noAnswerTaskAfter),
      });
      if (draft.runHour !== String(org.data?.runHour)) {
        await api.patch('/organisation', { runHour: whole(draft.runHour) });
        refresh();
      }
      notify(t.saved);
      policy.reload();
      org.reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const levelRows = draft.levels.map((l, i) => ({ ...l, index: i }));
  return (
    <form onSubmit={save} className="policy">
      <Section title={t.mode}>
        <fieldset className="choices" disabled={!admin}>
          <legend className="visually-hidden">{t.mode}</legend>
          {(['automatic', 'approval'] as const).map((mode) => (
            <label key={mode} className={draft.mode === mode ? 'choice chosen' : 'choice'}>
              <input
                type="radio"
                name="mode"
                value={mode}
                checked={draft.mode === mode}
                onChange={() => change({ mode })}
              />
              <span>
                <strong>{t[mode]}</strong>
                <span className="muted small">{mode === 'automatic' ? t.automaticHint : t.approvalHint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </Section>

      <Section
        title={t.levels}
        actions={
          admin ? (
            <div className="toolbar">
              <Button
                disabled={draft.levels.length >= 9}
                onClick={() => {
                  const last = draft.levels.at(-1);
                  change({
                    levels: [
                      ...draft.levels,
                      {
                        offsetDays: String(last ? Number(last.offsetDays) + 7 : 7),
                        tone: last?.tone ?? 'courteous',
                        channel: last?.channel ?? 'email',
                        approval: false,
                      },
                    ],
                  });
                }}
              >
                {t.addLevel}
              </Button>
              <Button
                disabled={draft.levels.length <= 1}
                onClick={() => change({ levels: draft.levels.slice(0, -1) })}
              >
                {t.removeLevel}
              </Button>
            </div>
          ) : null
        }
      >
        <DataTable
          caption={t.levels}
          rows={levelRows}
          rowKey={(r) => String(r.index)}
          columns={[
            { key: 'level', label: t.level, render: (r) => <strong>{t.levelN(String(r.index + 1))}</strong> },
            {
              key: 'offset',
              label: t.offset,
              render: (r) => {
                const message = problem(`levels.${r.index}.offsetDays`);
                return (
                  <span className="cell-input">
                    <input
                      type="number"
                      inputMode="numeric"
                      className="short"
                      aria-label={t.levelField(r.index + 1, t.offset)}
                      aria-invalid={message ? true : undefined}
                      value={r.offsetDays}
                      readOnly={!admin}
                      onChange={(e) => changeLevel(r.index, { offsetDays: e.target.value })}
                    />
                    {message ? <span className="field-error">{message}</span> : null}
                  </span>
                );
              },
            },
            {
              key: 'tone',
              label: t.tone,
              render: (r) => (
                <select
                  aria-label={t.levelField(r.index + 1, t.tone)}
                  value={r.tone}
                  disabled={!admin}
                  onChange={(e) => changeLevel(r.index, { tone: e.target.value as PolicyLevel['tone'] })}
                >
                  {TONES.map((tone) => (
                    <option key={tone} value={tone}>
                      {t[tone]}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              key: 'channel',
              label: t.channel,
              render: (r) => (
                <select
                  aria-label={t.levelField(r.index + 1, t.channel)}
                  value={r.channel}
                  disabled={!admin}
                  onChange={(e) =>
                    changeLevel(r.index, { channel: e.target.value as PolicyLevel['channel'] })
                  }
                >
                  {CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t[c]}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              key: 'approval',
              label: t.needsApproval,
              render: (r) => (
                <input
                  type="checkbox"
                  aria-label={t.levelField(r.index + 1, t.needsApproval)}
                  // In approval mode every level waits for a person, whatever the level says.
                  checked={draft.mode === 'approval' || r.approval}
                  disabled={!admin || draft.mode === 'approval'}
                  onChange={(e) => changeLevel(r.index, { approval: e.target.checked })}
                />
              ),
            },
          ]}
        />
        {problem('levels') ? <p className="field-error">{problem('levels')}</p> : null}
      </Section>

      <Section title={t.timing}>
        <div className="form-grid">
          {(
            [
              ['intervalDays', t.interval],
              ['minGapDays', t.minGap],
              ['maxReminders', t.maxReminders],
              ['noAnswerTaskAfter', t.noAnswer],
            ] as const
          ).map(([key, label]) => (
            <Checked key={key} label={label} error={problem(key)}>
              <NumberInput value={draft[key]} readOnly={!admin} onChange={(v) => change({ [key]: v })} />
            </Checked>
          ))}
          <div className="checked">
            <label className="inline-check">
              <input
                type="checkbox"
                checked={draft.courtesy}
                disabled={!admin}
                onChange={(e) => change({ courtesy: e.target.checked })}
              />
              {t.courtesy}
            </label>
            {draft.courtesy ? (
              <Checked label={t.courtesyDays} error={problem('courtesyDaysBefore')}>
                <NumberInput
                  value={draft.courtesyDaysBefore}
                  readOnly={!admin}
                  onChange={(v) => change({ courtesyDaysBefore: v })}
                />
              </Checked>
            ) : null}
          </div>
          <Checked label={t.runHour} hint={t.runHourHint(org.data.timezone)} error={problem('runHour')}>
            <select
              value={draft.runHour}
              disabled={!admin}
              onChange={(e) => change({ runHour: e.target.value })}
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {`${h.padStart(2, '0')}:00`}
                </option>
              ))}
            </select>
          </Checked>
        </div>
      </Section>

      {error ? <ErrorBox error={error} /> : null}
      {admin ? (
        <div className="save-bar">
          <Button type="submit" variant="primary" busy={busy}>
            {t.save}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

function NumberInput({
  value,
  readOnly,
  onChange,
}: {
  value: string;
  readOnly: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <input
      type="number"
      inputMode="numeric"
      className="short"
      value={value}
      readOnly={readOnly}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

// Templates: one level in one language, its subject and body, previewed as a real customer would
// receive it, at every keystroke (debounced), before anything is saved.

function TemplatesTab({ admin }: { admin: boolean }) {
  const t = useText(text);
  const notify = useNotify();
  const { me } = useSession();
  const [level, setLevel] = useState<string>('1');
  const [language, setLanguage] = useState<string>(
    (LANGUAGES as readonly string[]).includes(me.organisation.language) ? me.organisation.language : 'en',
  );
  const customers = useResource<Page<{ ref: string; name: string }>>(
    `/customers${query({ sort: 'outstanding', limit: 200 })}`,
  );
  const [customer, setCustomer] = useState<string>('');
  const saved = useResource<{ subject: string; body: string; custom: boolean }>(
    `/templates/${level}/${language}`,
  );
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<Rendered>();
  const [previewError, setPreviewError] = useState<ApiError>();
  const [previewing, setPreviewing] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  // The customer who owes the most is the most telling preview.
  useEffect(() => {
    const first = customers.data?.items[0];
    if (first && customer === '') setCustomer(first.ref);
  }, [customers.data, customer]);

  useEffect(() => {
    if (!saved.data) return;
    setSubject(saved.data.subject);
    setBody(saved.data.body);
    setSaveError(undefined);
  }, [saved.data]);

  useEffect(() => {
    if (!saved.data) return;
    let live = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      api
        .post<Rendered>(`/templates/${level}/${language}/preview${query({ customer })}`, { subject, body })
        .then(
          (rendered) => {
            if (!live) return;
            setPreview(rendered);
            setPreviewError(undefined);
          },
          (e) => live && setPreviewError(e as ApiError),
        )
        .finally(() => live && setPreviewing(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [saved.data, level, language, customer, subject, body]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaveError(undefined);
    try {
      await api.put(`/templates/${level}/${language}${query({ customer })}`, { subject, body });
      notify(t.saved);
      saved.reload();
    } catch (e) {
      setSaveError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const reset = async () => {
    setBusy(true);
    try {
      await api.delete(`/templates/${level}/${language}`);
      notify(t.resetDone);
      saved.reload();
    } catch (e) {
      setSaveError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const levelName = (l: string) => (l === 'courtesy' ? t.courtesyLevel : t.levelN(l));
  return (
    <div className="templates">
      <div className="filters">
        <Field label={t.templateLevel}>
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            {TEMPLATE_LEVELS.map((l) => (
              <option key={l} value={l}>
                {levelName(l)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.language}>
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t[`lang_${l}`]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.customer}>
          <select value={customer} onChange={(e) => setCustomer(e.target.value)}>
            <option value="">{t.sample}</option>
            {(customers.data?.items ?? []).map((c) => (
              <option key={c.ref} value={c.ref}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {saved.error ? <ErrorBox error={saved.error} onRetry={saved.reload} /> : null}
      {!saved.data ? (
        <Loading />
      ) : (
        <div className="template-grid">
          <Section
            title={`${t.template}: ${levelName(level)}, ${t[`lang_${language as (typeof LANGUAGES)[number]}`]}`}
            actions={
              <Badge tone={saved.data.custom ? 'info' : 'neutral'}>
                {saved.data.custom ? t.custom : t.default}
              </Badge>
            }
          >
            <form onSubmit={save}>
              <Checked label={t.subject} error={errorFor(saveError, 'subject')}>
                <input
                  type="text"
                  className="wide"
                  value={subject}
                  readOnly={!admin}
                  onChange={(e) => setSubject(e.target.value)}
                />
              </Checked>
              <Checked label={t.body} error={errorFor(saveError, 'body')}>
                <textarea
                  rows={16}
                  value={body}
                  readOnly={!admin}
                  onChange={(e) => setBody(e.target.value)}
                />
              </Checked>
              {saveError && saveError.errors.length === 0 ? <ErrorBox error={saveError} /> : null}
              {admin ? (
                <div className="toolbar">
                  <Button type="submit" variant="primary" busy={busy}>
                    {t.save}
                  </Button>
                  {saved.data.custom ? (
                    <Button onClick={reset} busy={busy}>
                      {t.reset}
                    </Button>
                  ) : null}
                </div>
              ) : null}
            </form>
          </Section>
          <Section
            title={t.preview}
            actions={previewing ? <span className="muted small">{t.previewing}</span> : null}
          >
            <div aria-live="polite" aria-busy={previewing || undefined}>
              {previewError ? <ErrorBox error={previewError} /> : null}
              {preview && !previewError ? (
                <article className="rendered" aria-label={t.preview}>
                  <p className="rendered-subject">
                    <span className="muted">{t.subject}: </span>
                    <strong data-testid="preview-subject">{preview.subject}</strong>
                  </p>
                  <div className="message-preview">{preview.text}</div>
                </article>
              ) : null}
            </div>
          </Section>
        </div>
      )}
    </div>
  );
}

// Who the messages come from, and the bank account customers are asked to pay into.

const ORG_FIELDS = ['senderName', 'senderEmail', 'bankIban', 'bankBic', 'bankName'] as const;
type OrgField = (typeof ORG_FIELDS)[number];

function OrganisationTab({ admin }: { admin: boolean }) {
  const t = useText(text);
  const notify = useNotify();
  const org = useResource<Organisation>('/organisation');
  const [draft, setDraft] = useState<Record<OrgField, string>>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const o = org.data;
    if (o)
      setDraft({
        senderName: o.senderName ?? '',
        senderEmail: o.senderEmail ?? '',
        // Grouped by four, as people read and check it.
        bankIban: (o.bankIban ?? '').replace(/(.{4})(?=.)/g, '$1 '),
        bankBic: o.bankBic ?? '',
        bankName: o.bankName ?? '',
      });
  }, [org.data]);

  if (org.error) return <ErrorBox error={org.error} onRetry={org.reload} />;
  if (!draft || !org.data) return <Loading />;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.patch('/organisation', draft);
      notify(t.saved);
      org.reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const input = (field: OrgField, label: string, type = 'text', autoComplete = 'off') => (
    <Checked label={label} error={errorFor(error, field)}>
      <input
        type={type}
        className="wide"
        autoComplete={autoComplete}
        value={draft[field]}
        readOnly={!admin}
        aria-invalid={errorFor(error, field) ? true : undefined}
        onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
      />
    </Checked>
  );
  const o = org.data;
  return (
    <form onSubmit={save} className="organisation">
      <div className="grid">
        <Section title={t.sender}>
          {input('senderName', t.senderName)}
          {input('senderEmail', t.senderEmail, 'email')}
        </Section>
        <Section title={t.bank}>
          <p className="muted small">{t.bankHint}</p>
          {input('bankIban', t.iban)}
          {input('bankBic', t.bic)}
          {input('bankName', t.bankName)}
        </Section>
        <Section title={t.organisationFacts}>
          <dl className="facts">
            <dt>{t.name}</dt>
            <dd>{o.name}</dd>
            <dt>{t.country}</dt>
            <dd>{o.country}</dd>
            <dt>{t.currency}</dt>
            <dd>{o.currency}</dd>
            <dt>{t.timezone}</dt>
            <dd>{o.timezone}</dd>
          </dl>
        </Section>
      </div>
      {error && error.errors.length === 0 ? <ErrorBox error={error} /> : null}
      {admin ? (
        <div className="save-bar">
          <Button type="submit" variant="primary" busy={busy}>
            {t.save}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

// Members and their roles.

function roleName(t: Text, role: Role): string {
  return t[`role_${role}`];
}

function MembersTab({ admin }: { admin: boolean }) {
  const t = useText(text);
  const notify = useNotify();
  const { me } = useSession();
  const members = useResource<Member[]>('/members');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member>();
  const [error, setError] = useState<ApiError>();
  const owner = me.role === 'owner';
  // Only owners hand out or take away the owner role; the server checks it again.
  const roles = ROLES.filter((r) => r !== 'owner' || owner);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(undefined);
    try {
      await work();
      notify(done);
      members.reload();
      return true;
    } catch (e) {
      setError(e as ApiError);
      return false;
    }
  };

  if (members.error) return <ErrorBox error={members.error} onRetry={members.reload} />;
  if (!members.data) return <Loading />;
  return (
    <Section
      title={t.memberList}
      actions={
        admin ? (
          <Button variant="primary" onClick={() => setAdding(true)}>
            {t.addMember}
          </Button>
        ) : null
      }
    >
      {error ? <ErrorBox error={error} /> : null}
      <DataTable
        caption={t.memberList}
        rows={members.data}
        rowKey={(m) => m.id}
        columns={[
          {
            key: 'name',
            label: t.name,
            render: (m) => (
              <span>
                {m.name}
                {m.id === me.member?.id ? <span className="muted"> ({t.you})</span> : null}
              </span>
            ),
          },
          { key: 'email', label: t.email2, render: (m) => <span className="break">{m.email}</span> },
          {
            key: 'role',
            label: t.role,
            render: (m) =>
              admin && (m.role !== 'owner' || owner) ? (
                <select
                  aria-label={t.roleOf(m.name)}
                  value={m.role}
                  onChange={(e) =>
                    act(() => api.patch(`/members/${m.id}`, { role: e.target.value }), t.roleChanged(m.name))
                  }
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {roleName(t, r)}
                    </option>
                  ))}
                </select>
              ) : (
                roleName(t, m.role)
              ),
          },
          {
            key: 'language',
            label: t.language,
            secondary: true,
            render: (m) =>
              m.language ? (t[`lang_${m.language as (typeof LANGUAGES)[number]}`] ?? m.language) : t.none,
          },
          ...(admin
            ? [
                {
                  key: 'actions',
                  label: '',
                  render: (m: Member) =>
                    m.role !== 'owner' || owner ? (
                      <Button variant="danger" aria-label={t.removeOf(m.name)} onClick={() => setRemoving(m)}>
                        {t.remove}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <AddMember
        open={adding}
        roles={roles}
        onClose={() => setAdding(false)}
        onAdded={(name) => {
          setAdding(false);
          notify(t.added(name));
          members.reload();
        }}
      />
      <Dialog
        title={t.remove}
        open={removing !== undefined}
        onClose={() => setRemoving(undefined)}
        footer={
          <>
            <Button onClick={() => setRemoving(undefined)}>{t.done}</Button>
            <Button
              variant="danger"
              onClick={async () => {
                const m = removing!;
                setRemoving(undefined);
                await act(() => api.delete(`/members/${m.id}`), t.removed(m.name));
              }}
            >
              {t.remove}
            </Button>
          </>
        }
      >
        <p>{removing ? t.removeConfirm(removing.name) : null}</p>
      </Dialog>
    </Section>
  );
}

function AddMember({
  open,
  roles,
  onClose,
  onAdded,
}: {
  open: boolean;
  roles: Role[];
  onClose: () => void;
  onAdded: (name: string) => void;
}) {
  const t = useText(text);
  const empty = { email: '', name: '', role: 'member' as Role, language: '', password: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/members', {
        email: form.email,
        name: form.name,
        role: form.role,
        password: form.password,
        ...(form.language ? { language: form.language } : {}),
      });
      onAdded(form.name);
      setForm(empty);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t.addMember}
      open={open}
      onClose={onClose}
      footer={
        <Button type="submit" form={formId} variant="primary" busy={busy}>
          {t.addMember}
        </Button>
      }
    >
      <form id={formId} onSubmit={submit}>
        <Checked label={t.name} error={errorFor(error, 'name')}>
          <input
            className="wide"
            value={form.name}
            required
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </Checked>
        <Checked label={t.email2} error={errorFor(error, 'email')}>
          <input
            type="email"
            className="wide"
            value={form.email}
            required
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </Checked>
        <Checked label={t.role} error={errorFor(error, 'role')}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleName(t, r)}
              </option>
            ))}
          </select>
        </Checked>
        <Checked label={t.memberLanguage} error={errorFor(error, 'language')}>
          <select value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })}>
            <option value="">{t.none}</option>
            <option value="fr">{t.lang_fr}</option>
            <option value="en">{t.lang_en}</option>
          </select>
        </Checked>
        <Checked label={t.firstPassword} hint={t.firstPasswordHint} error={errorFor(error, 'password')}>
          <input
            type="password"
            className="wide"
            autoComplete="new-password"
            value={form.password}
            required
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </Checked>
        {error && error.errors.length === 0 ? <ErrorBox error={error} /> : null}
      </form>
    </Dialog>
  );
}

// API keys: created with a role, shown once, revoked at once.

function KeysTab() {
  const t = useText(text);
  const f = useFormat();
  const notify = useNotify();
  const keys = useResource<ApiKey[]>('/api-keys');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const [form, setForm] = useState({ name: '', role: 'member' as Role, expiresOn: '' });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const formId = useId();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<{ key: string }>('/api-keys', {
        name: form.name,
        role: form.role,
        ...(form.expiresOn ? { expiresOn: form.expiresOn } : {}),
      });
      setCreated(answer.key);
      setForm({ name: '', role: 'member', expiresOn: '' });
      keys.reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await api.delete(`/api-keys/${key.id}`);
      notify(t.revokedDone(key.name));
      keys.reload();
    } catch (e) {
      notify((e as Error).message, 'bad');
    }
  };
  const close = () => {
    setCreating(false);
    setCreated(undefined);
    setError(undefined);
  };

  if (keys.error) return <ErrorBox error={keys.error} onRetry={keys.reload} />;
  if (!keys.data) return <Loading />;
  return (
    <Section
      title={t.keyList}
      actions={
        <Button variant="primary" onClick={() => setCreating(true)}>
          {t.createKey}
        </Button>
      }
    >
      <DataTable
        caption={t.keyList}
        rows={keys.data}
        rowKey={(k) => k.id}
        columns={[
          { key: 'name', label: t.name, render: (k) => k.name },
          { key: 'prefix', label: t.prefix, secondary: true, render: (k) => <code>{k.prefix}</code> },
          { key: 'role', label: t.role, render: (k) => roleName(t, k.role) },
          { key: 'created', label: t.created, secondary: true, render: (k) => f.moment(k.createdAt) },
          { key: 'used', label: t.lastUsed, secondary: true, render: (k) => f.moment(k.lastUsedAt) },
          { key: 'expires', label: t.expires, secondary: true, render: (k) => f.moment(k.expiresAt) },
          {
            key: 'status',
            label: t.status,
            render: (k) =>
              k.revokedAt ? <Badge tone="bad">{t.revoked}</Badge> : <Badge tone="good">{t.active}</Badge>,
          },
          {
            key: 'actions',
            label: '',
            render: (k) =>
              k.revokedAt ? null : (
                <Button variant="danger" aria-label={t.revokeOf(k.name)} onClick={() => revoke(k)}>
                  {t.revoke}
                </Button>
              ),
          },
        ]}
      />
      <Dialog
        title={created ? t.newKey : t.createKey}
        open={creating}
        onClose={close}
        footer={
          created ? (
            <Button variant="primary" onClick={close}>
              {t.done}
            </Button>
          ) : (
            <Button type="submit" form={formId} variant="primary" busy={busy}>
              {t.create}
            </Button>
          )
        }
      >
        {created ? (
          <div>
            <Field label={t.newKey} hint={t.newKeyHint}>
              <input className="wide mono" readOnly value={created} onFocus={(e) => e.target.select()} />
            </Field>
            <Button
              onClick={() =>
                navigator.clipboard?.writeText(created).then(
                  () => notify(t.copied),
                  () => {},
                )
              }
            >
              {t.copy}
            </Button>
          </div>
        ) : (
          <form id={formId} onSubmit={create}>
            <Checked label={t.keyName} error={errorFor(error, 'name')}>
              <input
                className="wide"
                value={form.name}
                required
                onChange={(e) => setForm({ ...form, name: e.target.value })}
              />
            </Checked>
            <Checked label={t.role} error={errorFor(error, 'role')}>
              <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                {(['read_only', 'member', 'admin'] as const).map((r) => (
                  <option key={r} value={r}>
                    {roleName(t, r)}
                  </option>
                ))}
              </select>
            </Checked>
            <Checked label={t.expiresOn} error={errorFor(error, 'expiresOn')}>
              <input
                type="date"
                value={form.expiresOn}
                onChange={(e) => setForm({ ...form, expiresOn: e.target.value })}
              />
            </Checked>
            {error && error.errors.length === 0 ? <ErrorBox error={error} /> : null}
          </form>
        )}
      </Dialog>
    </Section>
  );
}
