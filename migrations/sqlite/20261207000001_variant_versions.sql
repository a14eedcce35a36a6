-- Optimistic concurrency for variants (issue 18): the editor sends the
-- version it showed, and a save made by someone else since is refused
-- instead of overwritten. Every change of a variant's editable fields (its
-- own save, a relabel by new options, the product's price when it has no
-- options, a bulk price change) moves it on.
ALTER TABLE product_variants ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
