-- A category's own picture (issue 18), uploaded in the back office and kept
-- in the media store as product images are; empty: the generated artwork.
-- Its size keeps the home page's tiles from shifting; webp is 1 when WebP
-- copies exist beside the JPEG or PNG ones.
ALTER TABLE categories ADD COLUMN image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN image_width BIGINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN image_height BIGINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN image_webp BIGINT NOT NULL DEFAULT 0 CHECK (image_webp IN (0, 1));
CREATE INDEX categories_by_image ON categories (image_url);
