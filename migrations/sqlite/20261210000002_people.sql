-- People (issue 19): two more staff roles, catalog managers ('catalog') and
-- order managers ('orders'); SQLite widens the role CHECK by rebuilding the
-- table (server/src/db/sqlite_checks.rs). A disabled account cannot sign in
-- and its sessions end; staff and customers alike.

ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE INDEX users_by_role ON users (role, email);
