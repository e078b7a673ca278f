-- An invoice's own PDF, kept in the database rather than as a path on one machine's disk: every
-- sender process, on any host, can attach it to a reminder. Rows written with a path (none were)
-- keep working.
alter table documents alter column path drop not null;
alter table documents
  add column content bytea,
  add column size integer,
  add column sha256 text,
  add column source text not null default 'upload',
  add column updated_at timestamptz not null default now();
alter table documents add constraint documents_content_or_path check (content is not null or path is not null);
