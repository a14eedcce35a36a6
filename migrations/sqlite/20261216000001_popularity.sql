-- Popularity from what shoppers do (issue 21): each product's "heat" is
-- its looks (1 each, once a day per shopper) and purchases (10 per paid
-- order line), halved every week; products.popularity follows it
-- (heat × 10, rounded) every few minutes, for search's relevance boost,
-- "popular" sorting and the home page (app/src/ssr/catalog/popularity.rs).
CREATE TABLE product_heat (
    product_id BIGINT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    heat       REAL NOT NULL CHECK (heat >= 0)
);
-- A shop's popularity so far is where the heat starts.
INSERT INTO product_heat (product_id, heat) SELECT id, popularity / 10.0 FROM products WHERE popularity > 0;

-- One row: the UTC day the heat has been decayed to, the last order event
-- counted as a purchase, and when products.popularity last followed.
CREATE TABLE popularity_state (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    decayed_day BIGINT NOT NULL,
    paid_seen   BIGINT NOT NULL,
    synced_at   BIGINT NOT NULL
);
INSERT INTO popularity_state (id, decayed_day, paid_seen, synced_at)
SELECT 1, CAST(strftime('%s', 'now') AS INTEGER) / 86400, COALESCE(MAX(id), 0), 0 FROM order_events;
