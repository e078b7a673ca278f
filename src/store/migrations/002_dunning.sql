-- The dunning agent: policies, editable templates, each invoice's reminder state and next step
-- (the queue), and the messages it decides to send (the outbox).

create table policies (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  name text not null,
  is_default boolean not null default false,
  -- [{ level, offsetDays, tone, channel, approval }], validated by src/dunning/policy.ts
  levels jsonb not null,
  interval_days integer not null default 7,
  min_gap_days integer not null default 4,
  max_reminders integer not null default 3,
  courtesy_days_before integer,
  mode text not null default 'automatic' check (mode in ('automatic', 'approval')),
  no_answer_task_after integer not null default 4,
  updated_at timestamptz not null default now(),
  unique (org_id, name)
);
create unique index policies_default on policies (org_id) where is_default;

alter table customers
  add column policy_id uuid references policies on delete set null,
  add column hold_until date,
  add column hold_reason text,
  -- the last day the customer wrote to us: reminders after it count as unanswered
  add column last_reply_on date;

create table templates (
  org_id uuid not null references organisations on delete cascade,
  level text not null,
  language text not null,
  subject text not null,
  body text not null,
  updated_at timestamptz not null default now(),
  primary key (org_id, level, language)
);

-- One row per invoice the agent has looked at: what was sent, what holds it, and its next step.
-- org_id and customer_id are copied from the invoice for scoping and grouping; the invoice's own
-- foreign keys hold them, so the run writing a million rows checks one key per row, not three.
create table dunning_state (
  invoice_id uuid primary key references invoices on delete cascade,
  org_id uuid not null,
  customer_id uuid not null,
  last_level integer,
  last_sent_on date,
  reminders_sent integer not null default 0,
  postponed_until date,
  paused_until date,
  pause_reason text,
  stopped boolean not null default false,
  stop_reason text,
  next_level integer,
  next_date date,
  next_reason text,
  next_status text,
  -- a person asked to send the next step now, whatever its date
  send_now boolean not null default false,
  updated_at timestamptz not null default now()
);
create index dunning_state_queue on dunning_state (org_id, next_date) where next_date is not null;
create index dunning_state_customer on dunning_state (org_id, customer_id);

create table messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid not null references customers on delete cascade,
  contact_id uuid references contacts on delete set null,
  -- e.g. 'dunning:<customer id>:<day>': the same decision written twice is one message
  idempotency_key text not null,
  kind text not null default 'dunning',
  channel text not null default 'email' check (channel in ('email', 'letter')),
  level integer,
  day date not null,
  status text not null default 'queued'
    check (status in ('awaiting_approval', 'queued', 'sending', 'sent', 'failed', 'cancelled')),
  language text not null,
  to_address text,
  to_name text,
  subject text not null,
  -- the HTML part is made from the text when the message leaves: one source, half the bytes stored
  text_body text not null,
  currency text,
  amount bigint,
  reason text not null,
  provider_message_id text,
  message_id_header text,
  attempts integer not null default 0,
  last_error text,
  approved_by text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (org_id, idempotency_key)
);
create index messages_outbox on messages (org_id, status, day);
create index messages_customer on messages (org_id, customer_id, day);

create table message_invoices (
  message_id uuid not null references messages on delete cascade,
  invoice_id uuid not null references invoices on delete cascade,
  -- the message's organisation, for scoping (the message's foreign key holds it)
  org_id uuid not null,
  level integer not null,
  amount bigint not null,
  primary key (message_id, invoice_id)
);
create index message_invoices_invoice on message_invoices (org_id, invoice_id);
