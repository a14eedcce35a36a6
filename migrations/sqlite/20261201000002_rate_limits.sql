-- Counters of rate limits that must hold across app servers (placing orders,
-- paying): hits per bucket, client (an IPv4 address or an IPv6 /64) and
-- fixed window. The sweeper deletes windows older than a day.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    client       TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (bucket, client, window_start)
);
