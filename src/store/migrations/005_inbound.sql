-- Customers' replies: every inbound message kept raw once, what it was understood to say, whom it
-- was matched to and what the agent decided; promises to pay (and claims of payment) the planner
-- follows up; insolvency; and how long the agent waits in each case.

-- One row per inbound message. The organisation is known once the message is matched (a listener
-- shared by several organisations receives mail before it knows whose it is). The same Message-ID is
-- one message per organisation; an unmatched one is kept once whatever the organisation.
create table inbound_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid references organisations on delete cascade,
  -- the Message-ID header with its angle brackets, or <sha256:…> of the bytes when there is none
  message_id text not null,
  via text not null check (via in ('file', 'api', 'smtp', 'imap')),
  -- the message exactly as received: as text when its bytes are UTF-8 (nearly always: mail is 7-bit
  -- MIME), else base64, so that 8-bit bodies in other charsets survive byte for byte
  raw text not null,
  raw_encoding text not null default 'utf8' check (raw_encoding in ('utf8', 'base64')),
  size integer not null,
  from_address text,
  from_name text,
  -- To and Cc, then the SMTP envelope's recipients when it came through the listener
  to_addresses text[] not null default '{}',
  subject text not null default '',
  in_reply_to text,
  reference_ids text[] not null default '{}',
  -- the Date header
  sent_at timestamptz,
  received_at timestamptz not null default now(),
  -- the logical day it was read (the `--as-of` of the command line)
  received_on date not null,
  -- CONTRACT.md §3
  analysis jsonb,
  customer_id uuid references customers on delete set null,
  contact_id uuid references contacts on delete set null,
  -- the message of ours it answers (In-Reply-To / References)
  replied_message_id uuid references messages on delete set null,
  matched_by text not null default 'none'
    check (matched_by in ('token', 'in_reply_to', 'sender', 'invoice_number', 'none')),
  invoice_ids uuid[] not null default '{}',
  status text not null check (status in ('acted', 'noted', 'unmatched', 'bounce')),
  -- [{ kind, reason, … }]: what the agent decided, each with its reason
  decisions jsonb not null default '[]'
);
create unique index inbound_messages_org_message on inbound_messages (org_id, message_id) where org_id is not null;
create unique index inbound_messages_unmatched on inbound_messages (message_id) where org_id is null;
create index inbound_messages_org_day on inbound_messages (org_id, received_on);
create index inbound_messages_customer on inbound_messages (org_id, customer_id);

-- Threading a reply to the message of ours it answers; the listener shared by several organisations
-- looks across them, so the lookup is by header alone.
create index messages_message_id_header on messages (message_id_header) where message_id_header is not null;
-- The sender among known contacts, across organisations for the shared listener.
create index contacts_email_any on contacts (lower(email)) where email is not null;

-- A promise to pay from a reply, or a claim that the invoice was paid. The invoice is paused until
-- grace_until; past it and still unpaid, a promise gets one polite follow-up ('followed_up') and a
-- claim a task for a person ('broken'). Paid in time: 'kept'. A newer reply replaces it: 'superseded'.
create table promises (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid not null references customers on delete cascade,
  invoice_id uuid not null references invoices on delete cascade,
  inbound_message_id uuid references inbound_messages on delete set null,
  kind text not null default 'promise' check (kind in ('promise', 'paid_claim')),
  made_on date not null,
  -- null when the customer gave no date ("we will pay shortly")
  promised_date date,
  grace_until date not null,
  status text not null default 'open' check (status in ('open', 'kept', 'broken', 'followed_up', 'superseded')),
  resolved_on date,
  follow_up_message_id uuid references messages on delete set null,
  created_at timestamptz not null default now()
);
create unique index promises_open on promises (org_id, invoice_id) where status = 'open';
create index promises_customer on promises (org_id, customer_id) where status = 'open';

-- Insolvency proceedings (bankruptcy, receivership, safeguard): no reminder at all; the claim goes
-- to the administrator, which a person files.
alter table customers
  add column insolvent boolean not null default false,
  add column insolvent_since date;

-- How long the agent waits, per organisation; absent, the defaults in src/inbound/act.ts.
create table inbound_settings (
  org_id uuid primary key references organisations on delete cascade,
  -- business days after the promised date before the promise counts as broken
  promise_grace_days integer not null default 3 check (promise_grace_days between 0 and 30),
  -- business days a customer who just replied is not reminded (an open discussion)
  discussion_hold_days integer not null default 3 check (discussion_hold_days between 0 and 30),
  -- business days the invoices concerned by a task (callback, payment plan, refusal…) wait for the team
  task_hold_days integer not null default 10 check (task_hold_days between 0 and 60),
  -- business days to see a payment the customer says was made before a person is asked
  paid_claim_wait_days integer not null default 5 check (paid_claim_wait_days between 0 and 30),
  -- under this confidence (percent) a reply is not acted on: a person reads it
  min_confidence_pct integer not null default 50 check (min_confidence_pct between 0 and 100),
  updated_at timestamptz not null default now()
);
