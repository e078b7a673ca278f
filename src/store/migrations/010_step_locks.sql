-- The daily run writes a step for every open invoice and links every reminder to its invoices. A
-- foreign key to invoices makes each of those writes lock its invoice row (FOR KEY SHARE), which
-- dirties every page of the largest table on a first run over a million invoices: a fifth of that
-- run's time. Invoices are never deleted one by one (an invoice missing from an export is flagged,
-- see absent_since), and these rows are written only from invoices read in the same batch; so the
-- link to the invoice is kept by the code, and the link to the organisation, whose deletion must
-- take them along, by a foreign key that locks one row per transaction.
alter table dunning_state drop constraint if exists dunning_state_invoice_id_fkey;
alter table dunning_state add constraint dunning_state_org_id_fkey
  foreign key (org_id) references organisations on delete cascade;
alter table message_invoices drop constraint if exists message_invoices_invoice_id_fkey;
