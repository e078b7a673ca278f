-- The daily run writes a step for every open invoice. dunning_state_keyset (org_id, next_date,
-- customer_id, same condition) answers everything dunning_state_queue (org_id, next_date) did: one
-- index fewer to keep up on each of those writes.
drop index if exists dunning_state_queue;
