-- Sales change products.stock all day, but a search document only shows
-- whether a product is in stock. Note stock changes for the search index
-- only when they cross zero; any other column change is noted as before.
DROP TRIGGER products_search ON products;
CREATE TRIGGER products_search AFTER INSERT OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION search_note_product();
CREATE TRIGGER products_search_update AFTER UPDATE OF
    slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, currency,
    weight_grams, rating_avg, rating_count, popularity, created_at, updated_at, low_stock_threshold
ON products FOR EACH ROW EXECUTE FUNCTION search_note_product();
CREATE TRIGGER products_search_stock AFTER UPDATE OF stock ON products
    FOR EACH ROW WHEN ((OLD.stock > 0) <> (NEW.stock > 0)) EXECUTE FUNCTION search_note_product();
