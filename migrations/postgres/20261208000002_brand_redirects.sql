-- A renamed brand keeps answering at each slug it had, with a 301 to where it
-- is now, like renamed products and categories.
CREATE TABLE brand_redirects (
    old_slug TEXT PRIMARY KEY,
    brand_id BIGINT NOT NULL REFERENCES brands (id) ON DELETE CASCADE
);
CREATE INDEX brand_redirects_by_brand ON brand_redirects (brand_id);
