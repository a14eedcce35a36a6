-- A brand gets what a category has (issue 18): a description, SEO title and
-- description for its page in the shop (/b/<slug>), and its own picture kept
-- in the media store as category pictures are (empty: none).
ALTER TABLE brands ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE brands ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE brands ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
ALTER TABLE brands ADD COLUMN image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE brands ADD COLUMN image_width BIGINT NOT NULL DEFAULT 0;
ALTER TABLE brands ADD COLUMN image_height BIGINT NOT NULL DEFAULT 0;
ALTER TABLE brands ADD COLUMN image_webp BIGINT NOT NULL DEFAULT 0 CHECK (image_webp IN (0, 1));
CREATE INDEX brands_by_image ON brands (image_url);
