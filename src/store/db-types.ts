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

export interface ApiKeysTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface BankEntriesTable {
  id: Generated<string>;
  org_id: string;
  import_id: string | null;
  dedupe_key: string;
  account: string | null;
  amount: number;
  currency: string;
  direction: string;
  booking_date: string;
  value_date: string | null;
  bank_reference: string | null;
  end_to_end_id: string | null;
  creditor_reference: string | null;
  remittance: string | null;
  payer_name: string | null;
  payer_iban: string | null;
  reversal: Generated<boolean>;
  outcome: string;
  outcome_reason: string | null;
  payment_id: string | null;
  reversed_by: string | null;
  created_at: Generated<Date>;
}

export interface BouncesTable {
  id: Generated<number>;
  org_id: string;
  customer_id: string | null;
  contact_id: string | null;
  message_id: string | null;
  address: string;
  hard: boolean;
  status: string;
  reason: string;
  diagnostic: string | null;
  source: string;
  day: string;
  at: Generated<Date>;
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

export interface CustomerAccountsTable {
  org_id: string;
  iban: string;
  customer_id: string;
  source: string;
  payments: Generated<number>;
  last_seen: string;
  created_at: Generated<Date>;
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
  reply_token: Generated<string>;
  insolvent: Generated<boolean>;
  insolvent_since: string | null;
}

export interface DocumentsTable {
  id: Generated<string>;
  org_id: string;
  invoice_id: string;
  kind: Generated<string>;
  file_name: string;
  content_type: Generated<string>;
  path: string | null;
  created_at: Generated<Date>;
  content: Uint8Array | null;
  size: number | null;
  sha256: string | null;
  source: Generated<string>;
  updated_at: Generated<Date>;
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

export interface InboundMessagesTable {
  id: Generated<string>;
  org_id: string | null;
  message_id: string;
  via: string;
  raw: string;
  raw_encoding: Generated<string>;
  size: number;
  from_address: string | null;
  from_name: string | null;
  to_addresses: Generated<string[]>;
  subject: Generated<string>;
  in_reply_to: string | null;
  reference_ids: Generated<string[]>;
  sent_at: Date | null;
  received_at: Generated<Date>;
  received_on: string;
  analysis: Json | null;
  customer_id: string | null;
  contact_id: string | null;
  replied_message_id: string | null;
  matched_by: Generated<string>;
  invoice_ids: Generated<string[]>;
  status: string;
  decisions: Generated<Json>;
}

export interface InboundSettingsTable {
  org_id: string;
  promise_grace_days: Generated<number>;
  discussion_hold_days: Generated<number>;
  task_hold_days: Generated<number>;
  paid_claim_wait_days: Generated<number>;
  min_confidence_pct: Generated<number>;
  updated_at: Generated<Date>;
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

export interface JobsTable {
  org_id: string;
  kind: string;
  day: string;
  claimed_by: string | null;
  claimed_until: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  done_at: Date | null;
  result: Json | null;
  created_at: Generated<Date>;
}

export interface MemberMailTable {
  id: Generated<string>;
  org_id: string;
  member_id: string | null;
  notification_id: string | null;
  to_address: string;
  language: string;
  subject: string;
  text_body: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
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

export interface MessageEventsTable {
  id: Generated<number>;
  org_id: string;
  message_id: string;
  kind: string;
  at: Generated<Date>;
  attempt: number | null;
  detail: Json | null;
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
  message_id_header: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  approved_by: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  claimed_by: string | null;
  claimed_until: Date | null;
  next_attempt_at: Date | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string | null;
  kind: string;
  title: string;
  language: string;
  data: Json | null;
  day: string;
  read_at: Date | null;
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
  tracking: Generated<boolean>;
  tracking_secret: Generated<string>;
  run_hour: Generated<number>;
  webhook_cursor: Generated<number>;
}

export interface PaymentAdjustmentsTable {
  id: Generated<string>;
  org_id: string;
  payment_id: string;
  invoice_id: string;
  amount: number;
  kind: string;
  created_at: Generated<Date>;
}

export interface PaymentSuggestionsTable {
  id: Generated<string>;
  org_id: string;
  bank_entry_id: string;
  customer_id: string | null;
  proposal: Generated<Json>;
  confidence: number;
  reasons: Json;
  status: Generated<string>;
  payment_id: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_on: string;
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
  reversed_on: string | null;
  match_confidence: number | null;
  match_reasons: Json | null;
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

export interface PromisesTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  invoice_id: string;
  inbound_message_id: string | null;
  kind: Generated<string>;
  made_on: string;
  promised_date: string | null;
  grace_until: string;
  status: Generated<string>;
  resolved_on: string | null;
  follow_up_message_id: string | null;
  created_at: Generated<Date>;
}

export interface ReconciliationSettingsTable {
  org_id: string;
  threshold_pct: Generated<number>;
  tolerance_minor: Generated<number>;
  tolerance_bp: Generated<number>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  org_id: string;
  member_id: string;
  token_hash: string;
  csrf_secret: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
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

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  org_id: string;
  webhook_id: string;
  event_id: number;
  event: string;
  payload: Json;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

export interface WebhooksTable {
  id: Generated<string>;
  org_id: string;
  url: string;
  secret: string;
  events: string[];
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface Database {
  allocations: AllocationsTable;
  api_keys: ApiKeysTable;
  bank_entries: BankEntriesTable;
  bounces: BouncesTable;
  contacts: ContactsTable;
  customer_accounts: CustomerAccountsTable;
  customers: CustomersTable;
  documents: DocumentsTable;
  dunning_state: DunningStateTable;
  events: EventsTable;
  imports: ImportsTable;
  inbound_messages: InboundMessagesTable;
  inbound_settings: InboundSettingsTable;
  invoices: InvoicesTable;
  jobs: JobsTable;
  member_mail: MemberMailTable;
  members: MembersTable;
  message_events: MessageEventsTable;
  message_invoices: MessageInvoicesTable;
  messages: MessagesTable;
  notifications: NotificationsTable;
  organisations: OrganisationsTable;
  payment_adjustments: PaymentAdjustmentsTable;
  payment_suggestions: PaymentSuggestionsTable;
  payments: PaymentsTable;
  policies: PoliciesTable;
  promises: PromisesTable;
  reconciliation_settings: ReconciliationSettingsTable;
  sessions: SessionsTable;
  tasks: TasksTable;
  templates: TemplatesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhooks: WebhooksTable;
}
