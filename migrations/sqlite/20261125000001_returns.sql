-- Parcels with their items and tracking, returns, and refunds.

-- Which items each parcel carries (an order may ship in several parcels).
CREATE TABLE shipment_lines (
    shipment_id BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    product_id  BIGINT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, product_id)
);
-- Parcels shipped before this migration carried the whole order.
INSERT INTO shipment_lines (shipment_id, product_id, quantity)
    SELECT s.id, l.product_id, l.quantity FROM shipments s JOIN order_lines l ON l.order_id = s.order_id;

-- Where each parcel is, as the carrier (or staff) last reported it.
ALTER TABLE shipments ADD COLUMN status TEXT NOT NULL DEFAULT 'shipped'
    CHECK (status IN ('shipped', 'in-transit', 'out-for-delivery', 'delivered', 'exception'));
UPDATE shipments SET status = 'delivered' WHERE delivered_at IS NOT NULL;

CREATE TABLE tracking_events (
    id          INTEGER PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('in-transit', 'out-for-delivery', 'delivered', 'exception')),
    detail      TEXT NOT NULL DEFAULT '',
    -- 'carrier' (webhook) or 'admin:<email>'
    source      TEXT NOT NULL
);
CREATE INDEX tracking_events_by_shipment ON tracking_events (shipment_id, id);

-- A shopper's request to send items back, and what staff made of it.
CREATE TABLE returns (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'received', 'refunded')),
    reason       TEXT NOT NULL,
    staff_note   TEXT NOT NULL DEFAULT '',
    requested_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- At most one return in progress per order.
CREATE UNIQUE INDEX returns_open_per_order ON returns (order_id) WHERE status IN ('requested', 'approved', 'received');

CREATE TABLE return_lines (
    return_id  BIGINT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    -- Units put back on the shelf when received (the rest were written off).
    restocked  BIGINT CHECK (restocked >= 0 AND restocked <= quantity),
    PRIMARY KEY (return_id, product_id)
);

-- Money given back: reserved against the order before the provider is
-- asked, so two refunds can never together exceed what was paid.
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
UPDATE orders SET refunded_minor = total_minor
    WHERE id IN (SELECT order_id FROM payments WHERE status = 'refunded');

CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    payment_id   BIGINT NOT NULL REFERENCES payments (id),
    return_id    BIGINT REFERENCES returns (id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    message      TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX refunds_by_order ON refunds (order_id);

-- Returned units come back into stock ('returned'); damaged ones then leave it ('written-off').
CREATE TABLE inventory_ledger_new (
    id         INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    delta      BIGINT NOT NULL,
    reason     TEXT NOT NULL CHECK (reason IN ('opening', 'reserved', 'released', 'restocked', 'adjusted', 'returned', 'written-off')),
    order_id   BIGINT REFERENCES orders (id),
    actor      TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
INSERT INTO inventory_ledger_new SELECT id, product_id, delta, reason, order_id, actor, at FROM inventory_ledger;
DROP TABLE inventory_ledger;
ALTER TABLE inventory_ledger_new RENAME TO inventory_ledger;
CREATE INDEX inventory_ledger_by_product ON inventory_ledger (product_id, id);
