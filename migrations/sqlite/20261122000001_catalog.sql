-- The catalog: a two-level category tree, brands, sellers, products with their
-- images and attributes. Money is integer minor units; times are Unix seconds.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES categories (id) ON DELETE RESTRICT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX categories_by_parent ON categories (parent_id, position);

CREATE TABLE brands (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- Sellers own products in the marketplace; NULL means the shop itself.
CREATE TABLE sellers (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    brand_id     BIGINT NOT NULL REFERENCES brands (id),
    category_id  BIGINT NOT NULL REFERENCES categories (id),
    -- The top-level ancestor of category_id (itself for a top-level category),
    -- kept beside it so a department's listing is one index scan.
    department_id BIGINT NOT NULL REFERENCES categories (id),
    seller_id    BIGINT REFERENCES sellers (id),
    price_minor  BIGINT NOT NULL CHECK (price_minor >= 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    stock        BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    weight_grams BIGINT NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    rating_avg   DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (rating_avg >= 0 AND rating_avg <= 5),
    rating_count BIGINT NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    popularity   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX products_by_category_popularity ON products (category_id, popularity DESC, id);
CREATE INDEX products_by_category_price ON products (category_id, price_minor, id);
CREATE INDEX products_by_category_created ON products (category_id, created_at DESC, id DESC);
CREATE INDEX products_by_category_rating ON products (category_id, rating_avg DESC, rating_count DESC, id);
CREATE INDEX products_by_category_name ON products (category_id, name, id);
CREATE INDEX products_by_department_popularity ON products (department_id, popularity DESC, id);
CREATE INDEX products_by_department_price ON products (department_id, price_minor, id);
CREATE INDEX products_by_department_created ON products (department_id, created_at DESC, id DESC);
CREATE INDEX products_by_department_rating ON products (department_id, rating_avg DESC, rating_count DESC, id);
CREATE INDEX products_by_department_name ON products (department_id, name, id);
CREATE INDEX products_by_popularity ON products (popularity DESC, id);
CREATE INDEX products_by_brand ON products (brand_id);
CREATE INDEX products_by_seller ON products (seller_id);

CREATE TABLE product_images (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL CHECK (position >= 0),
    url        TEXT NOT NULL,
    alt        TEXT NOT NULL,
    PRIMARY KEY (product_id, position)
);

-- Free-form attributes (colour, size, material, ...), one row per name.
CREATE TABLE product_attributes (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, name)
);
CREATE INDEX product_attributes_by_value ON product_attributes (name, value);
