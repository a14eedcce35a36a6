-- What a customer agreed to (issue 19: the back office shows a customer's
-- consents): every change kept with when and where it was made; the newest
-- per purpose is the one that holds. Deleted with the account.
CREATE TABLE consents (
    id      INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('marketing')),
    granted BIGINT NOT NULL CHECK (granted IN (0, 1)),
    at      BIGINT NOT NULL,
    source  TEXT NOT NULL
);
CREATE INDEX consents_by_user ON consents (user_id, purpose, id);
