-- The shop's logo (issue 19): uploaded like a category's picture and kept
-- in the same columns, shown in every page's header.
ALTER TABLE shop_settings ADD COLUMN image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN image_width BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shop_settings ADD COLUMN image_height BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shop_settings ADD COLUMN image_webp BIGINT NOT NULL DEFAULT 0;
