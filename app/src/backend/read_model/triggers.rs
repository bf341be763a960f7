//! The change-log triggers, generated from one list of tracked tables ([`BATCHES`]).
//!
//! Every insert, update and delete on a tracked table writes a `changes(seq, topic, entity_id)`
//! row and bumps `change_head.seq` in the same transaction (`read_model/log.rs`; ARCHITECTURE.md, "The
//! read model and the change log"). The triggers in `migrations/*/` are not written by hand: the
//! test `checked_in_triggers_are_generated` fails when a migration's triggers differ from this
//! list, and rewrites them when run with `REGENERATE=1`.
//!
//! What is generated: in each migration file a batch names, everything from the first line that
//! starts with `CREATE TRIGGER` to the end of the file. Everything before it (comments, tables,
//! the PostgreSQL trigger functions `record_change`, `lock_change_head` and `record_truncate`) is
//! written by hand and kept as it is. Per table:
//! * SQLite: `<table>_{insert,update,delete}_changes`, skipped while `change_head.muted` is set; an
//!   update that moves a row to another key records the old key too.
//! * PostgreSQL: `<table>_changes` (one row trigger calling `record_change(topic, key column)`),
//!   `<table>_lock_change_head` (takes the change_head lock before the statement locks any row of
//!   its own) and `<table>_truncate_changes` (TRUNCATE records a `full` change).
//!
//! The checked-in files are byte-for-byte what this module generates: sqlx stores a checksum of
//! every applied migration and refuses to start when an applied file changes, so the existing
//! files must never change and the test proves that the list still describes them.
//!
//! # Adding a tracked table (quotes, invoices…)
//! 1. Create the table in its own migration as usual (the same text in both folders).
//! 2. Append a NEW [`Batch`] to [`BATCHES`] naming a new migration, later than every existing one
//!    (e.g. `20270115000002_quote_changes`), with one line per table: [`Tracked::keyed`] when a
//!    write names one entity (topic `stock` or `variant` keyed by a variant id column, `product`
//!    by a product id column), [`Tracked::whole`] for `meta` and `directory` (entity 0: that part
//!    of the read model reloads). Never add a line to an existing batch: its migration has run on
//!    deployed databases, and rewriting it would change its checksum (and never run again anyway).
//! 3. Run `REGENERATE=1 cargo test -p app --features ssr read_model::triggers`. It creates
//!    `migrations/sqlite/<name>.sql` and `migrations/postgres/<name>.sql`: the same
//!    `-- Dialect-specific:` comment in both (which the compare test in `db.rs` requires), then
//!    the triggers (on PostgreSQL the row, lock and TRUNCATE triggers together). Edit the comment
//!    freely; regenerating keeps it. Run the test again without `REGENERATE`: it passes, and an
//!    already-deployed database gets the triggers when it applies the new migration at start-up
//!    (`build.rs` reruns when `migrations/` changes, so `sqlx::migrate!` embeds the new file).
//! 4. A new topic also needs `changes::Topic` and the read model to handle it (an unknown topic
//!    reloads everything), and the topic test below to know it.
//!
//! To get only the SQL for some tables (to read it, or to paste it at the END of a migration that
//! does something else too), call [`sqlite_triggers`] or [`postgres_triggers`] with them; the
//! migration still belongs in [`BATCHES`] so the test keeps checking it.
//!
//! To stop tracking a table or change its topic or key, do not edit its line (that rewrites an
//! applied migration): write a migration that drops its triggers (names above) and, for a change,
//! add the table again in a new batch (then the table appears in two batches: say why in a
//! comment, and relax the uniqueness test for it).

/// One tracked table: what a write to it tells the read model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tracked {
    pub table: &'static str,
    /// `changes.topic`: `stock`, `product`, `variant`, `meta`, `directory` or `synonym`.
    pub topic: &'static str,
    /// The column holding `changes.entity_id`; `None` records entity 0.
    pub key: Option<&'static str>,
}

