-- Reviews and ratings (issue 21): one review per product and customer, held
-- for moderation or published; the product's rating_avg and rating_count are
-- the published reviews', rewritten in the same transaction as every change
-- (the products_search_update trigger then tells search and the page cache).
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    product_id    BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    -- NULL: a review that came with the catalog (imported, or the demo
    -- data's), with no account behind it.
    user_id       BIGINT REFERENCES users (id),
    author        TEXT NOT NULL,
    rating        BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    -- Why it waits or was turned down: an automatic hold ("a link"), reports,
    -- or the moderator's reason, which the author sees.
    reason        TEXT NOT NULL DEFAULT '',
    helpful       BIGINT NOT NULL DEFAULT 0 CHECK (helpful >= 0),
    reports       BIGINT NOT NULL DEFAULT 0 CHECK (reports >= 0),
    reply         TEXT NOT NULL DEFAULT '',
    replied_at    BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (product_id, user_id)
);
CREATE INDEX reviews_newest ON reviews (product_id, status, updated_at DESC, id);
CREATE INDEX reviews_helpful ON reviews (product_id, status, helpful DESC, id);
CREATE INDEX reviews_rating ON reviews (product_id, status, rating DESC, id);
CREATE INDEX reviews_queue ON reviews (status, updated_at, id);
CREATE INDEX reviews_by_user ON reviews (user_id);

-- One helpful vote and one report per review and shopper.
CREATE TABLE review_votes (
    review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id),
    at        BIGINT NOT NULL,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX review_votes_by_user ON review_votes (user_id);
CREATE TABLE review_reports (
    review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users (id),
    why       TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX review_reports_by_user ON review_reports (user_id);

-- The shop's rules for reviews: one row.
CREATE TABLE review_policy (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    -- 1: every review waits for a moderator; 0: published unless held.
    moderate_all   BIGINT NOT NULL CHECK (moderate_all IN (0, 1)),
    -- 1: any signed-in customer may review; 0: only those who bought it.
    buyers_only    BIGINT NOT NULL CHECK (buyers_only IN (0, 1)),
    -- Words that hold a review for a moderator, one per line.
    banned_words   TEXT NOT NULL,
    version        BIGINT NOT NULL
);
INSERT INTO review_policy (id, moderate_all, buyers_only, banned_words, version) VALUES (1, 1, 1, '', 1);

-- Ratings had nothing behind them until now (the demo data made them up):
-- from here on a product's rating is its published reviews', and there are
-- none yet. (A freshly seeded demo catalog gets reviews with its products.)
UPDATE products SET rating_avg = 0, rating_count = 0 WHERE rating_count <> 0 OR rating_avg <> 0;
