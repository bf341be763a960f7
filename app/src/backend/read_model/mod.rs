//! The read model of one app server: the catalog snapshot, the members' directory and the search
//! index, kept in memory and following the change log (`log`). Every app server reads the head
//! with the session on every request; when it is behind, it reads the rows since, reloads exactly
//! what they name and only then answers. So a change made through any app server, an import or
//! plain SQL is visible on the very next request everywhere, and a page needs one query (the
//! session) instead of a dozen.
//!
//! Arrows point one way: this module calls `catalog::store` (to build and patch the snapshot)
//! and `search` (to build and update the index); neither knows about the log or this module.

pub mod directory;
pub mod log;
pub mod triggers;

use super::catalog::store::{self, CatalogChanges, Snapshot};
use super::platform::db::DbKind;
use super::search::synonyms::Synonyms;
use super::search::SearchIndex;
use crate::domain::ids::UserId;
use crate::error::AppError;
use directory::{Directory, UserDirectory};
use log::{head, since, Change, Topic};
use sqlx::AnyPool;
use std::sync::{Arc, RwLock};

/// The read model of one app server.
pub struct ReadModel {
    db: DbKind,
    catalog: RwLock<Arc<Snapshot>>,
    search: RwLock<Arc<SearchIndex>>,
    synonyms: RwLock<Arc<Synonyms>>,
    pub directory: Directory,
    /// One catch-up at a time; the others wait for it and then find the model current.
    catch_up: tokio::sync::Mutex<()>,
}

impl ReadModel {
    /// Loads everything (at start-up, before the first request).
    pub async fn load(pool: &AnyPool, db: DbKind) -> Result<ReadModel, AppError> {
        let seq = head(pool).await?;
        let snapshot = Arc::new(Snapshot::load(pool, db, seq).await?);
        let search = build_search(pool, db, snapshot.clone()).await?;
        let synonyms = load_synonyms(pool).await?;
        Ok(ReadModel {
            db,
            catalog: RwLock::new(snapshot),
            search: RwLock::new(Arc::new(search)),
            synonyms: RwLock::new(Arc::new(synonyms)),
            directory: Directory::new(seq),
            catch_up: tokio::sync::Mutex::new(()),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        self.catalog.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The search index, as fresh as the catalog returned by `catalog` (call that first).
    pub fn search(&self) -> Arc<SearchIndex> {
        self.search.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The search synonyms, as fresh as the catalog returned by `catalog` (call that first).
    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.synonyms.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Catches up with the database without a request asking (the follower task).
    pub async fn refresh(&self, pool: &AnyPool) -> Result<(), AppError> {
        let head = head(pool).await?;
        self.catalog(pool, head).await.map(|_| ())
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
                if changes.iter().any(|c| c.topic == Topic::Synonym) {
                    self.set_synonyms(load_synonyms(pool).await?);
                }
                let (next, reloaded, meta_changed) = snapshot.apply(pool, &catalog_changes(&changes), seq).await?;
                let next = Arc::new(next);
                if meta_changed {
                    // Category names and labels are in every document: index everything again.
                    self.set_search(build_search(pool, self.db, next.clone()).await?);
                } else if !reloaded.is_empty() {
                    let descriptions = store::descriptions(pool, self.db, Some(&reloaded)).await?;
                    self.search().update(&next, &reloaded, &descriptions).map_err(search_error)?;
                }
                next
            }
            _ => {
                let seq = log::head(pool).await?.max(head);
                tracing::info!("reloading the whole read model at seq {seq}");
                self.directory.changed_at(seq);
                let next = Arc::new(Snapshot::load(pool, self.db, seq).await?);
                self.set_search(build_search(pool, self.db, next.clone()).await?);
                self.set_synonyms(load_synonyms(pool).await?);
                next
            }
        };
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = next.clone();
        Ok(next)
    }
}

fn search_error(e: tantivy::TantivyError) -> AppError {
    AppError::internal(format!("search index: {e}"))
}

impl ReadModel {
    fn set_search(&self, search: SearchIndex) {
        *self.search.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(search);
    }

    fn set_synonyms(&self, synonyms: Synonyms) {
        *self.synonyms.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(synonyms);
    }
}

/// Every language's synonym rules, from the database.
async fn load_synonyms(pool: &AnyPool) -> Result<Synonyms, AppError> {
    let rows = crate::backend::search::repo::synonyms(pool).await?;
    Ok(Synonyms::new(&rows, crate::backend::search::fold))
}

/// A new search index of `catalog` (descriptions read from the database).
pub async fn build_search(pool: &AnyPool, db: DbKind, catalog: Arc<Snapshot>) -> Result<SearchIndex, AppError> {
    let descriptions = store::descriptions(pool, db, None).await?;
    // Seconds of CPU at 100,000 SKUs: off the async workers, so other requests keep being served.
    tokio::task::spawn_blocking(move || SearchIndex::build(&catalog, &descriptions))
        .await
        .map_err(|e| AppError::internal(format!("search index build: {e}")))?
        .map_err(search_error)
}

/// Keeps the read model (and the search index) within half a second of the database even when no
/// request comes, so a change is searchable within a second on every app server.
pub async fn follow(read: Arc<ReadModel>, pool: AnyPool) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = read.refresh(&pool).await {
            tracing::warn!("following the change log: {e:?}");
        }
    }
}

/// The catalog's share of a run of log rows (directory and full changes are handled above).
fn catalog_changes(changes: &[Change]) -> CatalogChanges {
    let mut out = CatalogChanges::default();
    for c in changes {
        match c.topic {
            Topic::Stock => out.stock.push(c.entity_id),
            Topic::Product => out.products.push(c.entity_id),
            Topic::Variant => out.variants.push(c.entity_id),
            Topic::Meta => out.meta = true,
            Topic::Directory | Topic::Synonym | Topic::Full => {}
        }
    }
    out
}
