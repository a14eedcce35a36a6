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
ALTER TABLE products ADD COLUMN name_folded TEXT GENERATED ALWAYS AS (LOWER(name)) STORED;
CREATE INDEX products_by_name_folded ON products (name_folded);

-- How many of the product's variants are at or under their threshold.
ALTER TABLE products ADD COLUMN low_variants BIGINT NOT NULL DEFAULT 0;
UPDATE products SET low_variants =
    (SELECT COUNT(*) FROM product_variants v WHERE v.product_id = products.id AND v.stock <= v.low_stock_threshold);
CREATE FUNCTION product_variants_low() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.stock <= OLD.low_stock_threshold THEN
        UPDATE products SET low_variants = low_variants - 1 WHERE id = OLD.product_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.stock <= NEW.low_stock_threshold THEN
        UPDATE products SET low_variants = low_variants + 1 WHERE id = NEW.product_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER product_variants_low_change AFTER UPDATE OF stock, low_stock_threshold ON product_variants
    FOR EACH ROW WHEN ((NEW.stock <= NEW.low_stock_threshold) <> (OLD.stock <= OLD.low_stock_threshold))
    EXECUTE FUNCTION product_variants_low();
CREATE TRIGGER product_variants_low_new AFTER INSERT OR DELETE ON product_variants
    FOR EACH ROW EXECUTE FUNCTION product_variants_low();
CREATE INDEX products_low ON products (stock, id) WHERE low_variants > 0;
