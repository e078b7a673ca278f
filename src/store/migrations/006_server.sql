-- The server: members' sessions, API keys for integrations, each organisation's daily-run hour, the
-- leases by which several processes share the scheduled work, outgoing webhooks, member mail, and
-- the indexes that let the API page through a million invoices without OFFSET.

-- A signed-in member. Only the SHA-256 of the cookie's token is kept: a leaked table opens no
-- session. The CSRF token goes with the session (synchronizer token) and is checked on every
-- state-changing request made with the cookie.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  member_id uuid not null references members on delete cascade,
  token_hash text not null unique,
  csrf_secret text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_member on sessions (org_id, member_id);

-- Keys for integrations: shown once at creation, then only their prefix (to recognise them) and
-- the SHA-256 of the whole key (the secret part is 256 random bits, so a slow hash adds nothing).
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  name text not null,
  prefix text not null unique,
  key_hash text not null,
  role text not null check (role in ('admin', 'member', 'read_only')),
  created_by uuid references members on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_org on api_keys (org_id, created_at);

-- The organisation's daily run starts at this local hour, on its country's business days.
alter table organisations
  add column run_hour integer not null default 8 check (run_hour between 0 and 23),
  -- events up to this id were turned into webhook deliveries
  add column webhook_cursor bigint not null default 0;

-- Scheduled work and who holds it. One row per (organisation, kind, day): the day's run is claimed by
-- one process until `claimed_until`, renewed while it works; a process that dies loses its claim when
-- the lease ends and another takes it over. `done_at` set: that day's work is done, never again.
-- Kinds without a day of their own (delivery passes) use the day they run on and are never done.
create table jobs (
  org_id uuid not null references organisations on delete cascade,
  kind text not null,
  day date not null,
  claimed_by text,
  claimed_until timestamptz,
  attempts integer not null default 0,
  last_error text,
  done_at timestamptz,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (org_id, kind, day)
);

-- Integrators' endpoints. The secret signs each delivery (HMAC-SHA256); it is needed to sign, so it is
-- kept as it is, and shown to admins only when the webhook is created.
create table webhooks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  url text not null,
  secret text not null,
  events text[] not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create index webhooks_org on webhooks (org_id);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  webhook_id uuid not null references webhooks on delete cascade,
  -- the history event it comes from: one delivery per event and webhook
  event_id bigint not null,
  event text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status integer,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (webhook_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_org on webhook_deliveries (org_id, webhook_id, created_at);

-- The email that tells each member what a run did, in that member's language. Kept apart from the
-- customers' outbox (`messages`), whose every row belongs to a customer.
create table member_mail (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  member_id uuid references members on delete set null,
  notification_id uuid references notifications on delete set null,
  to_address text not null,
  language text not null,
  subject text not null,
  text_body text not null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index member_mail_due on member_mail (org_id, next_attempt_at) where status = 'queued';

-- Keyset pagination of the API's listings: each in the order it is read, with the filter in front.
create index invoices_status_number on invoices (org_id, status, number);
create index dunning_state_keyset on dunning_state (org_id, next_date, customer_id) where next_date is not null;
create index tasks_org_created on tasks (org_id, status, created_on, id);
create index events_org_id on events (org_id, id);
