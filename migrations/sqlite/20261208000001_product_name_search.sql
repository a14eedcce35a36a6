-- A name search in the back office's product list finds its products through
-- a trigram index of the names (SQLite's FTS5, built in), instead of reading
-- every name: a name that matches nothing costs an index probe, not a scan of
-- 100,000 names. The index keeps no copy of the names (it reads them from
-- products) and triggers keep it in step with every insert, rename and delete.
CREATE VIRTUAL TABLE product_names USING fts5(name, content = 'products', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO product_names (product_names) VALUES ('rebuild');
CREATE TRIGGER product_names_new AFTER INSERT ON products BEGIN
    INSERT INTO product_names (rowid, name) VALUES (NEW.id, NEW.name);
END;
CREATE TRIGGER product_names_gone AFTER DELETE ON products BEGIN
    INSERT INTO product_names (product_names, rowid, name) VALUES ('delete', OLD.id, OLD.name);
END;
CREATE TRIGGER product_names_renamed AFTER UPDATE OF name ON products BEGIN
    INSERT INTO product_names (product_names, rowid, name) VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO product_names (rowid, name) VALUES (NEW.id, NEW.name);
END;
