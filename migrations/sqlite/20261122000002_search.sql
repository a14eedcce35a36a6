-- Search follows the database: every change to what a product's search document
-- shows is recorded here by triggers, in commit order. Each app server applies
-- the changes to its own index and stores the last seq it applied inside the
-- index commit, so a crash between a write and the index commit loses nothing.
CREATE TABLE search_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX search_changes_by_time ON search_changes (changed_at);

CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER products_search_update AFTER UPDATE ON products BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (OLD.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER attributes_search_insert AFTER INSERT ON product_attributes BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER attributes_search_update AFTER UPDATE ON product_attributes BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER attributes_search_delete AFTER DELETE ON product_attributes BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (OLD.product_id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER brands_search_update AFTER UPDATE OF name ON brands BEGIN
    INSERT INTO search_changes (product_id, changed_at)
        SELECT id, CAST(strftime('%s', 'now') AS INTEGER) FROM products WHERE brand_id = NEW.id;
END;
CREATE TRIGGER categories_search_update AFTER UPDATE OF name, slug ON categories BEGIN
    INSERT INTO search_changes (product_id, changed_at)
        SELECT id, CAST(strftime('%s', 'now') AS INTEGER) FROM products
        WHERE category_id = NEW.id OR department_id = NEW.id;
END;

-- Words a shopper may use for one another, editable as data. Each row works in
-- both directions: searching `term` also finds `synonym` and the reverse.
CREATE TABLE search_synonyms (
    term    TEXT NOT NULL,
    synonym TEXT NOT NULL,
    PRIMARY KEY (term, synonym)
);
INSERT INTO search_synonyms (term, synonym) VALUES
    ('tv', 'television'),
    ('sneakers', 'trainers'),
    ('laptop', 'notebook'),
    ('phone', 'smartphone'),
    ('mobile', 'smartphone'),
    ('earphones', 'earbuds'),
    ('sofa', 'couch'),
    ('jumper', 'sweater'),
    ('hoodie', 'sweatshirt'),
    ('trousers', 'pants');
