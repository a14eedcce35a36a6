-- Variants (issue 18): a product has up to three options (size, colour, …)
-- and the variants they make, each with its own SKU, price, compare-at
-- price, stock, weight, low-stock threshold and picture. A product without
-- options has one default variant (no option values): one model, not two.
-- Carts, order lines, parcels, returns and the inventory ledger name the
-- variant. Every product here gets its default variant with the product's
-- own id, so the lines already written keep pointing at the same goods.

CREATE TABLE product_options (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    -- 1, 2 or 3: which of a variant's option columns holds its value.
    position   BIGINT NOT NULL CHECK (position BETWEEN 1 AND 3),
    name       TEXT NOT NULL CHECK (name <> ''),
    PRIMARY KEY (product_id, position),
    UNIQUE (product_id, name)
);

CREATE TABLE product_variants (
    id                  INTEGER PRIMARY KEY,
    product_id          BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position            BIGINT NOT NULL DEFAULT 0,
    sku                 TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    -- '' where the product has no such option.
    option1             TEXT NOT NULL DEFAULT '',
    option2             TEXT NOT NULL DEFAULT '',
    option3             TEXT NOT NULL DEFAULT '',
    price_minor         BIGINT NOT NULL CHECK (price_minor >= 0),
    compare_at_minor    BIGINT CHECK (compare_at_minor IS NULL OR compare_at_minor >= 0),
    stock               BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    weight_grams        BIGINT NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    low_stock_threshold BIGINT NOT NULL DEFAULT 3 CHECK (low_stock_threshold >= 0),
    -- The picture shown when the variant is chosen (NULL: the product's first).
    image_url           TEXT,
    created_at          BIGINT NOT NULL,
    UNIQUE (product_id, option1, option2, option3)
);
CREATE INDEX product_variants_by_product ON product_variants (product_id, position, id);
CREATE INDEX product_variants_by_image ON product_variants (image_url);

INSERT INTO product_variants (id, product_id, position, sku, price_minor, compare_at_minor, stock, weight_grams,
                              low_stock_threshold, created_at)
    SELECT id, id, 0, 'SKU-' || id, price_minor, compare_at_minor, stock, weight_grams, low_stock_threshold, created_at
    FROM products;

-- products.stock stays the sum of its variants' stock (listings, search's
-- "in stock" and the stock filters read it): every change of a variant's
-- stock moves it by as much. A new variant starts with no stock (stock
-- arrives through the ledger); the rows above carry the product's own.
CREATE TRIGGER product_variants_stock AFTER UPDATE OF stock ON product_variants
WHEN NEW.stock <> OLD.stock BEGIN
    UPDATE products SET stock = stock + NEW.stock - OLD.stock WHERE id = NEW.product_id;
END;
CREATE TRIGGER product_variants_gone AFTER DELETE ON product_variants BEGIN
    UPDATE products SET stock = stock - OLD.stock WHERE id = OLD.product_id;
END;
-- What a variant is (its options, price, SKU, picture) shows in search and
-- on the product page: note it for every server's index and caches.
CREATE TRIGGER product_variants_search AFTER UPDATE OF
    sku, option1, option2, option3, price_minor, compare_at_minor, image_url, position
ON product_variants BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER product_variants_search_new AFTER INSERT ON product_variants BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER product_variants_search_gone AFTER DELETE ON product_variants BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (OLD.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER product_options_search AFTER INSERT ON product_options BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- Cart lines name the variant.
CREATE TABLE cart_items_new (
    cart_id    BIGINT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    list       TEXT NOT NULL CHECK (list IN ('cart', 'saved')),
    variant_id BIGINT NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (cart_id, list, variant_id)
);
INSERT INTO cart_items_new (cart_id, list, variant_id, quantity, added_at)
    SELECT cart_id, list, product_id, quantity, added_at FROM cart_items;
DROP TABLE cart_items;
ALTER TABLE cart_items_new RENAME TO cart_items;

-- An order line names its variant and keeps what it was called (its SKU and
-- option values) when bought; product_id stays for the product's own reach
-- (a seller's staff, "never ordered").
CREATE TABLE order_lines_new (
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    variant_id       BIGINT NOT NULL REFERENCES product_variants (id),
    product_id       BIGINT NOT NULL REFERENCES products (id),
    name             TEXT NOT NULL,
    variant          TEXT NOT NULL DEFAULT '',
    sku              TEXT NOT NULL DEFAULT '',
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, variant_id)
);
INSERT INTO order_lines_new (order_id, variant_id, product_id, name, sku, unit_price_minor, quantity)
    SELECT order_id, product_id, product_id, name, 'SKU-' || product_id, unit_price_minor, quantity FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_new RENAME TO order_lines;
CREATE INDEX order_lines_by_product ON order_lines (product_id);

-- Parcels and returns name the order line's variant.
ALTER TABLE shipment_lines RENAME COLUMN product_id TO variant_id;
ALTER TABLE return_lines RENAME COLUMN product_id TO variant_id;

-- The ledger explains each variant's stock: stock = the sum of its deltas.
ALTER TABLE inventory_ledger ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE CASCADE;
UPDATE inventory_ledger SET variant_id = product_id;
CREATE INDEX inventory_ledger_by_variant ON inventory_ledger (variant_id, id);
