-- Accounts: users with roles, sessions shared by every app server, emailed
-- single-use tokens, the mail outbox and the security audit log. Times are Unix seconds.

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    -- Lower-cased and trimmed; compared exactly.
    email             TEXT NOT NULL UNIQUE,
    -- argon2id PHC string.
    password_hash     TEXT NOT NULL,
    display_name      TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'seller', 'admin')),
    email_verified_at BIGINT,
    -- Bumped to end every session signed in before (password change, sign out everywhere).
    session_epoch     BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);

-- tower-sessions records (JSON), shared by every app server.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Single-use emailed tokens; only their SHA-256 is stored.
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify-email', 'reset-password')),
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX auth_tokens_by_user ON auth_tokens (user_id, purpose);

-- Mail waiting to be sent by the background sender, and mail sent.
CREATE TABLE outbox_emails (
    id              INTEGER PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_emails_pending ON outbox_emails (sent_at, next_attempt_at);

-- Security events admins can read: sign-ins, failures, password and role changes.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      BIGINT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The account the event concerns when there is no user (an unknown email).
    subject TEXT NOT NULL DEFAULT '',
    event   TEXT NOT NULL,
    ip      TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_subject ON audit_log (subject, event, at);
CREATE INDEX audit_log_by_time ON audit_log (at);
