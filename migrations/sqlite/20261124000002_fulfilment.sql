-- After checkout: every change of an order's state as an event (who, when,
-- from what to what), and the parcels that carry it.

CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    -- 'customer', 'guest', 'admin:<email>', 'payment', 'carrier', ...
    actor       TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

CREATE TABLE shipments (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier      TEXT NOT NULL,
    tracking     TEXT NOT NULL,
    shipped_at   BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (carrier, tracking)
);
CREATE INDEX shipments_by_order ON shipments (order_id);
