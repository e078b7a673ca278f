// Imports: files of invoices and bank statements in, with what was accepted and every refused row
// named by file, line and field; and the payments the matcher was not sure of, for a person to
// confirm (as proposed, or on the invoice they pick) or set aside, each in one click.
import './imports.css';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { type ApiError, api } from '../api.ts';
import { useResource } from '../components/data.ts';
import {
  Badge,
  Button,
  DataTable,
  Day,
  Empty,
  ErrorBox,
  Loading,
  Money,
  PageHeader,
  Section,
  useNotify,
} from '../components/ui.tsx';
import { defineText, useFormat, useText } from '../i18n.tsx';
import { useCan } from '../session.tsx';

const text = defineText(
  {
    title: 'Imports',
    invoices: 'Invoices and credit notes',
    invoicesHint: 'CSV, JSON, UBL, CII or Factur-X PDF. Importing the same file again changes nothing.',
    invoiceFiles: 'Invoice files',
    importInvoices: 'Import invoices',
    statements: 'Bank statements',
    statementsHint:
      'camt.053 or camt.054, OFX, MT940 or CSV. Payments are matched to invoices and their reminders stop.',
    statementFiles: 'Bank statement files',
    importStatements: 'Import statements',
    documents: 'Invoice PDFs',
    documentsHint:
      'Each PDF goes with the reminders about its invoice: named after the invoice number (F-2026-0412.pdf), or a Factur-X file.',
    documentFiles: 'PDF files',
    importDocuments: 'Attach PDFs',
    documentResult: 'Invoice PDFs attached',
    attachedTo: (n: string) => `attached to ${n}`,
    documentStatus: 'Result',
    chooseFirst: 'Choose a file first.',
    invoiceResult: 'Invoices imported',
    statementResult: 'Statements imported',
    file: 'File',
    line: 'Line',
    field: 'Field',
    reason: 'Reason',
    refusedRows: 'Refused rows',
    refusedCount: (n: number) => (n === 1 ? '1 row refused' : `${n} rows refused`),
    noneRefused: 'Every row was accepted.',
    accepted: 'Accepted',
    created: 'Created',
    updated: 'Updated',
    unchanged: 'Unchanged',
    rejected: 'Refused',
    customersCreated: 'New customers',
    fileRefused: 'Refused whole: a row was refused and the import was strict.',
    entries: 'Entries',
    credits: 'Credits',
    applied: 'Applied',
    toReview: 'To review',
    duplicates: 'Already imported',
    reversals: 'Taken back',
    paid: 'Paid, reminders stopped',
    withdrawn: (n: number) => `${n} unsent reminder(s) withdrawn`,
    invoicesDone: (n: number) => (n === 1 ? '1 file imported.' : `${n} files imported.`),
    suggestions: 'Payments to review',
    suggestionsHint:
      'The agent was not sure enough to apply these by itself. Confirm applies the payment and stops the reminders; set aside when it is not a payment of your invoices.',
    noSuggestions: 'No payment waits for review.',
    from: 'From',
    unknownPayer: 'Unknown payer',
    remittance: 'Remittance',
    proposal: 'Proposed',
    nothingProposed: 'Nothing proposed: name the invoice it pays.',
    applyTo: 'Invoice it pays',
    orApplyTo: 'Or another invoice',
    asProposed: 'As proposed',
    pickInvoice: 'Invoice number',
    confidence: (p: number) => `${p} % sure`,
    confirm: 'Confirm',
    confirmLabel: (amount: string, who: string) => `Confirm payment of ${amount} from ${who}`,
    reject: 'Set aside',
    rejectLabel: (amount: string, who: string) => `Set aside payment of ${amount} from ${who}`,
    confirmed: (message: string) => `Confirmed: ${message}`,
    rejected2: 'Set aside.',
    due: 'due',
    readOnly: 'You can read this page; a member can import files and review payments.',
  },
  {
    title: 'Imports',
    invoices: 'Factures et avoirs',
    invoicesHint: 'CSV, JSON, UBL, CII ou PDF Factur-X. Importer à nouveau le même fichier ne change rien.',
    invoiceFiles: 'Fichiers de factures',
    importInvoices: 'Importer les factures',
    statements: 'Relevés bancaires',
    statementsHint:
      'camt.053 ou camt.054, OFX, MT940 ou CSV. Les paiements sont rapprochés des factures et leurs relances s’arrêtent.',
    statementFiles: 'Fichiers de relevés bancaires',
    importStatements: 'Importer les relevés',
    documents: 'Factures en PDF',
    documentsHint:
      'Chaque PDF accompagne les relances de sa facture : nommez-le d’après le numéro (F-2026-0412.pdf), ou donnez un fichier Factur-X.',
    documentFiles: 'Fichiers PDF',
    importDocuments: 'Joindre les PDF',
    documentResult: 'PDF joints aux factures',
    attachedTo: (n: string) => `joint à ${n}`,
    documentStatus: 'Résultat',
    chooseFirst: 'Choisissez d’abord un fichier.',
    invoiceResult: 'Factures importées',
    statementResult: 'Relevés importés',
    file: 'Fichier',
    line: 'Ligne',
    field: 'Champ',
    reason: 'Motif',
    refusedRows: 'Lignes refusées',
    refusedCount: (n: number) => (n === 1 ? '1 ligne refusée' : `${n} lignes refusées`),
    noneRefused: 'Toutes les lignes ont été acceptées.',
    accepted: 'Acceptées',
    created: 'Créées',
    updated: 'Mises à jour',
    unchanged: 'Inchangées',
    rejected: 'Refusées',
    customersCreated: 'Nouveaux clients',
    fileRefused: 'Refusé en entier : une ligne a été refusée et l’import était strict.',
    entries: 'Opérations',
    credits: 'Crédits',
    applied: 'Affectés',
    toReview: 'À vérifier',
    duplicates: 'Déjà importés',
    reversals: 'Rejetés par la banque',
    paid: 'Payées, relances arrêtées',
    withdrawn: (n: number) => `${n} relance(s) non envoyée(s) retirée(s)`,
    invoicesDone: (n: number) => (n === 1 ? '1 fichier importé.' : `${n} fichiers importés.`),
    suggestions: 'Paiements à vérifier',
    suggestionsHint:
      'L’agent n’était pas assez sûr pour les affecter seul. Confirmer affecte le paiement et arrête les relances ; écartez ce qui n’est pas un paiement de vos factures.',
    noSuggestions: 'Aucun paiement n’attend de vérification.',
    from: 'De',
    unknownPayer: 'Payeur inconnu',
    remittance: 'Libellé',
    proposal: 'Proposition',
    nothingProposed: 'Rien de proposé : indiquez la facture qu’il règle.',
    applyTo: 'Facture réglée',
    orApplyTo: 'Ou une autre facture',
    asProposed: 'Comme proposé',
    pickInvoice: 'Numéro de facture',
    confidence: (p: number) => `sûr à ${p} %`,
    confirm: 'Confirmer',
    confirmLabel: (amount: string, who: string) => `Confirmer le paiement de ${amount} de ${who}`,
    reject: 'Écarter',
    rejectLabel: (amount: string, who: string) => `Écarter le paiement de ${amount} de ${who}`,
    confirmed: (message: string) => `Confirmé : ${message}`,
    rejected2: 'Écarté.',
    due: 'reste dû',
    readOnly:
      'Vous pouvez consulter cette page ; un membre peut importer des fichiers et vérifier les paiements.',
  },
);

