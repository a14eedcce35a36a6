-- Wishlists (issue 21): the "saved" list of a cart is the shopper's wishlist.
-- What its owner was last told of each saved item, so the alert sweep
-- (app/src/ssr/wishlist/alerts.rs) mails once per event: seen_price_minor is
-- the lowest price they know of (the price when saved, or the last drop
-- mailed); seen_out is 1 while the item is out of stock or not sold, until
-- its back-in-stock mail goes.
ALTER TABLE cart_items ADD COLUMN seen_price_minor BIGINT;
ALTER TABLE cart_items ADD COLUMN seen_out BIGINT NOT NULL DEFAULT 0;
UPDATE cart_items SET
    seen_price_minor = (SELECT v.price_minor FROM product_variants v WHERE v.id = cart_items.variant_id),
    seen_out = (SELECT CASE WHEN v.stock = 0 OR p.status <> 'active' THEN 1 ELSE 0 END
                FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = cart_items.variant_id);
CREATE INDEX cart_items_saved_by_variant ON cart_items (variant_id) WHERE list = 'saved';

-- A read-only link to a cart's wishlist: random, unguessable, revocable.
ALTER TABLE carts ADD COLUMN share_token TEXT;
CREATE UNIQUE INDEX carts_by_share_token ON carts (share_token) WHERE share_token IS NOT NULL;

-- A customer's wishlist mails: on (1) or off (0), and the token of the
-- unsubscribe link in every mail, which works without signing in (it can
-- only turn these mails off and on again). A customer without a row gets
-- the mails.
CREATE TABLE wishlist_alerts (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    enabled    BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    changed_at BIGINT NOT NULL
);