impl Tracked {
    /// A write names one entity: the value of `key` in the new row (and the old one when it moved).
    pub const fn keyed(table: &'static str, topic: &'static str, key: &'static str) -> Tracked {
        Tracked { table, topic, key: Some(key) }
    }

    /// A write reloads the whole topic (`entity_id` 0).
    pub const fn whole(table: &'static str, topic: &'static str) -> Tracked {
        Tracked { table, topic, key: None }
    }
}

/// The tables whose triggers one migration creates.
#[derive(Clone, Copy, Debug)]
pub struct Batch {
    /// The migration's file name without `.sql`, the same in `migrations/sqlite` and
    /// `migrations/postgres`.
    pub migration: &'static str,
    /// The PostgreSQL migration holding the lock and TRUNCATE triggers when it is not `migration`
    /// itself. Only the first batch: those triggers were added a migration later
    /// (20261123000004_change_log_locks, which fixed a deadlock); new batches use `None`.
    pub postgres_locks_in: Option<&'static str>,
    pub tables: &'static [Tracked],
}

/// Every tracked table, by the migration that created its triggers. Append; never edit an
/// existing batch (see the module docs).
pub const BATCHES: &[Batch] = &[
    Batch {
        migration: "20261123000003_changes",
        postgres_locks_in: Some("20261123000004_change_log_locks"),
        tables: &[
            Tracked::keyed("stock", "stock", "variant_id"),
            Tracked::keyed("products", "product", "id"),
            Tracked::keyed("product_texts", "product", "product_id"),
            Tracked::keyed("catalog_products", "product", "product_id"),
            Tracked::keyed("variants", "product", "product_id"),
            Tracked::keyed("variant_attributes", "variant", "variant_id"),
            Tracked::keyed("prices", "variant", "variant_id"),
            Tracked::keyed("quantity_rules", "variant", "variant_id"),
            Tracked::whole("categories", "meta"),
            Tracked::whole("category_names", "meta"),
            Tracked::whole("attribute_value_names", "meta"),
            Tracked::whole("price_lists", "meta"),
            Tracked::whole("catalogs", "meta"),
            Tracked::whole("catalog_assignments", "meta"),
            Tracked::whole("price_list_assignments", "meta"),
            Tracked::whole("warehouses", "meta"),
            Tracked::whole("companies", "directory"),
            Tracked::whole("locations", "directory"),
            Tracked::whole("roles", "directory"),
            Tracked::whole("role_permissions", "directory"),
            Tracked::whole("members", "directory"),
            Tracked::whole("member_locations", "directory"),
        ],
    },
    Batch {
        migration: "20261204000002_search_changes",
        postgres_locks_in: None,
        tables: &[Tracked::whole("search_synonyms", "synonym")],
    },
];

/// SQLite: three triggers per table, separated by blank lines.
pub fn sqlite_triggers(tables: &[Tracked]) -> String {
    let mut blocks = Vec::new();
    for t in tables {
        let (table, topic) = (t.table, t.topic);
        let row = |entity: &str, when: &str| {
            format!(
                "    INSERT INTO changes (seq, topic, entity_id) SELECT seq, '{topic}', {entity} FROM change_head WHERE id = 1{when};\n"
            )
        };
        let (new, old) = match t.key {
            Some(key) => (format!("NEW.{key}"), format!("OLD.{key}")),
            None => ("0".to_string(), "0".to_string()),
        };
        for (op, upper) in [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")] {
            let mut block = format!(
                "CREATE TRIGGER {table}_{op}_changes AFTER {upper} ON {table}\n\
                 WHEN (SELECT muted FROM change_head WHERE id = 1) = 0\n\
                 BEGIN\n    UPDATE change_head SET seq = seq + 1 WHERE id = 1;\n"
            );
            match op {
                "insert" => block += &row(&new, ""),
                "delete" => block += &row(&old, ""),
                _ => {
                    block += &row(&new, "");
                    if t.key.is_some() {
                        block += &row(&old, &format!(" AND {old} <> {new}"));
                    }
                }
            }
            block += "END;\n";
            blocks.push(block);
        }
    }
    blocks.join("\n")
}

