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

export interface Database {
  allocations: AllocationsTable;
  contacts: ContactsTable;
  customers: CustomersTable;
  events: EventsTable;
  imports: ImportsTable;
  invoices: InvoicesTable;
  members: MembersTable;
  organisations: OrganisationsTable;
  payments: PaymentsTable;
  tasks: TasksTable;
}
