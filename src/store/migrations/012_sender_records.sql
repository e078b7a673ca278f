-- What the sender writes for each message sent, made smaller.
--
-- The relay's id for a message and its reply to the final dot are facts about the delivery: they go
-- into the message's 'sent' event, written when the reply comes, instead of into the message's row.
-- Before, each message sent was updated twice after its claim, once recorded as sent and once more
-- when the reply came: a new version of a wide row and six index entries each time. The 'sent'
-- event was written anyway; it is now written with the reply (at once when the reply is known before
-- the record, as for the outbox folder and letters).
--
-- Measured on 3,000 reminders sent to a local SMTP server (npm run bench -- mail has the method):
-- the database's CPU per message 0.69-0.97 ms with the second update, 0.41-0.43 ms without it and
-- without the history lines (whose keys are dropped below).

create index message_events_provider on message_events (org_id, (detail ->> 'providerId')) where kind = 'sent';

update message_events e
   set detail = coalesce(e.detail, '{}'::jsonb)
                || jsonb_strip_nulls(jsonb_build_object('providerId', m.provider_message_id, 'response', m.server_response))
  from messages m
 where e.kind = 'sent' and e.message_id = m.id and e.org_id = m.org_id and m.provider_message_id is not null;

drop index if exists messages_provider_id;
drop index if exists messages_unconfirmed;
alter table messages drop column provider_message_id, drop column server_response;

-- The messages recorded as sent, by moment: the sender looks among the last day's for those whose
-- reply was never recorded (a sender stopped in between).
create index messages_sent on messages (org_id, sent_at) where status = 'sent';

-- Records a message as sent, under its claim's fence (the sender and the attempt that claimed it),
-- with its history line; its 'sent' event when the reply is already known (p_sent), and the 'sent'
-- events of earlier messages whose replies came since (p_confirm_*). Called once per message at
-- the commit point, in the same round trip as BEGIN. Fails with "claim lost" when the fence does not
-- hold, and the message does not leave.
drop function if exists ardent_record_sent(uuid, uuid, text, integer, text, text, text, jsonb, jsonb, uuid[], text[], text[]);
create function ardent_record_sent(
  p_org uuid, p_message uuid, p_worker text, p_attempt integer, p_summary text, p_data jsonb, p_sent jsonb,
  p_confirm_ids uuid[], p_confirm_attempts integer[], p_confirm_details jsonb[]
) returns void language plpgsql as $$
declare
  v_customer uuid;
  v_day date;
begin
  update messages
     set status = 'sent', sent_at = now(), last_error = null, next_attempt_at = null, claimed_until = null
   where org_id = p_org and id = p_message and status = 'sending' and claimed_by = p_worker and attempts = p_attempt
  returning customer_id, day into v_customer, v_day;
  if not found then
    raise exception 'claim lost: message % belongs to another sender', p_message using errcode = 'P0001';
  end if;
  insert into events (org_id, customer_id, day, kind, actor, summary, data)
  values (p_org, v_customer, v_day, 'message.sent', 'agent', p_summary, p_data);
  if p_sent is not null then
    insert into message_events (org_id, message_id, kind, attempt, detail)
    values (p_org, p_message, 'sent', p_attempt, p_sent);
  end if;
  if cardinality(p_confirm_ids) > 0 then
    insert into message_events (org_id, message_id, kind, attempt, detail)
    select p_org, t.id, 'sent', t.attempt, t.detail
      from unnest(p_confirm_ids, p_confirm_attempts, p_confirm_details) as t(id, attempt, detail);
  end if;
end
$$;

-- Each message sent writes a history line and a delivery event, and each of their keys made the
-- insert look up and lock (FOR KEY SHARE) the organisation's row, the same row for every lane of
-- every sender: the locks of concurrent transactions on one row become a shared multixact, written
-- for each message. Nothing deletes messages, history or delivery events one by one (see 011); an
-- organisation deleted takes them along through the trigger below. Measured on 3,000 reminders:
-- the database's CPU relative to the sender's 0.49 to 0.51 without these keys, 0.53 to 0.55 with.
alter table events drop constraint if exists events_org_id_fkey;
alter table message_events drop constraint if exists message_events_org_id_fkey;
alter table message_events drop constraint if exists message_events_message_id_fkey;

create or replace function ardent_organisations_deleted() returns trigger language plpgsql as $$
begin
  delete from dunning_state where org_id in (select id from gone);
  delete from message_invoices where org_id in (select id from gone);
  delete from events where org_id in (select id from gone);
  delete from message_events where org_id in (select id from gone);
  return null;
end
$$;
