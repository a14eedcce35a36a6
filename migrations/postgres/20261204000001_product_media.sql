-- Uploaded product images (issue 18): each row knows the picture's size (so
-- pages reserve its space: no layout shift) and whether WebP copies exist
-- beside the JPEG or PNG ones (1: yes; an integer, as every flag here). The
-- generated demo artwork is 800 × 800 SVG.
-- An image is named by its URL within its product: the same upload twice is
-- refused, and the back office's moves and removals name the URL, so two
-- staff working at once never act on the wrong picture.
ALTER TABLE product_images ADD COLUMN width BIGINT NOT NULL DEFAULT 800;
ALTER TABLE product_images ADD COLUMN height BIGINT NOT NULL DEFAULT 800;
ALTER TABLE product_images ADD COLUMN webp BIGINT NOT NULL DEFAULT 0 CHECK (webp IN (0, 1));
-- Images put in twice by hand (before the back office had images) are kept once.
DELETE FROM product_images WHERE EXISTS (
    SELECT 1 FROM product_images o
    WHERE o.product_id = product_images.product_id AND o.url = product_images.url AND o.position < product_images.position
);
CREATE UNIQUE INDEX product_images_by_url ON product_images (product_id, url);
-- Which products show an uploaded file: it is deleted from the store when the last goes.
CREATE INDEX product_images_by_file ON product_images (url);
