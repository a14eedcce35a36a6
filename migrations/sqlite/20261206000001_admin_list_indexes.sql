-- The back office's product list over a large catalog (issue 18). Each of
-- its sorts walks an index, so a page (even a deep one) reads the ids of its
-- own rows from the index alone. A name search scans a narrow index of the
-- lower-cased names rather than every row, and a SKU search finds the variant
-- by its upper case. "Low stock" reads a count of each product's variants at
-- or under their threshold, kept here by triggers as products.stock is.
CREATE INDEX products_by_name ON products (name, id);
CREATE INDEX products_by_price ON products (price_minor, id);
CREATE INDEX products_by_stock ON products (stock, id);
CREATE INDEX product_variants_by_upper_sku ON product_variants (UPPER(sku));

-- The name in lower case, for searches that ignore case the same way on
-- both engines (PostgreSQL's LIKE heeds it, SQLite's does not).
ALTER TABLE products ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
UPDATE products SET name_folded = LOWER(name);
CREATE INDEX products_by_name_folded ON products (name_folded);
CREATE TRIGGER products_name_folded AFTER INSERT ON products BEGIN
    UPDATE products SET name_folded = LOWER(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER products_name_folded_change AFTER UPDATE OF name ON products BEGIN
    UPDATE products SET name_folded = LOWER(NEW.name) WHERE id = NEW.id;
END;

-- How many of the product's variants are at or under their threshold.
ALTER TABLE products ADD COLUMN low_variants BIGINT NOT NULL DEFAULT 0;
UPDATE products SET low_variants =
    (SELECT COUNT(*) FROM product_variants v WHERE v.product_id = products.id AND v.stock <= v.low_stock_threshold);
CREATE TRIGGER product_variants_low_change AFTER UPDATE OF stock, low_stock_threshold ON product_variants
WHEN (NEW.stock <= NEW.low_stock_threshold) <> (OLD.stock <= OLD.low_stock_threshold) BEGIN
    UPDATE products SET low_variants = low_variants + CASE WHEN NEW.stock <= NEW.low_stock_threshold THEN 1 ELSE -1 END
    WHERE id = NEW.product_id;
END;
CREATE TRIGGER product_variants_low_new AFTER INSERT ON product_variants
WHEN NEW.stock <= NEW.low_stock_threshold BEGIN
    UPDATE products SET low_variants = low_variants + 1 WHERE id = NEW.product_id;
END;
CREATE TRIGGER product_variants_low_gone AFTER DELETE ON product_variants
WHEN OLD.stock <= OLD.low_stock_threshold BEGIN
    UPDATE products SET low_variants = low_variants - 1 WHERE id = OLD.product_id;
END;
CREATE INDEX products_low ON products (stock, id) WHERE low_variants > 0;
