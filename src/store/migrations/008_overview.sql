-- The overview's two questions that no index answered: what was invoiced over the last 90 days (for
-- DSO) and what was received today, without reading every invoice and payment of the organisation.
create index invoices_issued on invoices (org_id, issue_date);
create index payments_received on payments (org_id, received_on);