/// PostgreSQL: the row trigger of each table (`record_change` is defined in 20261123000003).
pub fn postgres_row_triggers(tables: &[Tracked]) -> String {
    tables
        .iter()
        .map(|t| {
            format!(
                "CREATE TRIGGER {table}_changes AFTER INSERT OR UPDATE OR DELETE ON {table}\n    \
                 FOR EACH ROW EXECUTE FUNCTION record_change('{topic}', '{key}');\n",
                table = t.table,
                topic = t.topic,
                key = t.key.unwrap_or("")
            )
        })
        .collect()
}

/// PostgreSQL: the lock and TRUNCATE triggers of each table (`lock_change_head` and
/// `record_truncate` are defined in 20261123000004).
pub fn postgres_lock_triggers(tables: &[Tracked]) -> String {
    tables
        .iter()
        .map(|t| {
            format!(
                "CREATE TRIGGER {table}_lock_change_head BEFORE INSERT OR UPDATE OR DELETE ON {table}\n    \
                 FOR EACH STATEMENT EXECUTE FUNCTION lock_change_head();\n\
                 CREATE TRIGGER {table}_truncate_changes AFTER TRUNCATE ON {table}\n    \
                 FOR EACH STATEMENT EXECUTE FUNCTION record_truncate();\n",
                table = t.table
            )
        })
        .collect()
}

/// PostgreSQL: everything a new table needs (row, lock and TRUNCATE triggers).
pub fn postgres_triggers(tables: &[Tracked]) -> String {
    format!("{}\n{}", postgres_row_triggers(tables), postgres_lock_triggers(tables))
}

/// Each generated file (relative to `migrations/`), the comment it starts with if it has to be
/// created, and the trigger text it must end with.
pub fn generated_files() -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    for batch in BATCHES {
        let (name, head) = (batch.migration, new_file_head(batch));
        let mut add = |file: String, triggers: String| files.push((file, head.clone(), triggers));
        add(format!("sqlite/{name}.sql"), sqlite_triggers(batch.tables));
        match batch.postgres_locks_in {
            None => add(format!("postgres/{name}.sql"), postgres_triggers(batch.tables)),
            Some(locks) => {
                add(format!("postgres/{name}.sql"), postgres_row_triggers(batch.tables));
                add(format!("postgres/{locks}.sql"), postgres_lock_triggers(batch.tables));
            }
        }
    }
    files
}

/// The hand-written part of a migration (before its first line starting `CREATE TRIGGER`) and
/// the generated rest.
pub fn split_generated(sql: &str) -> (&str, &str) {
    let start = if sql.starts_with("CREATE TRIGGER") { Some(0) } else { sql.find("\nCREATE TRIGGER").map(|i| i + 1) };
    sql.split_at(start.unwrap_or(sql.len()))
}

