-- Per-customer limits that hold under concurrent orders. A customer is
-- "email:<canonical address>": lower case, without a "+tag" (and, for orders
-- placed from now on, without Gmail's dots), the account's address for a
-- signed-in shopper; so a+1@ and a+2@, or an account and a guest checkout
-- with its address, are one customer. Orders record it (unpaid orders per
-- customer are bounded); each promo use takes the customer's next numbered
-- slot under a unique index.
ALTER TABLE orders ADD COLUMN customer TEXT NOT NULL DEFAULT '';
UPDATE orders SET customer = lower(COALESCE((SELECT u.email FROM users u WHERE u.id = orders.user_id), orders.email));
UPDATE orders SET customer = 'email:' || CASE
    WHEN instr(substr(customer, 1, instr(customer, '@') - 1), '+') > 0
    THEN substr(customer, 1, instr(customer, '+') - 1) || substr(customer, instr(customer, '@'))
    ELSE customer END;
CREATE INDEX orders_by_customer ON orders (customer, status);

ALTER TABLE promo_redemptions ADD COLUMN slot BIGINT NOT NULL DEFAULT 1;
UPDATE promo_redemptions SET customer = (SELECT o.customer FROM orders o WHERE o.id = promo_redemptions.order_id);
UPDATE promo_redemptions SET slot = (
    SELECT COUNT(*) FROM promo_redemptions earlier
    WHERE earlier.code = promo_redemptions.code AND earlier.customer = promo_redemptions.customer
      AND earlier.order_id <= promo_redemptions.order_id
);
CREATE UNIQUE INDEX promo_redemptions_one_per_slot ON promo_redemptions (code, customer, slot);
