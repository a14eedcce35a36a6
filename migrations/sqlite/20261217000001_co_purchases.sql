-- "Customers who bought this also bought" (issue 21): for each ordered
-- pair of products bought in one paid order, in how many paid orders.
-- Kept up to date by a chore from the paid orders since `paid_seen`, the
-- last order event it counted (app/src/ssr/recommend/co_purchase.rs);
-- starting from 0, its first rounds count the shop's past orders.
CREATE TABLE co_purchases (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    other_id   BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    orders     BIGINT NOT NULL CHECK (orders > 0),
    PRIMARY KEY (product_id, other_id)
);
CREATE INDEX co_purchases_top ON co_purchases (product_id, orders DESC, other_id);

CREATE TABLE co_purchase_state (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    paid_seen BIGINT NOT NULL
);
INSERT INTO co_purchase_state (id, paid_seen) VALUES (1, 0);
