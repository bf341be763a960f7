//! Following the change log. Triggers (migrations/*/…_changes.sql) write a row for every change to
//! the catalog, prices, stock and the company directory, and bump `change_head.seq`. Every app
//! server keeps a read model in memory (the catalog snapshot and the members' directory) and
//! reads the head with the session on every request; when it is behind, it reads the rows since,
//! reloads exactly what they name and only then answers. So a change made through any app server,
//! an import or plain SQL is visible on the very next request everywhere, and a page needs one
//! query (the session) instead of a dozen.

use super::catalog::store::Snapshot;
use super::db::DbKind;
use super::directory::Directory;
use super::directory::UserDirectory;
use crate::domain::ids::UserId;
use crate::error::AppError;
use sqlx::{Any, AnyPool, Transaction};
use std::sync::{Arc, RwLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Stock of one variant.
    Stock,
    /// A product, its texts, variants or catalog membership.
    Product,
    /// A variant's attributes, prices or quantity rules.
    Variant,
    /// Categories, attribute labels, price lists, catalogs and their assignments.
    Meta,
    /// Companies, locations, roles and members.
    Directory,
    /// Everything (after a bulk load that muted the triggers).
    Full,
}

impl Topic {
    fn parse(raw: &str) -> Topic {
        match raw {
            "stock" => Topic::Stock,
            "product" => Topic::Product,
            "variant" => Topic::Variant,
            "meta" => Topic::Meta,
            "directory" => Topic::Directory,
            // An unknown topic (a newer server wrote it) is safest as a full reload.
            _ => Topic::Full,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Change {
    pub seq: i64,
    pub topic: Topic,
    pub entity_id: i64,
}

pub async fn head(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    let (seq,): (i64,) = sqlx::query_as("SELECT seq FROM change_head WHERE id = 1").fetch_one(pool).await?;
    Ok(seq)
}

/// The changes after `seq`, or `None` when some of them were pruned (the reader reloads all).
pub async fn since(pool: &AnyPool, seq: i64) -> Result<Option<Vec<Change>>, sqlx::Error> {
    let (pruned_through,): (i64,) =
        sqlx::query_as("SELECT pruned_through FROM change_head WHERE id = 1").fetch_one(pool).await?;
    if seq < pruned_through {
        return Ok(None);
    }
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT seq, topic, entity_id FROM changes WHERE seq > $1 ORDER BY seq")
            .bind(seq)
            .fetch_all(pool)
            .await?;
    Ok(Some(
        rows.into_iter()
            .map(|(seq, topic, entity_id)| Change { seq, topic: Topic::parse(&topic), entity_id })
            .collect(),
    ))
}

/// Before a bulk load in `tx`: the triggers record nothing until `unmute_and_reload_all`.
pub async fn mute(tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE change_head SET muted = 1 WHERE id = 1").execute(&mut **tx).await?;
    Ok(())
}

/// After a bulk load in `tx`: one 'full' change tells every server to reload everything.
pub async fn unmute_and_reload_all(tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE change_head SET muted = 0, seq = seq + 1 WHERE id = 1").execute(&mut **tx).await?;
    sqlx::query("INSERT INTO changes (seq, topic, entity_id) SELECT seq, 'full', 0 FROM change_head WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Keeps the newest `keep` seqs of the log (run at start-up). A server that has applied less
/// than what was pruned reloads everything on its next request.
pub async fn prune(pool: &AnyPool, keep: i64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let (seq,): (i64,) = sqlx::query_as("SELECT seq FROM change_head WHERE id = 1").fetch_one(&mut *tx).await?;
    let through = seq - keep;
    if through > 0 {
        sqlx::query("UPDATE change_head SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1")
            .bind(through)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM changes WHERE seq <= $1").bind(through).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// The read model of one app server.
pub struct ReadModel {
    db: DbKind,
    catalog: RwLock<Arc<Snapshot>>,
    pub directory: Directory,
    /// One catch-up at a time; the others wait for it and then find the model current.
    catch_up: tokio::sync::Mutex<()>,
}

impl ReadModel {
    /// Loads everything (at start-up, before the first request).
    pub async fn load(pool: &AnyPool, db: DbKind) -> Result<ReadModel, AppError> {
        let seq = head(pool).await?;
        let snapshot = Snapshot::load(pool, db, seq).await?;
        Ok(ReadModel {
            db,
            catalog: RwLock::new(Arc::new(snapshot)),
            directory: Directory::new(seq),
            catch_up: tokio::sync::Mutex::new(()),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        self.catalog.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The catalog as of `head` (the seq the request read with its session) or later.
    pub async fn catalog(&self, pool: &AnyPool, head: i64) -> Result<Arc<Snapshot>, AppError> {
        let snapshot = self.current();
        if snapshot.seq >= head {
            return Ok(snapshot);
        }
        self.catch_up_to(pool, head).await
    }

    /// The user's memberships as of `head` or later.
    pub async fn user(&self, pool: &AnyPool, user: UserId, head: i64) -> Result<Arc<UserDirectory>, AppError> {
        self.catalog(pool, head).await?;
        Ok(self.directory.user(pool, user, head).await?)
    }

    async fn catch_up_to(&self, pool: &AnyPool, head: i64) -> Result<Arc<Snapshot>, AppError> {
        let _one_at_a_time = self.catch_up.lock().await;
        let snapshot = self.current();
        if snapshot.seq >= head {
            return Ok(snapshot);
        }
        let next = match since(pool, snapshot.seq).await? {
            Some(changes) if !changes.iter().any(|c| c.topic == Topic::Full) => {
                let seq = changes.last().map(|c| c.seq).unwrap_or(snapshot.seq).max(head);
                if let Some(last) = changes.iter().filter(|c| c.topic == Topic::Directory).map(|c| c.seq).max() {
                    self.directory.changed_at(last);
                }
                snapshot.apply(pool, &changes, seq).await?
            }
            _ => {
                let seq = self::head(pool).await?.max(head);
                tracing::info!("reloading the whole read model at seq {seq}");
                self.directory.changed_at(seq);
                Snapshot::load(pool, self.db, seq).await?
            }
        };
        let next = Arc::new(next);
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
        Ok(next)
    }
}
