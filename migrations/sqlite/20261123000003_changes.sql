-- The change log: every write to the catalog, prices, stock, company directory or roles leaves a
-- row here (written by triggers, so imports and manual SQL are covered too). Each app server keeps
-- its read model (catalog, prices, stock, memberships) in memory and, on every request, compares
-- the head seq it read with the session to what it has applied; when behind, it reads the rows
-- since and reloads only what they name. See backend/changes.rs.
--
-- Dialect-specific: SQLite and PostgreSQL triggers are written differently, so this file is not a
-- translation of its sibling (../postgres/20261123000003_changes.sql), but both keep these rules:
--   * change_head.seq is bumped inside the writing transaction; on PostgreSQL the row lock this
--     takes makes writers commit in seq order, so a reader never skips a seq that commits late;
--   * muted = 1 (set inside a bulk load's transaction) records nothing; the load then writes one
--     'full' row itself;
--   * rows at or below pruned_through may be deleted; a server that has applied less reloads all.

CREATE TABLE change_head (
    id             BIGINT PRIMARY KEY,
    seq            BIGINT NOT NULL,
    muted          BIGINT NOT NULL DEFAULT 0,
    pruned_through BIGINT NOT NULL DEFAULT 0
);
INSERT INTO change_head (id, seq, muted, pruned_through) VALUES (1, 0, 0, 0);

-- topic: 'stock' (entity_id = variant id), 'product' (product id), 'variant' (variant id),
-- 'meta' (categories, lists, catalogs, assignments; entity_id 0), 'directory' (companies, members,
-- roles, locations; entity_id 0), 'full' (reload everything; entity_id 0).
CREATE TABLE changes (
    seq   BIGINT NOT NULL,
    topic TEXT NOT NULL,
    entity_id BIGINT NOT NULL
);
CREATE INDEX changes_seq_idx ON changes (seq);

-- The read model loads a product's prices and rules by variant.
CREATE INDEX prices_variant_idx ON prices (variant_id);
CREATE INDEX quantity_rules_variant_idx ON quantity_rules (variant_id);

CREATE TRIGGER stock_insert_changes AFTER INSERT ON stock
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'stock', NEW.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER stock_update_changes AFTER UPDATE ON stock
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'stock', NEW.variant_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'stock', OLD.variant_id FROM change_head WHERE id = 1 AND OLD.variant_id <> NEW.variant_id;
END;

CREATE TRIGGER stock_delete_changes AFTER DELETE ON stock
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'stock', OLD.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER products_insert_changes AFTER INSERT ON products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER products_update_changes AFTER UPDATE ON products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.id FROM change_head WHERE id = 1 AND OLD.id <> NEW.id;
END;

CREATE TRIGGER products_delete_changes AFTER DELETE ON products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER product_texts_insert_changes AFTER INSERT ON product_texts
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER product_texts_update_changes AFTER UPDATE ON product_texts
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1 AND OLD.product_id <> NEW.product_id;
END;

CREATE TRIGGER product_texts_delete_changes AFTER DELETE ON product_texts
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalog_products_insert_changes AFTER INSERT ON catalog_products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalog_products_update_changes AFTER UPDATE ON catalog_products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1 AND OLD.product_id <> NEW.product_id;
END;

CREATE TRIGGER catalog_products_delete_changes AFTER DELETE ON catalog_products
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER variants_insert_changes AFTER INSERT ON variants
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER variants_update_changes AFTER UPDATE ON variants
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', NEW.product_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1 AND OLD.product_id <> NEW.product_id;
END;

CREATE TRIGGER variants_delete_changes AFTER DELETE ON variants
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'product', OLD.product_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER variant_attributes_insert_changes AFTER INSERT ON variant_attributes
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER variant_attributes_update_changes AFTER UPDATE ON variant_attributes
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1 AND OLD.variant_id <> NEW.variant_id;
END;

CREATE TRIGGER variant_attributes_delete_changes AFTER DELETE ON variant_attributes
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER prices_insert_changes AFTER INSERT ON prices
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER prices_update_changes AFTER UPDATE ON prices
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1 AND OLD.variant_id <> NEW.variant_id;
END;

CREATE TRIGGER prices_delete_changes AFTER DELETE ON prices
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER quantity_rules_insert_changes AFTER INSERT ON quantity_rules
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER quantity_rules_update_changes AFTER UPDATE ON quantity_rules
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', NEW.variant_id FROM change_head WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1 AND OLD.variant_id <> NEW.variant_id;
END;

CREATE TRIGGER quantity_rules_delete_changes AFTER DELETE ON quantity_rules
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'variant', OLD.variant_id FROM change_head WHERE id = 1;
END;

CREATE TRIGGER categories_insert_changes AFTER INSERT ON categories
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER categories_update_changes AFTER UPDATE ON categories
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER categories_delete_changes AFTER DELETE ON categories
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER category_names_insert_changes AFTER INSERT ON category_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER category_names_update_changes AFTER UPDATE ON category_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER category_names_delete_changes AFTER DELETE ON category_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER attribute_value_names_insert_changes AFTER INSERT ON attribute_value_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER attribute_value_names_update_changes AFTER UPDATE ON attribute_value_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER attribute_value_names_delete_changes AFTER DELETE ON attribute_value_names
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_lists_insert_changes AFTER INSERT ON price_lists
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_lists_update_changes AFTER UPDATE ON price_lists
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_lists_delete_changes AFTER DELETE ON price_lists
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalogs_insert_changes AFTER INSERT ON catalogs
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalogs_update_changes AFTER UPDATE ON catalogs
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalogs_delete_changes AFTER DELETE ON catalogs
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalog_assignments_insert_changes AFTER INSERT ON catalog_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalog_assignments_update_changes AFTER UPDATE ON catalog_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER catalog_assignments_delete_changes AFTER DELETE ON catalog_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_list_assignments_insert_changes AFTER INSERT ON price_list_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_list_assignments_update_changes AFTER UPDATE ON price_list_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER price_list_assignments_delete_changes AFTER DELETE ON price_list_assignments
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER warehouses_insert_changes AFTER INSERT ON warehouses
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER warehouses_update_changes AFTER UPDATE ON warehouses
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER warehouses_delete_changes AFTER DELETE ON warehouses
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'meta', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER companies_insert_changes AFTER INSERT ON companies
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER companies_update_changes AFTER UPDATE ON companies
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER companies_delete_changes AFTER DELETE ON companies
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER locations_insert_changes AFTER INSERT ON locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER locations_update_changes AFTER UPDATE ON locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER locations_delete_changes AFTER DELETE ON locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER roles_insert_changes AFTER INSERT ON roles
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER roles_update_changes AFTER UPDATE ON roles
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER roles_delete_changes AFTER DELETE ON roles
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER role_permissions_insert_changes AFTER INSERT ON role_permissions
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER role_permissions_update_changes AFTER UPDATE ON role_permissions
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER role_permissions_delete_changes AFTER DELETE ON role_permissions
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER members_insert_changes AFTER INSERT ON members
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER members_update_changes AFTER UPDATE ON members
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER members_delete_changes AFTER DELETE ON members
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER member_locations_insert_changes AFTER INSERT ON member_locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER member_locations_update_changes AFTER UPDATE ON member_locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER member_locations_delete_changes AFTER DELETE ON member_locations
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'directory', 0 FROM change_head WHERE id = 1;
END;
