-- Search, as the merchant tunes it: synonyms per language, and what buyers searched for and did
-- not find. Kept in step with ../postgres/20261204000001_search.sql: same tables, columns and
-- names; only the id column syntax differs.

-- A synonym, applied when a buyer searching in `language` types it. kind 'one_way': `term` (a
-- word or phrase buyers type, e.g. 'ss') also finds `synonyms` ('stainless steel'), not the
-- other way round. kind 'equivalent': `term` is '' and any word of `synonyms` ('bolt, screw')
-- finds all of them. `synonyms` is a comma-separated list, each entry a word or a phrase.
CREATE TABLE search_synonyms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    language    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    term        TEXT NOT NULL,
    synonyms    TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX search_synonyms_language_idx ON search_synonyms (language);

-- What buyers searched for on /search and did not find (zero_results) or searched again straight
-- from its results without opening one (refined), per day (UTC, YYYY-MM-DD) and language. Only
-- the query's text and counts: never who searched, nor their company.
CREATE TABLE search_misses (
    day          TEXT NOT NULL,
    language     TEXT NOT NULL,
    query        TEXT NOT NULL,
    zero_results BIGINT NOT NULL DEFAULT 0,
    refined      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, language, query)
);
