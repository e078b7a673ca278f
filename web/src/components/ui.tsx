// The pieces every page is made of: headings, tables that become cards on a phone, amounts and
// days in the member's language, the priority colours, dialogs and the status line.
import {
  type ButtonHTMLAttributes,
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from 'react';
import type { ApiError } from '../api.ts';
import { defineText, useFormat, useText } from '../i18n.tsx';

const text = defineText(
  {
    loading: 'Loading…',
    retry: 'Try again',
    more: 'Show more',
    close: 'Close',
    cancel: 'Cancel',
    nothing: 'Nothing to show.',
    green: 'Low',
    orange: 'Medium',
    red: 'High',
    sortedAsc: 'sorted ascending',
    sortedDesc: 'sorted descending',
    field: 'Field',
  },
  {
    loading: 'Chargement…',
    retry: 'Réessayer',
    more: 'Afficher plus',
    close: 'Fermer',
    cancel: 'Annuler',
    nothing: 'Rien à afficher.',
    green: 'Faible',
    orange: 'Moyenne',
    red: 'Haute',
    sortedAsc: 'tri croissant',
    sortedDesc: 'tri décroissant',
    field: 'Champ',
  },
);

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card" aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading() {
  const t = useText(text);
  return (
    <p className="muted" role="status">
      {t.loading}
    </p>
  );
}

/** An API error as the server phrased it, with each field it names. */
export function ErrorBox({ error, onRetry }: { error: ApiError | Error; onRetry?: () => void }) {
  const t = useText(text);
  const fields = 'errors' in error ? error.errors : [];
  return (
    <div className="error" role="alert">
      <p>{error.message}</p>
      {fields.length > 0 ? (
        <ul>
          {fields.map((f) => (
            <li key={`${f.field}:${f.message}`}>
              {f.field ? <strong>{f.field}: </strong> : null}
              {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <Button variant="quiet" onClick={onRetry}>
          {t.retry}
        </Button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useText(text);
  return <p className="empty">{children ?? t.nothing}</p>;
}

export function Money({ amount, currency }: { amount: string | number; currency: string }) {
  const f = useFormat();
  return <span className="num">{f.money(amount, currency)}</span>;
}

export function Day({ value }: { value: string | null | undefined }) {
  const f = useFormat();
  return <time dateTime={value ?? undefined}>{f.date(value)}</time>;
}

export type Priority = 'green' | 'orange' | 'red';

/** The seed's colours, with a word beside the dot so that colour is never the only sign. */
export function PriorityBadge({ value }: { value: Priority }) {
  const t = useText(text);
  return (
    <span className={`priority priority-${value}`}>
      <span className="dot" aria-hidden="true" />
      {t[value]}
    </span>
  );
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Button({
  variant = 'default',
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'default' | 'primary' | 'danger' | 'quiet';
  busy?: boolean;
}) {
  return (
    <button
      type="button"
      className={`btn btn-${variant}`}
      disabled={busy || rest.disabled}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
    </button>
  );
}

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  /** Right-aligned (amounts, counts). */
  numeric?: boolean;
  sortable?: boolean;
  /** Hidden on a phone, where the row is a card. */
  secondary?: boolean;
}

export interface Sort {
  key: string;
  dir: 'asc' | 'desc';
}

/**
 * A table with a caption (its accessible name), sortable headings, and optional row selection. On a
 * narrow screen each row is laid out as a card, every cell with its column's label.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  selected,
  onSelect,
  selectLabel,
  empty,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: Sort | undefined;
  onSort?: (sort: Sort) => void;
  selected?: Set<string>;
  onSelect?: (keys: Set<string>) => void;
  selectLabel?: (row: T) => string;
  empty?: ReactNode;
}) {
  const t = useText(text);
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const selectable = selected !== undefined && onSelect !== undefined;
  const allSelected = selectable && rows.every((r) => selected.has(rowKey(r)));
  const toggle = (key: string) => {
    if (!selectable) return;
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    onSelect(next);
  };
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selectable ? (
              <th scope="col" className="select">
                <input
                  type="checkbox"
                  aria-label={caption}
                  checked={allSelected}
                  onChange={() => onSelect(allSelected ? new Set() : new Set(rows.map(rowKey)))}
                />
              </th>
            ) : null}
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={`${c.numeric ? 'num' : ''} ${c.secondary ? 'secondary' : ''}`}
                  aria-sort={ariaSort}
                >
                  {c.sortable && onSort ? (
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        onSort({ key: c.key, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' })
                      }
                    >
                      {c.label}
                      <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                      {active ? (
                        <span className="visually-hidden">
                          , {sort.dir === 'asc' ? t.sortedAsc : t.sortedDesc}
                        </span>
                      ) : null}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr key={key} className={selectable && selected.has(key) ? 'selected' : undefined}>
                {selectable ? (
                  <td className="select">
                    <input
                      type="checkbox"
                      aria-label={selectLabel ? selectLabel(row) : key}
                      checked={selected.has(key)}
                      onChange={() => toggle(key)}
                    />
                  </td>
                ) : null}
                {columns.map((c) => (
                  <td
                    key={c.key}
                    data-label={c.label}
                    className={`${c.numeric ? 'num' : ''} ${c.secondary ? 'secondary' : ''}`}
                  >
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function MoreButton({
  more,
  loading,
  onMore,
}: {
  more: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  const t = useText(text);
  if (!more) return null;
  return (
    <div className="more">
      <Button onClick={onMore} busy={loading}>
        {t.more}
      </Button>
    </div>
  );
}

/** A modal dialog (the browser's <dialog>): focus moves in, Escape closes it. */
export function Dialog({
  title,
  open,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const t = useText(text);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={wide ? 'dialog wide' : 'dialog'} aria-label={title} onClose={onClose}>
      <div className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="btn btn-quiet" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </div>
      <div className="dialog-body">{open ? children : null}</div>
      {footer ? <div className="dialog-foot">{footer}</div> : null}
    </dialog>
  );
}

/** A labelled control: the label names it for screen readers and for the tests. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, which the label wraps
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

type Notice = { id: number; tone: 'good' | 'bad'; text: string };
const NoticeContext = createContext<(text: string, tone?: 'good' | 'bad') => void>(() => {});

/** The status line where actions report what they did (announced by screen readers). */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(0);
  const notify = useCallback((message: string, tone: 'good' | 'bad' = 'good') => {
    const id = ++next.current;
    setNotices((n) => [...n.slice(-2), { id, tone, text: message }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 6000);
  }, []);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <p key={n.id} className={`notice notice-${n.tone}`}>
            {n.text}
          </p>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotify() {
  return useContext(NoticeContext);
}
