-- Mail delivery: the outbox's claims and retries, what happened to each message after it left
-- (delivery events), bounces, the per-customer reply token, open and click tracking (off by
-- default), and documents that can go with a reminder.

-- Two more states: 'suspended' (held back: the contact or the postal address is not valid; its
-- invoices are planned again once they are) and 'bounced' (sent, then refused by the recipient's side).
alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
  check (status in ('awaiting_approval', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'suspended', 'bounced'));

alter table messages
  -- the sender holding the message and until when: a sender that dies loses its claim when the lease ends
  add column claimed_by text,
  add column claimed_until timestamptz,
  -- after a temporary failure, the earliest moment of the next attempt
  add column next_attempt_at timestamptz,
  -- the server's final reply to the message (RFC 5321 §4.2), e.g. "250 2.0.0 Ok: queued as 4BxY"
  add column server_response text;

-- What happened to each message, in order: sent, delivered, deferred, bounced, opened, clicked…
create table message_events (
  id bigint generated always as identity primary key,
  org_id uuid not null references organisations on delete cascade,
  message_id uuid not null references messages on delete cascade,
  kind text not null check (kind in ('sent', 'delivered', 'deferred', 'failed', 'bounced', 'complained',
                                     'opened', 'clicked', 'cancelled', 'suspended', 'unconfirmed')),
  at timestamptz not null default now(),
  attempt integer,
  detail jsonb
);
create index message_events_message on message_events (org_id, message_id);

-- Every bounce received, matched to a contact when one has that address: hard ones invalidate the
-- contact; soft ones are counted, and only repeated soft bounces make a task.
create table bounces (
  id bigint generated always as identity primary key,
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid references customers on delete cascade,
  contact_id uuid references contacts on delete set null,
  message_id uuid references messages on delete set null,
  address text not null,
  hard boolean not null,
  -- RFC 3463 enhanced status code, '' when the report gives none
  status text not null,
  reason text not null,
  diagnostic text,
  -- where it came from: 'dsn' (a bounce message), 'smtp' (our own server's refusal), 'ses', 'postmark'
  source text not null,
  day date not null,
  at timestamptz not null default now()
);
create index bounces_contact on bounces (org_id, contact_id, day);

-- The token in a customer's Reply-To address (replies+<token>@…): a reply finds its customer even
-- when the customer writes from another address. 64 random bits, unique across organisations.
alter table customers
  add column reply_token text not null default substr(md5(gen_random_uuid()::text), 1, 16);
create unique index customers_reply_token on customers (reply_token);

-- Open and click tracking is off unless the organisation turns it on; the secret signs the links.
alter table organisations
  add column tracking boolean not null default false,
  add column tracking_secret text not null default md5(gen_random_uuid()::text || clock_timestamp()::text);

-- Files that belong to an invoice and can go with its reminders (e.g. the imported Factur-X PDF).
create table documents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  invoice_id uuid not null references invoices on delete cascade,
  kind text not null default 'invoice_pdf',
  file_name text not null,
  content_type text not null default 'application/pdf',
  path text not null,
  created_at timestamptz not null default now(),
  unique (org_id, invoice_id, kind)
);

-- Messages recorded as sent whose server answer was never recorded (the sender stopped in between):
-- found once, reported as unconfirmed.
create index messages_unconfirmed on messages (org_id, sent_at)
  where status = 'sent' and provider_message_id is null and server_response is null;

-- Records a message as sent, under its claim's fence (the sender and the attempt that claimed it),
-- with its history line and delivery event, and the provider ids of earlier messages waiting to be
-- recorded. Called once per message at the commit point, in the same round trip as BEGIN: as a
-- function its statements are planned once per connection, not at every call. Fails with
-- "claim lost" when the fence does not hold, and the message does not leave.
create function ardent_record_sent(
  p_org uuid, p_message uuid, p_worker text, p_attempt integer,
  p_provider text, p_response text, p_summary text, p_data jsonb, p_detail jsonb,
  p_confirm_ids uuid[], p_confirm_providers text[], p_confirm_responses text[]
) returns void language plpgsql as $$
declare
  v_customer uuid;
  v_day date;
begin
  update messages
     set status = 'sent', sent_at = now(), last_error = null, next_attempt_at = null, claimed_until = null,
         provider_message_id = p_provider, server_response = p_response
   where org_id = p_org and id = p_message and status = 'sending' and claimed_by = p_worker and attempts = p_attempt
  returning customer_id, day into v_customer, v_day;
  if not found then
    raise exception 'claim lost: message % belongs to another sender', p_message using errcode = 'P0001';
  end if;
  if cardinality(p_confirm_ids) > 0 then
    update messages c set provider_message_id = t.provider, server_response = t.response
      from unnest(p_confirm_ids, p_confirm_providers, p_confirm_responses) as t(id, provider, response)
     where c.org_id = p_org and c.id = t.id and c.status = 'sent';
  end if;
  insert into events (org_id, customer_id, day, kind, actor, summary, data)
  values (p_org, v_customer, v_day, 'message.sent', 'agent', p_summary, p_data);
  insert into message_events (org_id, message_id, kind, attempt, detail)
  values (p_org, p_message, 'sent', p_attempt, p_detail);
end
$$;

-- Delivery reports of email services name a message by the service's id for it (the Message-ID
-- header is indexed by 005_inbound.sql, which replies need too).
create index messages_provider_id on messages (org_id, provider_message_id) where provider_message_id is not null;
