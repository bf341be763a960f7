-- Dialect-specific: the change-log triggers of search_synonyms.
-- Generated from BATCHES in app/src/backend/read_model/triggers.rs: change the list there, not here.

CREATE TRIGGER search_synonyms_changes AFTER INSERT OR UPDATE OR DELETE ON search_synonyms
    FOR EACH ROW EXECUTE FUNCTION record_change('synonym', '');

CREATE TRIGGER search_synonyms_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON search_synonyms
    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();
CREATE TRIGGER search_synonyms_truncate_changes AFTER TRUNCATE ON search_synonyms
    FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();
