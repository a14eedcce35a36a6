-- The money path: carts and saved-for-later lists, checkout settings
-- (shipping methods, tax rates, promo codes), orders with their lines,
-- stock reservations and the inventory ledger, payments and webhook events.
-- Money is integer minor units; times are Unix seconds.

-- A cart belongs to a signed-in user or, for a guest, to a random token kept
-- in the browser's session.
CREATE TABLE carts (
    id         INTEGER PRIMARY KEY,
    token      TEXT UNIQUE,
    user_id    BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    updated_at BIGINT NOT NULL,
    CHECK (token IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX carts_by_age ON carts (updated_at);

-- `list` is 'cart' (to buy now) or 'saved' (the wishlist).
CREATE TABLE cart_items (
    cart_id    BIGINT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    list       TEXT NOT NULL CHECK (list IN ('cart', 'saved')),
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (cart_id, list, product_id)
);

-- Stock left below which the shop is told (per product).
ALTER TABLE products ADD COLUMN low_stock_threshold BIGINT NOT NULL DEFAULT 3 CHECK (low_stock_threshold >= 0);

CREATE TABLE shipping_methods (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    -- 'flat': base; 'weight': base + per_kg per started kilogram.
    kind             TEXT NOT NULL CHECK (kind IN ('flat', 'weight')),
    base_minor       BIGINT NOT NULL CHECK (base_minor >= 0),
    per_kg_minor     BIGINT NOT NULL DEFAULT 0 CHECK (per_kg_minor >= 0),
    -- Free when the subtotal after discounts reaches this; NULL: never free.
    free_above_minor BIGINT CHECK (free_above_minor >= 0),
    position         BIGINT NOT NULL DEFAULT 0
);
INSERT INTO shipping_methods (code, name, kind, base_minor, per_kg_minor, free_above_minor, position) VALUES
    ('standard', 'Standard (3–5 days)', 'flat', 499, 0, 5000, 0),
    ('express', 'Express (next day)', 'weight', 1299, 200, NULL, 1);

-- Tax by destination; region '' is the whole country. Basis points (2000 = 20%).
CREATE TABLE tax_rates (
    country TEXT NOT NULL CHECK (length(country) = 2),
    region  TEXT NOT NULL DEFAULT '',
    rate_bp BIGINT NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    PRIMARY KEY (country, region)
);
INSERT INTO tax_rates (country, region, rate_bp) VALUES
    ('US', '', 0), ('US', 'CA', 725), ('US', 'NY', 400), ('US', 'TX', 625),
    ('GB', '', 2000), ('DE', '', 1900), ('FR', '', 2000), ('NL', '', 2100), ('IE', '', 2300);

CREATE TABLE promo_codes (
    code              TEXT PRIMARY KEY,
    -- 'percent': amount is basis points off the subtotal; 'fixed': minor units off.
    kind              TEXT NOT NULL CHECK (kind IN ('percent', 'fixed')),
    amount            BIGINT NOT NULL CHECK (amount > 0),
    min_subtotal_minor BIGINT NOT NULL DEFAULT 0,
    starts_at         BIGINT NOT NULL DEFAULT 0,
    ends_at           BIGINT,
    -- NULL: unlimited.
    max_uses          BIGINT,
    max_per_customer  BIGINT,
    uses              BIGINT NOT NULL DEFAULT 0,
    CHECK (max_uses IS NULL OR uses <= max_uses)
);
INSERT INTO promo_codes (code, kind, amount, min_subtotal_minor, max_uses, max_per_customer) VALUES
    ('WELCOME10', 'percent', 1000, 0, NULL, 1),
    ('SAVE5', 'fixed', 500, 2500, 1000, NULL);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    -- What the shopper sees and quotes, e.g. OX-7K2M9Q4T.
    number           TEXT NOT NULL UNIQUE,
    -- A retry with the same key gets the same order; request_hash refuses a
    -- reused key with other contents.
    idempotency_key  TEXT NOT NULL UNIQUE,
    request_hash     TEXT NOT NULL,
    user_id          BIGINT REFERENCES users (id) ON DELETE SET NULL,
    email            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending-payment', 'paid', 'partially-shipped', 'shipped',
                     'delivered', 'cancelled', 'return-requested', 'returned', 'partially-refunded', 'refunded')),
    currency         TEXT NOT NULL CHECK (length(currency) = 3),
    subtotal_minor   BIGINT NOT NULL CHECK (subtotal_minor >= 0),
    discount_minor   BIGINT NOT NULL CHECK (discount_minor >= 0),
    shipping_minor   BIGINT NOT NULL CHECK (shipping_minor >= 0),
    tax_minor        BIGINT NOT NULL CHECK (tax_minor >= 0),
    total_minor      BIGINT NOT NULL CHECK (total_minor >= 0),
    promo_code       TEXT REFERENCES promo_codes (code),
    shipping_method  TEXT NOT NULL,
    -- The delivery address as JSON, copied (a later address book edit does not move it).
    ship_to          TEXT NOT NULL,
    -- Stock is held for the order until then, unless it is paid.
    reserved_until   BIGINT NOT NULL,
    -- 1 while the order's stock is taken off the shelf (placed and not yet released).
    stock_held       BIGINT NOT NULL DEFAULT 1 CHECK (stock_held IN (0, 1)),
    -- A secret that lets a guest open the order page.
    access_token     TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id, created_at);
CREATE INDEX orders_awaiting_payment ON orders (status, reserved_until);

CREATE TABLE order_lines (
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       BIGINT NOT NULL REFERENCES products (id),
    name             TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    quantity         BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE promo_redemptions (
    code     TEXT NOT NULL REFERENCES promo_codes (code),
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    -- The customer's email (guests included), for per-customer limits.
    customer TEXT NOT NULL
);
CREATE INDEX promo_redemptions_by_customer ON promo_redemptions (code, customer);

-- Every change of products.stock, so stock can be explained and rebuilt:
-- for each product, stock = the sum of its deltas.
CREATE TABLE inventory_ledger (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    delta      BIGINT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('opening', 'reserved', 'released', 'restocked', 'adjusted')),
    order_id   BIGINT REFERENCES orders (id),
    actor      TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX inventory_ledger_by_product ON inventory_ledger (product_id, id);
INSERT INTO inventory_ledger (product_id, delta, reason, actor, at)
    SELECT id, stock, 'opening', 'migration', updated_at FROM products;

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    -- A retried payment call with the same key is the same payment.
    idempotency_key TEXT NOT NULL UNIQUE,
    provider        TEXT NOT NULL,
    -- The provider's id for the payment and the card's description (brand, last four digits).
    provider_ref    TEXT,
    card            TEXT NOT NULL DEFAULT '',
    amount_minor    BIGINT NOT NULL CHECK (amount_minor > 0),
    status          TEXT NOT NULL CHECK (status IN ('processing', 'requires-action', 'succeeded', 'declined', 'failed', 'refunded')),
    message         TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE UNIQUE INDEX payments_by_ref ON payments (provider, provider_ref);
-- The schema itself refuses a second successful payment for one order.
CREATE UNIQUE INDEX payments_one_success_per_order ON payments (order_id) WHERE status = 'succeeded';
-- At most one payment in flight per order: a double click cannot start two.
CREATE UNIQUE INDEX payments_one_open_per_order ON payments (order_id) WHERE status IN ('processing', 'requires-action');

-- Provider events already handled (webhooks are delivered at least once).
CREATE TABLE webhook_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
