-- Search follows the database: every change to what a product's search document
-- shows is recorded here by triggers. Each app server applies the changes to its
-- own index and stores the last seq it applied inside the index commit, so a
-- crash between a write and the index commit loses nothing. (Sequence values can
-- commit out of order on PostgreSQL; the indexer waits briefly for gaps.)
CREATE TABLE search_changes (
    seq        BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX search_changes_by_time ON search_changes (changed_at);

CREATE FUNCTION search_note_product() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (product_id, changed_at) VALUES (OLD.id, extract(epoch FROM now())::bigint);
    ELSE
        INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, extract(epoch FROM now())::bigint);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION search_note_attribute() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (product_id, changed_at) VALUES (OLD.product_id, extract(epoch FROM now())::bigint);
    ELSE
        INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.product_id, extract(epoch FROM now())::bigint);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION search_note_brand() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_changes (product_id, changed_at)
        SELECT id, extract(epoch FROM now())::bigint FROM products WHERE brand_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION search_note_category() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_changes (product_id, changed_at)
        SELECT id, extract(epoch FROM now())::bigint FROM products
        WHERE category_id = NEW.id OR department_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER products_search AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION search_note_product();
CREATE TRIGGER attributes_search AFTER INSERT OR UPDATE OR DELETE ON product_attributes
    FOR EACH ROW EXECUTE FUNCTION search_note_attribute();
CREATE TRIGGER brands_search AFTER UPDATE OF name ON brands
    FOR EACH ROW EXECUTE FUNCTION search_note_brand();
CREATE TRIGGER categories_search AFTER UPDATE OF name, slug ON categories
    FOR EACH ROW EXECUTE FUNCTION search_note_category();

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
