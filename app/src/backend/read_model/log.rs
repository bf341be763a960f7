//! The change log: triggers (migrations/*/…_changes.sql) write `changes(seq, topic, entity_id)` for
//! every change to the catalog, prices, stock and the company directory and bump
//! `change_head.seq` in the same transaction. This file is its SQL: read the head and the rows
//! since a seq, mute the triggers around a bulk load, prune.

use sqlx::{Any, AnyPool, Transaction};

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
    /// Search synonyms (applied at query time: the index stays, the set reloads).
    Synonym,
    /// Everything (after a bulk load that muted the triggers).
    Full,
}

impl Topic {
    pub fn parse(raw: &str) -> Topic {
        match raw {
            "stock" => Topic::Stock,
            "product" => Topic::Product,
            "variant" => Topic::Variant,
            "meta" => Topic::Meta,
            "directory" => Topic::Directory,
            "synonym" => Topic::Synonym,
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
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT seq, topic, entity_id FROM changes WHERE seq > $1 ORDER BY seq")
            .bind(seq)
            .fetch_all(pool)
            .await?;
    // Read after the rows: a prune that committed before or while they were read shows here.
    let (pruned_through,): (i64,) =
        sqlx::query_as("SELECT pruned_through FROM change_head WHERE id = 1").fetch_one(pool).await?;
    if seq < pruned_through {
        return Ok(None);
    }
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
