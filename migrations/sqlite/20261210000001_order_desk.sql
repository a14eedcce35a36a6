-- The order desk (issue 19): staff notes on an order, never shown to the
-- shopper (a seller's staff write and read their own seller's, seller_id 0
-- is an admin's); each mail about an order names it, so staff see what the
-- shopper was sent and can send it again; the staff's list reads orders
-- newest first and by day from an index.

CREATE TABLE order_notes (
    id        INTEGER PRIMARY KEY,
    order_id  BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at        BIGINT NOT NULL,
    author    TEXT NOT NULL,
    seller_id BIGINT NOT NULL DEFAULT 0,
    body      TEXT NOT NULL CHECK (body <> '')
);
CREATE INDEX order_notes_by_order ON order_notes (order_id, at);

ALTER TABLE outbox_emails ADD COLUMN order_id BIGINT REFERENCES orders (id) ON DELETE SET NULL;
-- Mail queued before this names its order in its subject ("Order OX-… shipped",
-- "Refund for order OX-…": `OX-` and eight characters) and went to its buyer.
UPDATE outbox_emails SET order_id = (
    SELECT o.id FROM orders o
    WHERE o.number = substr(outbox_emails.subject, instr(outbox_emails.subject, 'OX-'), 11) AND o.email = outbox_emails.to_address
)
WHERE instr(outbox_emails.subject, 'OX-') > 0;
CREATE INDEX outbox_emails_by_order ON outbox_emails (order_id) WHERE order_id IS NOT NULL;

CREATE INDEX orders_by_time ON orders (created_at, id);
