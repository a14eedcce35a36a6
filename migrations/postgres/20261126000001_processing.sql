-- Orders may be "processing": paid and being packed. (SQLite gets the same
-- change from server/src/db/sqlite_checks.rs: it cannot alter a CHECK.)
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending-payment', 'paid', 'processing',
    'partially-shipped', 'shipped', 'delivered', 'cancelled', 'return-requested', 'returned', 'partially-refunded',
    'refunded'));
