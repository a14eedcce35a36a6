-- Taxes by class and the shop's settings (issues 18 and 19).
--
-- A product has a tax class (standard, reduced, zero-rated, or one the shop
-- adds); a rate is per destination (country, optionally a region) and class.
-- A class without a rate for a destination is taxed at that destination's
-- standard rate. The shop says whether the prices it enters include tax.
-- Order lines keep their rate, their share of the discount and their tax, so
-- an invoice shows the tax per rate and a return refunds exactly what its
-- lines cost. A variant's low-stock threshold is its own or the shop's
-- default (low_stock_own = 0: it follows the default when that changes).

CREATE TABLE shop_settings (
    id                 BIGINT PRIMARY KEY CHECK (id = 1),
    -- 1: prices are entered with tax in them (checkout takes it out); 0: tax is added.
    prices_include_tax BIGINT NOT NULL DEFAULT 0 CHECK (prices_include_tax IN (0, 1)),
    low_stock_default  BIGINT NOT NULL DEFAULT 3 CHECK (low_stock_default >= 0 AND low_stock_default <= 1000000),
    version            BIGINT NOT NULL DEFAULT 1,
    updated_at         BIGINT NOT NULL DEFAULT 0
);
INSERT INTO shop_settings (id) VALUES (1);

CREATE TABLE tax_classes (
    code     TEXT PRIMARY KEY CHECK (code <> ''),
    name     TEXT NOT NULL CHECK (name <> ''),
    position BIGINT NOT NULL DEFAULT 0
);
INSERT INTO tax_classes (code, name, position) VALUES
    ('standard', 'Standard', 0), ('reduced', 'Reduced', 1), ('zero', 'Zero-rated', 2);

ALTER TABLE products ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard' REFERENCES tax_classes (code);

ALTER TABLE tax_rates ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard' REFERENCES tax_classes (code);
ALTER TABLE tax_rates DROP CONSTRAINT tax_rates_pkey;
ALTER TABLE tax_rates ADD PRIMARY KEY (country, region, tax_class);
INSERT INTO tax_rates (country, region, tax_class, rate_bp) VALUES
    ('GB', '', 'reduced', 500), ('GB', '', 'zero', 0), ('DE', '', 'reduced', 700), ('DE', '', 'zero', 0),
    ('FR', '', 'reduced', 550), ('FR', '', 'zero', 0), ('NL', '', 'reduced', 900), ('NL', '', 'zero', 0),
    ('IE', '', 'reduced', 1350), ('IE', '', 'zero', 0), ('US', '', 'zero', 0);

ALTER TABLE orders ADD COLUMN tax_included BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipping_tax_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN shipping_tax_bp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN tax_rate_bp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN tax_minor BIGINT NOT NULL DEFAULT 0;

-- Orders placed before: one rate for goods and shipping; each line's share
-- of the discount in proportion to its value rounded up, and of the goods'
-- tax rounded down, so the lines' refunds never add up to more than was paid.
UPDATE orders SET shipping_tax_bp = CASE WHEN subtotal_minor - discount_minor + shipping_minor > 0
        THEN (tax_minor * 10000 + (subtotal_minor - discount_minor + shipping_minor) / 2) / (subtotal_minor - discount_minor + shipping_minor) ELSE 0 END,
    shipping_tax_minor = CASE WHEN subtotal_minor - discount_minor + shipping_minor > 0
        THEN tax_minor - (tax_minor * (subtotal_minor - discount_minor)) / (subtotal_minor - discount_minor + shipping_minor) ELSE 0 END;
UPDATE order_lines SET
    tax_rate_bp = (SELECT o.shipping_tax_bp FROM orders o WHERE o.id = order_lines.order_id),
    discount_minor = (SELECT CASE WHEN o.subtotal_minor > 0
            THEN (order_lines.unit_price_minor * order_lines.quantity * o.discount_minor + o.subtotal_minor - 1) / o.subtotal_minor ELSE 0 END
        FROM orders o WHERE o.id = order_lines.order_id),
    tax_minor = (SELECT CASE WHEN o.subtotal_minor > 0 THEN order_lines.unit_price_minor * order_lines.quantity * (o.tax_minor - o.shipping_tax_minor) / o.subtotal_minor ELSE 0 END
        FROM orders o WHERE o.id = order_lines.order_id);

ALTER TABLE products ADD COLUMN low_stock_own BIGINT NOT NULL DEFAULT 0 CHECK (low_stock_own IN (0, 1));
ALTER TABLE product_variants ADD COLUMN low_stock_own BIGINT NOT NULL DEFAULT 0 CHECK (low_stock_own IN (0, 1));
UPDATE products SET low_stock_own = 1 WHERE low_stock_threshold <> 3;
UPDATE product_variants SET low_stock_own = 1 WHERE low_stock_threshold <> 3;
