// Generated from src/store/migrations by `npm run db:types`. Do not edit.
import type { ColumnType, Generated } from 'kysely';

export type Json = ColumnType<unknown, string, string>;

export interface AllocationsTable {
  id: Generated<string>;
  org_id: string;
  invoice_id: string;
  payment_id: string | null;
  credit_note_id: string | null;
  amount: number;
  created_at: Generated<Date>;
}

export interface ContactsTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  key: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Json | null;
  language: string | null;
  role: Generated<string>;
  valid: Generated<boolean>;
  invalid_reason: string | null;
  invalid_since: string | null;
  source: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CustomersTable {
  id: Generated<string>;
  org_id: string;
  ref: string;
  name: string;
  country: string | null;
  language: string | null;
  legal_id: string | null;
  vat_id: string | null;
  address: Json | null;
  strategic: Generated<boolean>;
  excluded: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  policy_id: string | null;
  hold_until: string | null;
  hold_reason: string | null;
  last_reply_on: string | null;
}

export interface DunningStateTable {
  invoice_id: string;
  org_id: string;
  customer_id: string;
  last_level: number | null;
  last_sent_on: string | null;
  reminders_sent: Generated<number>;
  postponed_until: string | null;
  paused_until: string | null;
  pause_reason: string | null;
  stopped: Generated<boolean>;
  stop_reason: string | null;
  next_level: number | null;
  next_date: string | null;
  next_reason: string | null;
  next_status: string | null;
  send_now: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface EventsTable {
  id: Generated<number>;
  org_id: string;
  customer_id: string | null;
  invoice_id: string | null;
  at: Generated<Date>;
  day: string | null;
  kind: string;
  actor: Generated<string>;
  summary: string;
  data: Json | null;
}

export interface ImportsTable {
  id: Generated<string>;
  org_id: string;
  kind: string;
  file_name: string;
  format: string;
  sha256: string;
  accepted: Generated<number>;
  rejected: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  created_at: Generated<Date>;
}

export interface InvoicesTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  number: string;
  type: Generated<string>;
  issue_date: string;
  due_date: string;
  currency: string;
  total: number;
  outstanding: number;
  source_outstanding: number;
  po_number: string | null;
  applies_to: string | null;
  status: Generated<string>;
  status_reason: string | null;
  import_id: string | null;
  absent_since: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MembersTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  email: string;
  language: string | null;
  role: string;
  password_hash: string | null;
  created_at: Generated<Date>;
}

export interface MessageInvoicesTable {
  message_id: string;
  invoice_id: string;
  org_id: string;
  level: number;
  amount: number;
}

export interface MessagesTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  contact_id: string | null;
  idempotency_key: string;
  kind: Generated<string>;
  channel: Generated<string>;
  level: number | null;
  day: string;
  status: Generated<string>;
  language: string;
  to_address: string | null;
  to_name: string | null;
  subject: string;
  text_body: string;
  currency: string | null;
  amount: number | null;
  reason: string;
  provider_message_id: string | null;
  message_id_header: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  approved_by: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string;
  currency: string;
  timezone: string;
  language: string;
  sender_email: string | null;
  sender_name: string | null;
  legal_id: string | null;
  vat_id: string | null;
  address: Json | null;
  bank_iban: string | null;
  bank_bic: string | null;
  bank_name: string | null;
  reply_token: Generated<string>;
  is_demo: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface PaymentsTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  amount: number;
  currency: string;
  received_on: string;
  method: Generated<string>;
  source: Generated<string>;
  reference: string | null;
  payer_name: string | null;
  payer_iban: string | null;
  remittance: string | null;
  dedupe_key: string | null;
  created_at: Generated<Date>;
}

export interface PoliciesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  is_default: Generated<boolean>;
  levels: Json;
  interval_days: Generated<number>;
  min_gap_days: Generated<number>;
  max_reminders: Generated<number>;
  courtesy_days_before: number | null;
  mode: Generated<string>;
  no_answer_task_after: Generated<number>;
  updated_at: Generated<Date>;
}

export interface TasksTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  invoice_id: string | null;
  kind: string;
  cause_key: string;
  status: Generated<string>;
  title: string;
  detail: Json | null;
  assignee_id: string | null;
  created_on: string;
  created_at: Generated<Date>;
  resolved_at: Date | null;
  resolution: Json | null;
}

export interface TemplatesTable {
  org_id: string;
  level: string;
  language: string;
  subject: string;
  body: string;
  updated_at: Generated<Date>;
}

export interface Database {
  allocations: AllocationsTable;
  contacts: ContactsTable;
  customers: CustomersTable;
  dunning_state: DunningStateTable;
  events: EventsTable;
  imports: ImportsTable;
  invoices: InvoicesTable;
  members: MembersTable;
  message_invoices: MessageInvoicesTable;
  messages: MessagesTable;
  organisations: OrganisationsTable;
  payments: PaymentsTable;
  policies: PoliciesTable;
  tasks: TasksTable;
  templates: TemplatesTable;
}
