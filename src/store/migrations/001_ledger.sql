-- The ledger: organisations and their people, customers and contacts, invoices and credit notes,
-- payments and what they settle. Every tenant row carries org_id; amounts are integer minor units
-- beside their ISO 4217 currency; calendar days are plain `date`.

create table organisations (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  country char(2) not null,
  currency char(3) not null,
  timezone text not null,
  language text not null,
  sender_email text,
  sender_name text,
  legal_id text,
  vat_id text,
  address jsonb,
  bank_iban text,
  bank_bic text,
  bank_name text,
  reply_token text not null unique default substr(md5(random()::text || clock_timestamp()::text), 1, 12),
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  name text not null,
  email text not null,
  language text,
  role text not null check (role in ('owner', 'admin', 'member', 'read_only')),
  password_hash text,
  created_at timestamptz not null default now(),
  unique (org_id, email)
);

create table imports (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  kind text not null check (kind in ('invoices', 'payments')),
  file_name text not null,
  format text not null,
  sha256 text not null,
  accepted integer not null default 0,
  rejected integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  created_at timestamptz not null default now()
);
create index imports_org on imports (org_id, created_at);

create table customers (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  ref text not null,
  name text not null,
  country char(2),
  language text,
  legal_id text,
  vat_id text,
  address jsonb,
  strategic boolean not null default false,
  excluded boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, ref)
);

create table contacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid not null references customers on delete cascade,
  -- identity of the contact within its customer: its email in lower case, else its name or phone
  key text not null,
  name text,
  email text,
  phone text,
  address jsonb,
  language text,
  role text not null default 'billing' check (role in ('billing', 'primary', 'other')),
  valid boolean not null default true,
  invalid_reason text,
  invalid_since date,
  source text not null default 'import',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, customer_id, key)
);
create index contacts_customer on contacts (org_id, customer_id);
create index contacts_email on contacts (org_id, lower(email));

create table invoices (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid not null references customers on delete cascade,
  number text not null,
  type text not null default 'invoice' check (type in ('invoice', 'credit_note')),
  issue_date date not null,
  due_date date not null,
  currency char(3) not null,
  total bigint not null check (total >= 0),
  outstanding bigint not null,
  -- the outstanding amount last reported by the source; a re-import overrides `outstanding`
  -- only when the source's figure changed, so payments recorded here are not undone by a stale export
  source_outstanding bigint not null,
  po_number text,
  applies_to text,
  status text not null default 'open'
    check (status in ('open', 'partially_paid', 'paid', 'disputed', 'cancelled', 'written_off')),
  status_reason text,
  import_id uuid references imports on delete set null,
  absent_since date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, number)
);
create index invoices_customer on invoices (org_id, customer_id);

create table payments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid references customers on delete set null,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  received_on date not null,
  method text not null default 'transfer',
  source text not null default 'manual',
  reference text,
  payer_name text,
  payer_iban text,
  remittance text,
  -- the bank's entry reference, or a hash of the entry: one bank entry is one payment
  dedupe_key text,
  created_at timestamptz not null default now()
);
create unique index payments_dedupe on payments (org_id, dedupe_key) where dedupe_key is not null;
create index payments_customer on payments (org_id, customer_id);

-- What settles an invoice: part of a payment, or part of a credit note.
create table allocations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  invoice_id uuid not null references invoices on delete cascade,
  payment_id uuid references payments on delete cascade,
  credit_note_id uuid references invoices on delete cascade,
  amount bigint not null check (amount > 0),
  created_at timestamptz not null default now(),
  check ((payment_id is null) <> (credit_note_id is null))
);
create index allocations_invoice on allocations (org_id, invoice_id);
create index allocations_payment on allocations (org_id, payment_id);
create index allocations_credit_note on allocations (org_id, credit_note_id);

-- Everything that happened, for people to read: imports, messages, replies, payments, decisions.
create table events (
  id bigint generated always as identity primary key,
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid references customers on delete cascade,
  invoice_id uuid references invoices on delete cascade,
  at timestamptz not null default now(),
  day date,
  kind text not null,
  actor text not null default 'agent',
  summary text not null,
  data jsonb
);
create index events_customer on events (org_id, customer_id, at);
create index events_org on events (org_id, at);

-- Work for people: what the agent cannot or must not decide alone.
create table tasks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid references customers on delete cascade,
  invoice_id uuid references invoices on delete cascade,
  kind text not null,
  -- one open task per cause: e.g. 'missing_contact:<customer id>'
  cause_key text not null,
  status text not null default 'open' check (status in ('open', 'done', 'dismissed')),
  title text not null,
  detail jsonb,
  assignee_id uuid references members on delete set null,
  created_on date not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolution jsonb
);
create unique index tasks_open_cause on tasks (org_id, cause_key) where status = 'open';
create index tasks_org_status on tasks (org_id, status);
