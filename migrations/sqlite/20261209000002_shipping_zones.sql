-- Shipping zones (issue 19): a zone is a set of places (a country, or one
-- region of it; '**' is everywhere no other zone names), each place in one
-- zone at most; each shipping method belongs to a zone and says how long
-- delivery takes. Checkout offers the methods of the address's zone (a
-- region's own zone before its country's, the country's before '**'), and
-- an address in no zone is told the shop does not ship there.
-- Until now every method went everywhere: they become the methods of one
-- zone, "Everywhere", with their delivery times in their own fields.

CREATE TABLE shipping_zones (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE CHECK (name <> ''),
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE shipping_zone_places (
    zone_id BIGINT NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,
    country TEXT NOT NULL CHECK (length(country) = 2),
    region  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (country, region)
);
CREATE INDEX shipping_zone_places_by_zone ON shipping_zone_places (zone_id);

INSERT INTO shipping_zones (id, name, position) VALUES (1, 'Everywhere', 0);
INSERT INTO shipping_zone_places (zone_id, country, region) VALUES (1, '**', '');

ALTER TABLE shipping_methods ADD COLUMN zone_id BIGINT REFERENCES shipping_zones (id);
ALTER TABLE shipping_methods ADD COLUMN min_days BIGINT CHECK (min_days >= 0);
ALTER TABLE shipping_methods ADD COLUMN max_days BIGINT CHECK (max_days >= 0);
UPDATE shipping_methods SET zone_id = 1;
UPDATE shipping_methods SET name = 'Standard', min_days = 3, max_days = 5 WHERE code = 'standard' AND name = 'Standard (3–5 days)';
UPDATE shipping_methods SET name = 'Express', min_days = 1, max_days = 1 WHERE code = 'express' AND name = 'Express (next day)';
CREATE INDEX shipping_methods_by_zone ON shipping_methods (zone_id, position);
