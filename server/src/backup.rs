//! `server backup <file>`: an online copy of the SQLite database while the portal keeps serving
//! (SQLite's `VACUUM INTO` reads one consistent snapshot under WAL; writers are not blocked). The
//! copy is a complete database: to restore, stop the portal and point `DATABASE_URL` at it (or
//! copy it over the old file). PostgreSQL deployments use `pg_dump`, which does the same there.

use app::backend::platform::db::{self, DbKind};
use std::path::Path;

pub async fn run(database_url: &str, target: &Path) -> Result<u64, String> {
    if target.exists() {
        return Err(format!("{} exists already: a backup never overwrites a file", target.display()));
    }
    let (pool, kind) = db::connect(database_url, 1).await.map_err(|e| format!("cannot open the database: {e}"))?;
    if kind != DbKind::Sqlite {
        return Err("this database is PostgreSQL: back it up with pg_dump".into());
    }
    let path = target.to_str().ok_or("the backup path is not valid UTF-8")?;
    sqlx::query("VACUUM INTO $1").bind(path).execute(&pool).await.map_err(|e| format!("backup failed: {e}"))?;
    pool.close().await;
    std::fs::metadata(target).map(|m| m.len()).map_err(|e| format!("backup written but not readable: {e}"))
}
