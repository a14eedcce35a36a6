-- A name search in the back office's product list finds its products through
-- a trigram index of the lower-cased names (pg_trgm, shipped with PostgreSQL),
-- which answers the list's `name_folded LIKE '%…%'` without reading every
-- name. pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_by_name_trigrams ON products USING gin (name_folded gin_trgm_ops);
