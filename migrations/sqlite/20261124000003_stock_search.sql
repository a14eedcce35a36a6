-- Sales change products.stock all day, but a search document only shows
-- whether a product is in stock. Note stock changes for the search index
-- only when they cross zero; any other column change is noted as before.
DROP TRIGGER products_search_update;
CREATE TRIGGER products_search_update AFTER UPDATE OF
    slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, currency,
    weight_grams, rating_avg, rating_count, popularity, created_at, updated_at, low_stock_threshold
ON products BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER products_search_stock AFTER UPDATE OF stock ON products
WHEN (OLD.stock > 0) <> (NEW.stock > 0) BEGIN
    INSERT INTO search_changes (product_id, changed_at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
