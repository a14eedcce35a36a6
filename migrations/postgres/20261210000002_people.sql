-- People (issue 19): two more staff roles, catalog managers ('catalog') and
-- order managers ('orders'). A disabled account cannot sign in and its
-- sessions end; staff and customers alike.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('customer', 'seller', 'admin', 'catalog', 'orders'));
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE INDEX users_by_role ON users (role, email);
