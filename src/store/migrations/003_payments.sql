-- Bank statements and reconciliation: every bank entry taken in once, what it became (a payment, a
-- suggestion for a person, a reversal), what the matcher learns about payers, and the index lookups
-- that let it match a hundred thousand entries without reading every invoice for each.

-- The compact form of an invoice number the matcher looks up: "F-2026-0412", "F 2026 0412" and
-- "f20260412" are all F20260412. Defined once, in SQL, so that the index and the query agree.
create function ardent_number_key(number text) returns text
  language sql immutable strict parallel safe
  as $$ select upper(regexp_replace(number, '[^A-Za-z0-9]', '', 'g')) $$;

-- A company name as banks write it and as the books do: lower case, accents folded, punctuation
-- gone, legal forms (SARL, GmbH, Ltd…) and filler words dropped. "BOULANGERIE MARTIN SARL" and
-- "Boulangerie Martin" give the same key; banks truncate names, so lookups also go by prefix.
create function ardent_name_key(name text) returns text
  language sql immutable strict parallel safe
  as $$
    select btrim(regexp_replace(regexp_replace(
      translate(
        replace(replace(replace(lower(replace(name, '.', '')), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'),
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőřśšşùúûüūůűųýÿźżž',
        'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorsssuuuuuuuuyyzzz'),
      '\m(sarl|sarlu|sas|sasu|sa|eurl|sci|snc|scop|selarl|gmbh|mbh|ag|kg|ohg|ug|ev|ltd|limited|llc|llp|inc|plc|corp|bv|nv|vof|bvba|srl|srls|spa|sl|slu|sprl|cie|co|ets|ste|societe|et fils|and sons|the|le|la|les|de|du|des|der|die|das|und|et|and)\M',
      ' ', 'g'), '[^a-z0-9]+', ' ', 'g'))
  $$;

create index invoices_number_key on invoices (org_id, ardent_number_key(number));
-- Amount lookups for a payment that names neither an invoice nor a known payer.
create index invoices_open_amount on invoices (org_id, currency, outstanding)
  where outstanding > 0 and type = 'invoice';
-- text_pattern_ops: the same index answers equality and "starts with" (a bank's truncated name).
create index customers_name_key on customers (org_id, ardent_name_key(name) text_pattern_ops);

-- Matching settings per organisation; absent, the defaults in src/banking/match.ts.
create table reconciliation_settings (
  org_id uuid primary key references organisations on delete cascade,
  -- a match at or above this confidence (in hundredths) is applied without asking anyone
  threshold_pct integer not null default 90 check (threshold_pct between 0 and 100),
  -- a difference up to this many minor units, or this share of what is due (basis points), settles
  -- the invoice anyway: bank fees, rounding, an early-payment discount
  tolerance_minor bigint not null default 500 check (tolerance_minor >= 0),
  tolerance_bp integer not null default 0 check (tolerance_bp between 0 and 10000),
  updated_at timestamptz not null default now()
);

-- One row per bank entry taken in (credits and reversals; ordinary debits are not ours to match).
-- The dedupe key is the bank's reference, or a hash of the entry when the bank gives none: importing
-- the same statement twice (or the intraday camt.052, then the day's camt.053 with the same bank
-- references) records nothing twice.
create table bank_entries (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  import_id uuid references imports on delete set null,
  dedupe_key text not null,
  account text,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  direction text not null check (direction in ('credit', 'debit')),
  booking_date date not null,
  value_date date,
  bank_reference text,
  end_to_end_id text,
  creditor_reference text,
  remittance text,
  payer_name text,
  payer_iban text,
  reversal boolean not null default false,
  outcome text not null check (outcome in ('applied', 'suggested', 'reversal', 'ignored')),
  outcome_reason text,
  payment_id uuid references payments on delete set null,
  -- the later entry by which the bank took this one back
  reversed_by uuid references bank_entries on delete set null,
  created_at timestamptz not null default now(),
  unique (org_id, dedupe_key)
);
create index bank_entries_end_to_end on bank_entries (org_id, end_to_end_id) where end_to_end_id is not null;
create index bank_entries_payer on bank_entries (org_id, payer_iban, amount) where payer_iban is not null;

alter table payments
  -- a payment the bank took back (returned transfer, reversed entry): its allocations are undone
  add column reversed_on date,
  -- how sure the match was (hundredths) and why, in words: ["invoice number F-1 in the remittance", …]
  add column match_confidence integer,
  add column match_reasons jsonb;

-- What settled an invoice besides money: a small shortfall within the tolerance (a bank fee, an
-- early-payment discount, rounding), so that the invoice is paid and the difference on record.
create table payment_adjustments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  payment_id uuid not null references payments on delete cascade,
  invoice_id uuid not null references invoices on delete cascade,
  amount bigint not null check (amount > 0),
  kind text not null check (kind in ('bank_fee', 'discount', 'rounding')),
  created_at timestamptz not null default now()
);
create index payment_adjustments_payment on payment_adjustments (org_id, payment_id);
create index payment_adjustments_invoice on payment_adjustments (org_id, invoice_id);

-- A match the agent was not sure enough of: a person confirms it, corrects it, or rejects it.
create table payment_suggestions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  bank_entry_id uuid not null references bank_entries on delete cascade,
  customer_id uuid references customers on delete set null,
  -- [{ invoiceId, number, amount }] in minor units of the entry's currency; empty when nothing fits
  proposal jsonb not null default '[]',
  confidence integer not null check (confidence between 0 and 100),
  -- ["invoice number F-1 in the remittance", …]
  reasons jsonb not null,
  status text not null default 'open' check (status in ('open', 'confirmed', 'rejected')),
  payment_id uuid references payments on delete set null,
  resolved_by text,
  resolved_at timestamptz,
  created_on date not null,
  created_at timestamptz not null default now()
);
create unique index payment_suggestions_entry on payment_suggestions (org_id, bank_entry_id);
create index payment_suggestions_status on payment_suggestions (org_id, status, created_on);

-- Payer accounts learnt from payments whose customer is certain (an invoice reference, or a
-- person's confirmation): the next transfer from that IBAN is recognised without a reference.
create table customer_accounts (
  org_id uuid not null references organisations on delete cascade,
  iban text not null,
  customer_id uuid not null references customers on delete cascade,
  source text not null check (source in ('reference', 'confirmed', 'manual')),
  payments integer not null default 1,
  last_seen date not null,
  created_at timestamptz not null default now(),
  primary key (org_id, iban, customer_id)
);

-- News for the organisation's people that asks nothing of them ("Boulangerie Martin paid F-1001"),
-- written in the members' language; work for them goes to tasks.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations on delete cascade,
  customer_id uuid references customers on delete cascade,
  kind text not null,
  title text not null,
  language text not null,
  data jsonb,
  day date not null,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_org on notifications (org_id, day);
