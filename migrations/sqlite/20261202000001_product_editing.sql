-- The back office edits the catalog (issue 18, first part): a product has a
-- status (drafts and archived products are not shown to shoppers; archived
-- ones stay for old orders), a version for optimistic concurrency, a
-- compare-at price and SEO fields; an old slug redirects to its product;
-- staff stock adjustments carry their reason into the inventory ledger.
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'archived'));
ALTER TABLE products ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN compare_at_minor BIGINT CHECK (compare_at_minor IS NULL OR compare_at_minor >= 0);
ALTER TABLE products ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
CREATE INDEX products_by_updated ON products (updated_at DESC, id DESC);

CREATE TABLE product_redirects (
    old_slug   TEXT PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE
);
CREATE INDEX product_redirects_by_product ON product_redirects (product_id);

-- What a search document or a product page shows changed: note it, so every
-- server's index and caches follow (status hides and shows a product).
DROP TRIGGER products_search_update;
CREATE TRIGGER products_search_update AFTER UPDATE OF
    slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, currency,
    weight_grams, rating_avg, rating_count, popularity, created_at, updated_at, low_stock_threshold,
    status, compare_at_minor, seo_title, seo_description
ON products BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- Staff adjustments: goods received, a stock count's correction, damaged
-- goods written off (the reasons before stay as they were).
CREATE TABLE inventory_ledger_new (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    delta      BIGINT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('opening', 'reserved', 'released', 'restocked', 'adjusted', 'returned',
                                               'written-off', 'received', 'counted', 'damaged')),
    order_id   BIGINT REFERENCES orders (id),
    actor      TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
INSERT INTO inventory_ledger_new (id, product_id, delta, reason, order_id, actor, at)
    SELECT id, product_id, delta, reason, order_id, actor, at FROM inventory_ledger;
DROP TABLE inventory_ledger;
ALTER TABLE inventory_ledger_new RENAME TO inventory_ledger;
CREATE INDEX inventory_ledger_by_product ON inventory_ledger (product_id, id);
