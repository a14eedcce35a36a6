-- Pending changes of a user's email address. The new address is proved by an
-- emailed single-use link; only the SHA-256 of its token is stored.
CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX email_changes_by_user ON email_changes (user_id, created_at);
