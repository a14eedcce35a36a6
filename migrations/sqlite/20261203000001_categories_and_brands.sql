-- The back office edits categories and brands (issue 18): a category gets SEO
-- fields, and both get a version for optimistic concurrency (a save of an
-- older version is refused); an old category slug redirects to where the
-- category is now, as an old product slug does.
ALTER TABLE categories ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE brands ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE category_redirects (
    old_slug    TEXT PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE
);
CREATE INDEX category_redirects_by_category ON category_redirects (category_id);