interface RefusedRow {
  file: string;
  at?: string;
  field?: string;
  message: string;
}
interface InvoiceFileResult {
  file: string;
  format: string;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  customersCreated: number;
  refused: boolean;
}
interface StatementFileResult {
  file: string;
  format: string;
  entries: number;
  credits: number;
  applied: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
  reversals: number;
  refused: number;
  invoicesPaid: string[];
  messagesWithdrawn: number;
}
interface Suggestion {
  id: string;
  receivedOn: string;
  amount: string;
  currency: string;
  payer: { name: string | null; iban: string | null };
  remittance: string | null;
  customer: { ref: string; name: string } | null;
  proposal: { invoice: string; amount: string }[];
  confidence: number;
  reasons: string[];
  candidates: {
    number: string;
    customer: { ref: string; name: string };
    outstanding: string;
    currency: string;
  }[];
}
type Upload<F> = { files: F[]; problems: RefusedRow[] };
interface DocumentResult {
  file: string;
  invoice: string | null;
  status: 'attached' | 'replaced' | 'unchanged' | 'refused';
  problem: string | null;
}

export default function Imports() {
  const t = useText(text);
  const notify = useNotify();
  const member = useCan('member');
  const suggestions = useResource<Suggestion[]>('/suggestions');
  const [invoices, setInvoices] = useState<Upload<InvoiceFileResult>>();
  const [statements, setStatements] = useState<Upload<StatementFileResult>>();
  const [documents, setDocuments] = useState<DocumentResult[]>();

  return (
    <div className="imports">
      <PageHeader title={t.title} />
      {member ? (
        <div className="upload-grid">
          <UploadCard
            title={t.invoices}
            hint={t.invoicesHint}
            label={t.invoiceFiles}
            button={t.importInvoices}
            accept=".csv,.json,.xml,.pdf,.txt"
            path="/invoices/import"
            onDone={(result: Upload<InvoiceFileResult>) => {
              setInvoices(result);
              notify(t.invoicesDone(result.files.length));
            }}
          />
          <UploadCard
            title={t.statements}
            hint={t.statementsHint}
            label={t.statementFiles}
            button={t.importStatements}
            accept=".xml,.ofx,.qfx,.sta,.mt940,.940,.txt,.csv"
            path="/payments/import"
            onDone={(result: Upload<StatementFileResult>) => {
              setStatements(result);
              notify(t.invoicesDone(result.files.length));
              suggestions.reload();
            }}
          />
          <UploadCard
            title={t.documents}
            hint={t.documentsHint}
            label={t.documentFiles}
            button={t.importDocuments}
            accept=".pdf"
            path="/documents/import"
            onDone={(result: { files: DocumentResult[] }) => {
              setDocuments(result.files);
              notify(t.invoicesDone(result.files.length));
            }}
          />
        </div>
      ) : (
        <p className="muted">{t.readOnly}</p>
      )}

      {invoices ? (
        <Section title={t.invoiceResult}>
          {invoices.files.map((f) => (
            <FileSummary key={f.file} file={f.file} format={f.format}>
              <Stat label={t.accepted} value={f.accepted} />
              <Stat label={t.created} value={f.created} />
              <Stat label={t.updated} value={f.updated} />
              <Stat label={t.unchanged} value={f.unchanged} />
              <Stat label={t.rejected} value={f.rejected} bad={f.rejected > 0} />
              <Stat label={t.customersCreated} value={f.customersCreated} />
              {f.refused ? <p className="error">{t.fileRefused}</p> : null}
            </FileSummary>
          ))}
          <RefusedTable rows={invoices.problems} />
        </Section>
      ) : null}

      {statements ? (
        <Section title={t.statementResult}>
          {statements.files.map((f) => (
            <FileSummary key={f.file} file={f.file} format={f.format}>
              <Stat label={t.entries} value={f.entries} />
              <Stat label={t.credits} value={f.credits} />
              <Stat label={t.applied} value={f.applied} />
              <Stat label={t.toReview} value={f.suggested + f.unmatched} />
              <Stat label={t.duplicates} value={f.duplicates} />
              {f.reversals ? <Stat label={t.reversals} value={f.reversals} /> : null}
              <Stat label={t.rejected} value={f.refused} bad={f.refused > 0} />
              {f.invoicesPaid.length ? (
                <p className="paid">
                  <span className="muted">{t.paid}: </span>
                  {f.invoicesPaid.join(', ')}
                  {f.messagesWithdrawn ? (
                    <span className="muted"> · {t.withdrawn(f.messagesWithdrawn)}</span>
                  ) : null}
                </p>
              ) : null}
            </FileSummary>
          ))}
          <RefusedTable rows={statements.problems} />
        </Section>
      ) : null}

      {documents ? (
        <Section title={t.documentResult}>
          <DataTable
            caption={t.documentResult}
            rows={documents}
            rowKey={(d) => d.file}
            columns={[
              { key: 'file', label: t.file, render: (d) => d.file },
              {
                key: 'status',
                label: t.documentStatus,
                render: (d) =>
                  d.status === 'refused' ? (
                    <span className="error-text">{d.problem}</span>
                  ) : (
                    t.attachedTo(d.invoice ?? '')
                  ),
              },
            ]}
          />
        </Section>
      ) : null}

      <Section title={t.suggestions}>
        <p className="muted small">{t.suggestionsHint}</p>
        {suggestions.error ? <ErrorBox error={suggestions.error} onRetry={suggestions.reload} /> : null}
        {!suggestions.data ? (
          suggestions.error ? null : (
            <Loading />
          )
        ) : suggestions.data.length === 0 ? (
          <Empty>{t.noSuggestions}</Empty>
        ) : (
          <ul className="suggestions">
            {suggestions.data.map((s) => (
              <SuggestionCard key={s.id} s={s} canAct={member} onDone={suggestions.reload} />
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

function UploadCard<R>({
  title,
  hint,
  label,
  button,
  accept,
  path,
  onDone,
}: {
  title: string;
  hint: string;
  label: string;
  button: string;
  accept: string;
  path: string;
  onDone: (result: R) => void;
}) {
  const t = useText(text);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [error, setError] = useState<ApiError | Error>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const files = Array.from(input.current?.files ?? []);
    if (files.length === 0) {
      setError(new Error(t.chooseFirst));
      return;
    }
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api.upload<R>(path, form));
      if (input.current) input.current.value = '';
    } catch (e) {
      // A file refused whole (not a format we read, broken XML) comes back naming the file.
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={title}>
      <form onSubmit={submit} className="upload">
        <p className="muted small">{hint}</p>
        <div className="drop">
          <label htmlFor={id} className="field-label">
            {label}
          </label>
          <input id={id} ref={input} type="file" multiple accept={accept} />
        </div>
        {error ? <ErrorBox error={error} /> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {button}
        </Button>
      </form>
    </Section>
  );
}

function FileSummary({ file, format, children }: { file: string; format: string; children: ReactNode }) {
  return (
    <div className="file-summary">
      <h3>
        <span className="file-name">{file}</span> <Badge>{format}</Badge>
      </h3>
      <div className="file-stats">{children}</div>
    </div>
  );
}

function Stat({ label, value, bad }: { label: string; value: number; bad?: boolean }) {
  const f = useFormat();
  return (
    <div className={bad ? 'mini-stat bad' : 'mini-stat'}>
      <span className="mini-value">{f.number(value)}</span>
      <span className="mini-label">{label}</span>
    </div>
  );
}

function RefusedTable({ rows }: { rows: RefusedRow[] }) {
  const t = useText(text);
  if (rows.length === 0) return <p className="muted">{t.noneRefused}</p>;
  return (
    <>
      <h3 className="refused-title">
        {t.refusedRows} <Badge tone="bad">{t.refusedCount(rows.length)}</Badge>
      </h3>
      <DataTable
        caption={t.refusedRows}
        rows={rows.map((r, i) => ({ ...r, key: String(i) }))}
        rowKey={(r) => r.key}
        columns={[
          { key: 'file', label: t.file, render: (r) => <span className="break">{r.file}</span> },
          { key: 'line', label: t.line, render: (r) => r.at ?? '—' },
          { key: 'field', label: t.field, render: (r) => (r.field ? <code>{r.field}</code> : '—') },
          { key: 'reason', label: t.reason, render: (r) => <span className="reason">{r.message}</span> },
        ]}
      />
    </>
  );
}

function SuggestionCard({ s, canAct, onDone }: { s: Suggestion; canAct: boolean; onDone: () => void }) {
  const t = useText(text);
  const f = useFormat();
  const notify = useNotify();
  const pickId = useId();
  const [pick, setPick] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const who = s.payer.name ?? s.customer?.name ?? t.unknownPayer;
  const amount = f.money(s.amount, s.currency);
  const proposed = s.proposal.length > 0;
  // The invoices already proposed are the default; the picker offers the others.
  const others = s.candidates.filter((c) => !s.proposal.some((p) => p.invoice === c.number));

  const act = async (work: () => Promise<{ message: string }>, done: (m: string) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await work();
      notify(done(result.message));
      onDone();
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  const confirm = () =>
    act(
      () =>
        api.post<{ message: string }>(
          `/suggestions/${s.id}/confirm`,
          pick.trim() ? { allocations: [{ invoice: pick.trim() }] } : {},
        ),
      t.confirmed,
    );
  const reject = () =>
    act(
      () => api.post<{ message: string }>(`/suggestions/${s.id}/reject`, {}),
      () => t.rejected2,
    );

  return (
    <li className="suggestion">
      <div className="suggestion-head">
        <span className="suggestion-amount">
          <Money amount={s.amount} currency={s.currency} />
        </span>
        <span className="muted">
          <Day value={s.receivedOn} />
        </span>
        <Badge tone={s.confidence >= 0.5 ? 'warn' : 'neutral'}>
          {t.confidence(Math.round(s.confidence * 100))}
        </Badge>
      </div>
      <dl className="facts">
        <dt>{t.from}</dt>
        <dd>
          {who}
          {s.payer.iban ? <span className="muted small"> · {s.payer.iban}</span> : null}
        </dd>
        {s.remittance ? (
          <>
            <dt>{t.remittance}</dt>
            <dd>{s.remittance}</dd>
          </>
        ) : null}
        <dt>{t.proposal}</dt>
        <dd>
          {proposed ? (
            s.proposal.map((p) => (
              <span key={p.invoice} className="proposed">
                {p.invoice} · <Money amount={p.amount} currency={s.currency} />
              </span>
            ))
          ) : (
            <span className="muted">{t.nothingProposed}</span>
          )}
        </dd>
      </dl>
      <ul className="reasons">
        {s.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {error ? <ErrorBox error={error} /> : null}
      {canAct ? (
        <div className="suggestion-actions">
          <span className="pick">
            <label htmlFor={pickId}>{proposed ? t.orApplyTo : t.applyTo}</label>
            {/* Typed or picked: the invoices worth offering are listed, any other number may be typed. */}
            <input
              id={pickId}
              list={`${pickId}-list`}
              value={pick}
              placeholder={proposed ? t.asProposed : t.pickInvoice}
              autoComplete="off"
              onChange={(e) => setPick(e.target.value)}
            />
            <datalist id={`${pickId}-list`}>
              {others.map((c) => (
                <option key={c.number} value={c.number}>
                  {`${c.customer.name} · ${t.due} ${f.money(c.outstanding, c.currency)}`}
                </option>
              ))}
            </datalist>
          </span>
          <Button
            variant="primary"
            busy={busy}
            disabled={!proposed && !pick.trim()}
            aria-label={t.confirmLabel(amount, who)}
            onClick={confirm}
          >
            {t.confirm}
          </Button>
          <Button busy={busy} aria-label={t.rejectLabel(amount, who)} onClick={reject}>
            {t.reject}
          </Button>
        </div>
      ) : null}
    </li>
  );
}
