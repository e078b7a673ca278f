-- The daily run and imports write rows by the hundred thousand, and every foreign key makes each of
-- those rows look up the row it names and lock it (FOR KEY SHARE), which writes to that row's page
-- as well. Measured on a first run over 1,000,000 invoices (1,000,000 steps, 90,000 reminders,
-- 530,000 reminder links, 100,000 history lines): 35.1 s with the keys of messages, links and
-- history, 30.0 s without them; in another pair of runs, 33.4 s with the steps' and links' keys to
-- the organisation, 30.0 s with the trigger below instead. Importing 100,000 invoices: 3.5 s with
-- the keys of invoices, 2.9 s without.
--
-- What those keys guarded never happens: customers, contacts, invoices, imports and messages are not
-- deleted one by one (an invoice missing from an export is flagged, see absent_since; a contact that
-- stops working is marked invalid), and the rows below are written from rows read in the same
-- transaction. What must happen, an organisation taking everything it holds along when it is deleted,
-- other tables do through their own key to organisations (on delete cascade), and the two largest,
-- the dunning steps and the reminder links, through one statement-level trigger: one delete per
-- table instead of one check per row written.
alter table invoices drop constraint if exists invoices_customer_id_fkey;
alter table invoices drop constraint if exists invoices_import_id_fkey;
alter table messages drop constraint if exists messages_customer_id_fkey;
alter table messages drop constraint if exists messages_contact_id_fkey;
alter table events drop constraint if exists events_customer_id_fkey;
alter table events drop constraint if exists events_invoice_id_fkey;
alter table message_invoices drop constraint if exists message_invoices_message_id_fkey;
alter table dunning_state drop constraint if exists dunning_state_org_id_fkey;

create function ardent_organisations_deleted() returns trigger language plpgsql as $$
begin
  delete from dunning_state where org_id in (select id from gone);
  delete from message_invoices where org_id in (select id from gone);
  return null;
end
$$;

create trigger organisations_deleted after delete on organisations
  referencing old table as gone for each statement execute function ardent_organisations_deleted();

-- The sender claims the day's reminders in the order of this index and stops at the batch's size,
-- instead of sorting every queued message at each claim.
drop index if exists messages_outbox;
create index messages_outbox on messages (org_id, status, day, id);
