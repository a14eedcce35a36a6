-- Every uploaded picture the media store holds (issue 18), by the URL of its
-- widest file (the other widths and formats follow from it) and whether WebP
-- copies were made. A picture is noted before its files are written, so one
-- that no product or category shows (an upload cut off by a crash, a removal
-- whose delete failed) is found and deleted by the hourly sweep. The sweep
-- claims a picture (`sweeping`: when it did) before deleting its files, and
-- an upload of the same picture waits until the claim is over.
CREATE TABLE media_files (
    url        TEXT PRIMARY KEY,
    webp       BIGINT NOT NULL CHECK (webp IN (0, 1)),
    written_at BIGINT NOT NULL,
    sweeping   BIGINT
);
-- The pictures already shown; the demo's generated artwork has no files.
INSERT INTO media_files (url, webp, written_at)
    SELECT url, MAX(webp), 0 FROM product_images
    WHERE url LIKE '/media/%' AND url NOT LIKE '/media/product/%' GROUP BY url;
INSERT INTO media_files (url, webp, written_at)
    SELECT image_url, MAX(image_webp), 0 FROM categories
    WHERE image_url LIKE '/media/%' AND image_url NOT IN (SELECT url FROM media_files) GROUP BY image_url;
