-- Dialect-specific: the change-log triggers of search_synonyms.
-- Generated from BATCHES in app/src/backend/read_model/triggers.rs: change the list there, not here.

CREATE TRIGGER search_synonyms_insert_changes AFTER INSERT ON search_synonyms
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'synonym', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER search_synonyms_update_changes AFTER UPDATE ON search_synonyms
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'synonym', 0 FROM change_head WHERE id = 1;
END;

CREATE TRIGGER search_synonyms_delete_changes AFTER DELETE ON search_synonyms
WHEN (SELECT muted FROM change_head WHERE id = 1) = 0
BEGIN
    UPDATE change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'synonym', 0 FROM change_head WHERE id = 1;
END;
