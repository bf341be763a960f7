-- Catalog, stock, catalogs (visibility) and price lists.
-- Kept in step with ../postgres/20261123000002_catalog.sql: same tables, columns and names;
-- only the id column syntax differs. Money is BIGINT minor units next to an ISO currency code.

CREATE TABLE categories (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES categories (id),
    slug      TEXT NOT NULL,
    position  BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT categories_slug_key UNIQUE (slug)
);

CREATE TABLE category_names (
    category_id BIGINT NOT NULL REFERENCES categories (id),
    locale      TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (category_id, locale)
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    CONSTRAINT products_slug_key UNIQUE (slug)
);
CREATE INDEX products_category_idx ON products (category_id);

-- One row per product and shipped locale. A missing translation is stored as the English text
-- with is_fallback = 1, so listing and sorting by name is one indexed lookup in any language.
CREATE TABLE product_texts (
    product_id  BIGINT NOT NULL REFERENCES products (id),
    locale      TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    is_fallback BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, locale)
);
CREATE INDEX product_texts_locale_name_idx ON product_texts (locale, name);

CREATE TABLE variants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id   BIGINT NOT NULL REFERENCES products (id),
    sku          TEXT NOT NULL,
    -- 'each', 'box', 'metre', 'kg', 'pack', 'roll'
    unit         TEXT NOT NULL,
    pack_size    BIGINT NOT NULL,
    weight_grams BIGINT NOT NULL,
    -- Hidden price: only quotable. Its price never leaves the server.
    quote_only   BIGINT NOT NULL DEFAULT 0,
    position     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT variants_sku_key UNIQUE (sku)
);
CREATE INDEX variants_product_idx ON variants (product_id);

-- Attribute values are codes (material 'stainless') or literal sizes ('M8x20'); codes are
-- translated through attribute_value_names.
CREATE TABLE variant_attributes (
    variant_id BIGINT NOT NULL REFERENCES variants (id),
    attribute  TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (variant_id, attribute)
);
CREATE INDEX variant_attributes_value_idx ON variant_attributes (attribute, value);

CREATE TABLE attribute_value_names (
    attribute TEXT NOT NULL,
    value     TEXT NOT NULL,
    locale    TEXT NOT NULL,
    label     TEXT NOT NULL,
    PRIMARY KEY (attribute, value, locale)
);

CREATE TABLE warehouses (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    CONSTRAINT warehouses_code_key UNIQUE (code)
);

CREATE TABLE stock (
    variant_id     BIGINT NOT NULL REFERENCES variants (id),
    warehouse_id   BIGINT NOT NULL REFERENCES warehouses (id),
    quantity       BIGINT NOT NULL,
    -- When more arrives, if the warehouse has none (unix seconds).
    backorder_date BIGINT,
    PRIMARY KEY (variant_id, warehouse_id)
);

CREATE TABLE catalogs (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    CONSTRAINT catalogs_code_key UNIQUE (code)
);

CREATE TABLE catalog_products (
    catalog_id BIGINT NOT NULL REFERENCES catalogs (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    PRIMARY KEY (catalog_id, product_id)
);
CREATE INDEX catalog_products_product_idx ON catalog_products (product_id, catalog_id);

-- A company sees the catalogs assigned to its location when there are any, else those assigned
-- to the company as a whole (location_id NULL).
CREATE TABLE catalog_assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    catalog_id  BIGINT NOT NULL REFERENCES catalogs (id),
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    location_id BIGINT REFERENCES locations (id)
);
CREATE INDEX catalog_assignments_company_idx ON catalog_assignments (company_id);

CREATE TABLE price_lists (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    -- A percentage list: base_list_id and adjustment_bp (basis points, -1000 = 10 % off) set.
    base_list_id  BIGINT REFERENCES price_lists (id),
    adjustment_bp BIGINT,
    valid_from    BIGINT,
    valid_to      BIGINT,
    CONSTRAINT price_lists_code_key UNIQUE (code)
);

CREATE TABLE prices (
    price_list_id BIGINT NOT NULL REFERENCES price_lists (id),
    variant_id    BIGINT NOT NULL REFERENCES variants (id),
    min_quantity  BIGINT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    PRIMARY KEY (price_list_id, variant_id, min_quantity)
);

CREATE TABLE quantity_rules (
    price_list_id BIGINT NOT NULL REFERENCES price_lists (id),
    variant_id    BIGINT NOT NULL REFERENCES variants (id),
    min_quantity  BIGINT NOT NULL,
    max_quantity  BIGINT,
    increment     BIGINT NOT NULL,
    PRIMARY KEY (price_list_id, variant_id)
);

CREATE TABLE price_list_assignments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    price_list_id BIGINT NOT NULL REFERENCES price_lists (id),
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    location_id   BIGINT REFERENCES locations (id),
    priority      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX price_list_assignments_company_idx ON price_list_assignments (company_id);
