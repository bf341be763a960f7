-- The change log: every write to the catalog, prices, stock, company directory or roles leaves a
-- row here (written by triggers, so imports and manual SQL are covered too). Each app server keeps
-- its read model (catalog, prices, stock, memberships) in memory and, on every request, compares
-- the head seq it read with the session to what it has applied; when behind, it reads the rows
-- since and reloads only what they name. See backend/changes.rs.
--
-- Dialect-specific: SQLite and PostgreSQL triggers are written differently, so this file is not a
-- translation of its sibling (../sqlite/20261123000003_changes.sql), but both keep these rules:
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

-- TG_ARGV: the topic, then the key column ('' for key 0).
CREATE FUNCTION record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_seq BIGINT;
    new_key  BIGINT := 0;
    old_key  BIGINT := 0;
BEGIN
    IF (SELECT muted FROM change_head WHERE id = 1) <> 0 THEN
        RETURN NULL;
    END IF;
    UPDATE change_head SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO next_seq;
    IF TG_ARGV[1] <> '' THEN
        IF TG_OP <> 'DELETE' THEN
            new_key := (to_jsonb(NEW) ->> TG_ARGV[1])::BIGINT;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            old_key := (to_jsonb(OLD) ->> TG_ARGV[1])::BIGINT;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO changes (seq, topic, entity_id) VALUES (next_seq, TG_ARGV[0], new_key);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND old_key <> new_key) THEN
        INSERT INTO changes (seq, topic, entity_id) VALUES (next_seq, TG_ARGV[0], old_key);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER stock_changes AFTER INSERT OR UPDATE OR DELETE ON stock
    FOR EACH ROW EXECUTE FUNCTION record_change('stock', 'variant_id');
CREATE TRIGGER products_changes AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION record_change('product', 'id');
CREATE TRIGGER product_texts_changes AFTER INSERT OR UPDATE OR DELETE ON product_texts
    FOR EACH ROW EXECUTE FUNCTION record_change('product', 'product_id');
CREATE TRIGGER catalog_products_changes AFTER INSERT OR UPDATE OR DELETE ON catalog_products
    FOR EACH ROW EXECUTE FUNCTION record_change('product', 'product_id');
CREATE TRIGGER variants_changes AFTER INSERT OR UPDATE OR DELETE ON variants
    FOR EACH ROW EXECUTE FUNCTION record_change('product', 'product_id');
CREATE TRIGGER variant_attributes_changes AFTER INSERT OR UPDATE OR DELETE ON variant_attributes
    FOR EACH ROW EXECUTE FUNCTION record_change('variant', 'variant_id');
CREATE TRIGGER prices_changes AFTER INSERT OR UPDATE OR DELETE ON prices
    FOR EACH ROW EXECUTE FUNCTION record_change('variant', 'variant_id');
CREATE TRIGGER quantity_rules_changes AFTER INSERT OR UPDATE OR DELETE ON quantity_rules
    FOR EACH ROW EXECUTE FUNCTION record_change('variant', 'variant_id');
CREATE TRIGGER categories_changes AFTER INSERT OR UPDATE OR DELETE ON categories
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER category_names_changes AFTER INSERT OR UPDATE OR DELETE ON category_names
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER attribute_value_names_changes AFTER INSERT OR UPDATE OR DELETE ON attribute_value_names
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER price_lists_changes AFTER INSERT OR UPDATE OR DELETE ON price_lists
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER catalogs_changes AFTER INSERT OR UPDATE OR DELETE ON catalogs
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER catalog_assignments_changes AFTER INSERT OR UPDATE OR DELETE ON catalog_assignments
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER price_list_assignments_changes AFTER INSERT OR UPDATE OR DELETE ON price_list_assignments
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER warehouses_changes AFTER INSERT OR UPDATE OR DELETE ON warehouses
    FOR EACH ROW EXECUTE FUNCTION record_change('meta', '');
CREATE TRIGGER companies_changes AFTER INSERT OR UPDATE OR DELETE ON companies
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
CREATE TRIGGER locations_changes AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
CREATE TRIGGER roles_changes AFTER INSERT OR UPDATE OR DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
CREATE TRIGGER role_permissions_changes AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
CREATE TRIGGER members_changes AFTER INSERT OR UPDATE OR DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
CREATE TRIGGER member_locations_changes AFTER INSERT OR UPDATE OR DELETE ON member_locations
    FOR EACH ROW EXECUTE FUNCTION record_change('directory', '');
