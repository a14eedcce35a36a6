-- Per-customer promo limits that hold under concurrent orders: each use of a
-- code by one customer takes a numbered slot (1, 2, ... up to the code's
-- max_per_customer), and a unique index refuses a second order taking the
-- same slot at the same time. The customer is now "user:<id>" for signed-in
-- shoppers and "email:<canonical address>" for guests (lower case, without a
-- "+tag", and without dots for Gmail), so a+1@ and a+2@ are one customer.
ALTER TABLE promo_redemptions ADD COLUMN slot BIGINT NOT NULL DEFAULT 1;
UPDATE promo_redemptions SET customer = 'email:' || customer WHERE customer NOT LIKE 'user:%' AND customer NOT LIKE 'email:%';
UPDATE promo_redemptions SET slot = (
    SELECT COUNT(*) FROM promo_redemptions earlier
    WHERE earlier.code = promo_redemptions.code AND earlier.customer = promo_redemptions.customer
      AND earlier.order_id <= promo_redemptions.order_id
);
CREATE UNIQUE INDEX promo_redemptions_one_per_slot ON promo_redemptions (code, customer, slot);

-- A customer may hold stock with only a few unpaid orders at once: counted
-- per address for guests at every order.
CREATE INDEX orders_by_email ON orders (email, status);
