-- Saved addresses of signed-in users, for checkout and shipping.
CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    full_name   TEXT NOT NULL,
    line1       TEXT NOT NULL,
    line2       TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL,
    -- ISO 3166-1 alpha-2, upper case.
    country     TEXT NOT NULL CHECK (length(country) = 2),
    phone       TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX addresses_by_user ON addresses (user_id, id);
