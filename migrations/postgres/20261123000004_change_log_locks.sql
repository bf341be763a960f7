-- Dialect-specific: PostgreSQL only; the SQLite file of this name is this comment alone.
--
-- 1. Lock order. Every tracked statement takes the change_head row lock BEFORE it locks any row
--    of its own (a statement-level BEFORE trigger). With only the row triggers of
--    20261123000003, two transactions could each hold a row the other wanted while one of them
--    waited for change_head: a deadlock that did not exist before the change log. (SQLite has one
--    writer at a time and needs none of this.)
-- 2. TRUNCATE fires no row triggers: it records a 'full' change, so every server reloads.

CREATE FUNCTION lock_change_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM change_head WHERE id = 1 FOR UPDATE;
    RETURN NULL;
END;
$$;

CREATE FUNCTION record_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_seq BIGINT;
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO next_seq;
    INSERT INTO changes (seq, topic, entity_id) VALUES (next_seq, 'full', 0);
    RETURN NULL;
END;
$$;

CREATE TRIGGER stock_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON stock
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER stock_truncate_changes AFTER TRUNCATE ON stock
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER products_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER products_truncate_changes AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER product_texts_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON product_texts
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER product_texts_truncate_changes AFTER TRUNCATE ON product_texts
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER catalog_products_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON catalog_products
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER catalog_products_truncate_changes AFTER TRUNCATE ON catalog_products
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER variants_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON variants
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER variants_truncate_changes AFTER TRUNCATE ON variants
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER variant_attributes_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON variant_attributes
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER variant_attributes_truncate_changes AFTER TRUNCATE ON variant_attributes
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER prices_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER prices_truncate_changes AFTER TRUNCATE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER quantity_rules_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON quantity_rules
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER quantity_rules_truncate_changes AFTER TRUNCATE ON quantity_rules
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER categories_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER categories_truncate_changes AFTER TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER category_names_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON category_names
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER category_names_truncate_changes AFTER TRUNCATE ON category_names
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER attribute_value_names_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON attribute_value_names
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER attribute_value_names_truncate_changes AFTER TRUNCATE ON attribute_value_names
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER price_lists_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON price_lists
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER price_lists_truncate_changes AFTER TRUNCATE ON price_lists
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER catalogs_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON catalogs
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER catalogs_truncate_changes AFTER TRUNCATE ON catalogs
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER catalog_assignments_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON catalog_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER catalog_assignments_truncate_changes AFTER TRUNCATE ON catalog_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER price_list_assignments_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON price_list_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER price_list_assignments_truncate_changes AFTER TRUNCATE ON price_list_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER warehouses_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON warehouses
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER warehouses_truncate_changes AFTER TRUNCATE ON warehouses
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER companies_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER companies_truncate_changes AFTER TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER locations_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER locations_truncate_changes AFTER TRUNCATE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER roles_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER roles_truncate_changes AFTER TRUNCATE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER role_permissions_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER role_permissions_truncate_changes AFTER TRUNCATE ON role_permissions
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER members_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON members
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER members_truncate_changes AFTER TRUNCATE ON members
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
CREATE TRIGGER member_locations_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON member_locations
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER member_locations_truncate_changes AFTER TRUNCATE ON member_locations
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
