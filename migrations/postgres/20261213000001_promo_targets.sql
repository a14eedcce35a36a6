-- Promo codes may give free shipping (kind 'free_shipping', amount 0) and
-- may apply to some categories (with their subcategories) or products only
-- (issue 19).
ALTER TABLE promo_codes DROP CONSTRAINT promo_codes_kind_check;
ALTER TABLE promo_codes ADD CONSTRAINT promo_codes_kind_check CHECK (kind IN ('percent', 'fixed', 'free_shipping'));
ALTER TABLE promo_codes DROP CONSTRAINT promo_codes_amount_check;
ALTER TABLE promo_codes ADD CONSTRAINT promo_codes_amount_check CHECK (amount > 0 OR kind = 'free_shipping');
-- Whether a code is for its targets only: a code whose every target was
-- deleted then applies to nothing, never to the whole cart.
ALTER TABLE promo_codes ADD COLUMN restricted BIGINT NOT NULL DEFAULT 0;
CREATE TABLE promo_code_categories (
    code        TEXT NOT NULL REFERENCES promo_codes (code) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (code, category_id)
);
CREATE TABLE promo_code_products (
    code       TEXT NOT NULL REFERENCES promo_codes (code) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (code, product_id)
);
CREATE INDEX promo_code_products_by_product ON promo_code_products (product_id);
CREATE INDEX promo_code_categories_by_category ON promo_code_categories (category_id);
