-- The dashboard (issue 19). Sales are summed per UTC day (day = secs / 86400)
-- once a day has closed: an order counts on the day it was paid, a refund on
-- the day it went through, a return on the day it was asked for. The days
-- not yet summed are read from the orders themselves, so the figures are
-- exact either way. `analytics_rollups` says up to which day the sums go.
CREATE TABLE sales_days (
    day            BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    orders         BIGINT NOT NULL,
    revenue_minor  BIGINT NOT NULL,
    units          BIGINT NOT NULL,
    refunds        BIGINT NOT NULL,
    refunded_minor BIGINT NOT NULL,
    returns        BIGINT NOT NULL,
    PRIMARY KEY (day, currency)
);
CREATE TABLE product_sales_days (
    day           BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    product_id    BIGINT NOT NULL,
    -- The product's category when it sold.
    category_id   BIGINT NOT NULL,
    units         BIGINT NOT NULL,
    revenue_minor BIGINT NOT NULL,
    PRIMARY KEY (day, currency, product_id)
);
-- Categories per day, and products per calendar month once the month is
-- summed (month = year * 12 + month - 1), so a long period's best sellers
-- read few rows.
CREATE TABLE category_sales_days (
    day           BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    category_id   BIGINT NOT NULL,
    units         BIGINT NOT NULL,
    revenue_minor BIGINT NOT NULL,
    PRIMARY KEY (day, currency, category_id)
);
CREATE TABLE product_sales_months (
    month         BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    product_id    BIGINT NOT NULL,
    units         BIGINT NOT NULL,
    revenue_minor BIGINT NOT NULL,
    PRIMARY KEY (month, currency, product_id)
);
CREATE TABLE analytics_rollups (
    name       TEXT PRIMARY KEY,
    -- The first day not summed yet.
    next_day   BIGINT NOT NULL
);
CREATE INDEX order_events_by_move ON order_events (to_status, at);
CREATE INDEX refunds_by_state ON refunds (status, updated_at);
CREATE INDEX returns_by_time ON returns (requested_at);

-- The shoppers' funnel: a shopper is a hash of their address and browser
-- with a salt of the day (the salt is deleted with the day's marks, so a
-- hash cannot be tied to anyone later); each step is marked once a day.
-- Steps: 1 viewed a product, 2 added to the cart, 3 began checkout, 4 paid.
CREATE TABLE funnel_salts (
    day  BIGINT PRIMARY KEY,
    salt TEXT NOT NULL
);
CREATE TABLE funnel_marks (
    day     BIGINT NOT NULL,
    step    BIGINT NOT NULL CHECK (step BETWEEN 1 AND 4),
    shopper TEXT NOT NULL,
    PRIMARY KEY (day, step, shopper)
);
CREATE TABLE funnel_days (
    day      BIGINT NOT NULL,
    step     BIGINT NOT NULL,
    shoppers BIGINT NOT NULL,
    PRIMARY KEY (day, step)
);
-- Who placed an order, so its payment (perhaps by a webhook) marks the shopper paid.
CREATE TABLE order_shoppers (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    day      BIGINT NOT NULL,
    shopper  TEXT NOT NULL
);
