//! Connecting to SQLite (the embedded default) or PostgreSQL, chosen by the URL at start-up, and
//! running the migrations for that backend. All queries go through sqlx's `Any` driver and are
//! written once for both: `$1` placeholders, BIGINT times, 0/1 booleans, `RETURNING id`.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn from_url(url: &str) -> Result<DbKind, String> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err("DATABASE_URL must start with sqlite: or postgres://".into())
        }
    }
}

pub async fn connect(url: &str, max_connections: u32) -> Result<(AnyPool, DbKind), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let kind = DbKind::from_url(url).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    if kind == DbKind::Sqlite {
        create_sqlite_parent_dir(url);
    }
    let options = AnyConnectOptions::from_str(url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        // Give back connections nobody used for a minute: with several app servers on one
        // PostgreSQL, idle ones would otherwise count against its connection limit.
        .idle_timeout(Some(std::time::Duration::from_secs(60)))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if kind == DbKind::Sqlite {
                    // WAL lets readers proceed while one writer commits; NORMAL sync is durable
                    // across application crashes (WAL) at a fraction of FULL's fsyncs.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    // INSERT OR REPLACE deletes the row it replaces; only with recursive triggers
                    // does that delete reach the change log.
                    conn.execute("PRAGMA recursive_triggers = ON").await?;
                    // Read through a memory map (no pread syscall per page). The page cache is
                    // modest: pages read from the in-memory read model, so the database mostly
                    // serves sessions, writes and the read model's reloads.
                    conn.execute("PRAGMA mmap_size = 1073741824").await?;
                    conn.execute("PRAGMA cache_size = -8192").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok((pool, kind))
}

pub async fn migrate(pool: &AnyPool, kind: DbKind) -> Result<(), sqlx::migrate::MigrateError> {
    match kind {
        DbKind::Sqlite => sqlx::migrate!("../migrations/sqlite").run(pool).await,
        DbKind::Postgres => sqlx::migrate!("../migrations/postgres").run(pool).await,
    }
}

/// `sqlite://data/portal.db?mode=rwc` needs `data/` to exist.
fn create_sqlite_parent_dir(url: &str) {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:").split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
}

/// A unique constraint refused the write, on either backend.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.message().contains("UNIQUE constraint failed")
                || db.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    /// The two migration folders must describe the same schema; only the id column differs.
    #[test]
    fn postgres_migrations_match_sqlite_ones() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let mut names: Vec<_> = std::fs::read_dir(format!("{root}/sqlite"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert!(!names.is_empty());
        for name in names {
            let sqlite = std::fs::read_to_string(format!("{root}/sqlite/{name}")).unwrap();
            let postgres = std::fs::read_to_string(format!("{root}/postgres/{name}"))
                .unwrap_or_else(|_| panic!("migrations/postgres/{name} is missing"));
            // A dialect-specific file (triggers) must agree on its tables: everything before the
            // first trigger or function is the same in both.
            if sqlite.contains("-- Dialect-specific:") {
                let tables = |sql: &str, other: &str| {
                    let end = ["\nCREATE TRIGGER", "\n-- TG_ARGV", "\nCREATE FUNCTION"]
                        .iter()
                        .filter_map(|m| sql.find(m))
                        .min()
                        .unwrap_or(sql.len());
                    sql[..end].replace(other, "OTHER").trim_end().to_string()
                };
                assert_eq!(
                    tables(&sqlite, "../postgres/"),
                    tables(&postgres, "../sqlite/"),
                    "{name}: the tables drifted"
                );
                continue;
            }
            let translated = sqlite
                .replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                // Bytes (quote attachments): BLOB in SQLite, BYTEA in PostgreSQL.
                .replace("BLOB NOT NULL", "BYTEA NOT NULL")
                .replace("Kept in step with ../postgres/", "Kept in step with ../sqlite/");
            assert_eq!(translated, postgres, "{name}: the postgres migration drifted from sqlite");
        }
    }
}