/// The comment a new generated migration starts with: the same in both folders, as the compare
/// test in `db.rs` wants of a dialect-specific file.
fn new_file_head(batch: &Batch) -> String {
    let tables: Vec<_> = batch.tables.iter().map(|t| t.table).collect();
    format!(
        "-- Dialect-specific: the change-log triggers of {}.\n\
         -- Generated from BATCHES in app/src/backend/read_model/triggers.rs: change the list there, not here.\n\n",
        tables.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const REGENERATE: &str = "REGENERATE=1 cargo test -p app --features ssr read_model::triggers";

    /// The checked-in triggers are exactly what the list generates. With `REGENERATE=1` the
    /// generated part of each file is rewritten (and a new batch's files are created) instead.
    #[test]
    fn checked_in_triggers_are_generated() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let regenerate = std::env::var("REGENERATE").is_ok_and(|v| v == "1");
        let mut stale = Vec::new();
        for (file, new_head, triggers) in generated_files() {
            let path = format!("{root}/{file}");
            let current = std::fs::read_to_string(&path).ok();
            let head = current.as_deref().map_or(new_head.as_str(), |sql| split_generated(sql).0);
            let want = format!("{head}{triggers}");
            if current.as_deref() == Some(want.as_str()) {
                continue;
            }
            if regenerate {
                std::fs::write(&path, &want).unwrap();
                eprintln!("regenerated migrations/{file}");
                continue;
            }
            let Some(current) = current else {
                stale.push(format!("migrations/{file} is missing"));
                continue;
            };
            let line = current.lines().zip(want.lines()).position(|(a, b)| a != b);
            let at = line.unwrap_or(current.lines().count().min(want.lines().count()));
            stale.push(format!(
                "migrations/{file} differs at line {}:\n  file:      {:?}\n  generated: {:?}",
                at + 1,
                current.lines().nth(at).unwrap_or("<end of file>"),
                want.lines().nth(at).unwrap_or("<end of file>"),
            ));
        }
        assert!(
            stale.is_empty(),
            "{}\nIf the list is right and the migration is new, run `{REGENERATE}`. Never regenerate \
             a migration that has been applied somewhere (see read_model/triggers.rs).",
            stale.join("\n")
        );
    }

    #[test]
    fn every_table_is_tracked_once_with_a_topic_the_read_model_knows() {
        let mut seen = HashSet::new();
        for batch in BATCHES {
            for t in batch.tables {
                assert!(seen.insert(t.table), "{} is tracked twice", t.table);
                match t.key {
                    Some(_) => assert!(
                        ["stock", "product", "variant"].contains(&t.topic),
                        "{}: topic {} names no entity",
                        t.table,
                        t.topic
                    ),
                    None => {
                        assert!(
                            ["meta", "directory", "synonym"].contains(&t.topic),
                            "{}: topic {} needs a key",
                            t.table,
                            t.topic
                        )
                    }
                }
            }
        }
        assert_eq!(BATCHES[0].tables.len() * 3, 66, "the 66 SQLite triggers of 20261123000003");
        let names: Vec<_> = BATCHES.iter().map(|b| b.migration).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "batches are appended in migration order");
        assert!(BATCHES.iter().skip(1).all(|b| b.postgres_locks_in.is_none()), "only the first batch splits");
    }

    /// The path a new table takes: its generated SQLite triggers run on a migrated database and
    /// record inserts, moves, deletes and nothing while muted.
    #[tokio::test]
    async fn generated_triggers_work_for_a_new_table() {
        use sqlx::Row;
        let (pool, kind) = crate::backend::platform::db::connect("sqlite::memory:", 1).await.unwrap();
        crate::backend::platform::db::migrate(&pool, kind).await.unwrap();
        sqlx::query("CREATE TABLE example_lines (id INTEGER PRIMARY KEY, product_id BIGINT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let base: i64 = sqlx::query("SELECT seq FROM change_head WHERE id = 1").fetch_one(&pool).await.unwrap().get(0);
        let tables = [Tracked::keyed("example_lines", "product", "product_id")];
        sqlx::raw_sql(&sqlite_triggers(&tables)).execute(&pool).await.unwrap();
        for sql in [
            "INSERT INTO example_lines (id, product_id) VALUES (1, 10)",
            "UPDATE example_lines SET product_id = 11 WHERE id = 1",
            "UPDATE change_head SET muted = 1 WHERE id = 1",
            "UPDATE example_lines SET product_id = 12 WHERE id = 1",
            "UPDATE change_head SET muted = 0 WHERE id = 1",
            "DELETE FROM example_lines WHERE id = 1",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        let rows: Vec<(i64, String, i64)> =
            sqlx::query("SELECT seq - $1, topic, entity_id FROM changes WHERE seq > $1 ORDER BY seq, entity_id DESC")
                .bind(base)
                .fetch_all(&pool)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
        let p = |seq, id| (seq, "product".to_string(), id);
        assert_eq!(rows, [p(1, 10), p(2, 11), p(2, 10), p(3, 12)]);
    }
}
