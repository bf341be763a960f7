//! Search's SQL: the synonyms staff write and the searches that found nothing.

use super::synonyms::{split_list, Kind, Synonym};
use crate::i18n::Locale;
use sqlx::AnyPool;

pub async fn synonyms(pool: &AnyPool) -> Result<Vec<Synonym>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT id, language, kind, term, synonyms FROM search_synonyms ORDER BY language, id")
            .fetch_all(pool)
            .await?;
    // A row a newer server wrote in a language or kind this one does not know is skipped.
    Ok(rows
        .into_iter()
        .filter_map(|(id, language, kind, term, synonyms)| {
            Some(Synonym {
                id,
                language: Locale::parse(&language)?,
                kind: Kind::parse(&kind)?,
                term,
                synonyms: split_list(&synonyms),
            })
        })
        .collect())
}

pub async fn add_synonym(pool: &AnyPool, s: &Synonym, by: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_synonyms (language, kind, term, synonyms, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.language.tag())
    .bind(s.kind.code())
    .bind(&s.term)
    .bind(s.synonyms.join(", "))
    .bind(by)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Removes one synonym; false when there was none.
pub async fn remove_synonym(pool: &AnyPool, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM search_synonyms WHERE id = $1").bind(id).execute(pool).await?.rows_affected() > 0)
}

/// Counts one search of `query` on `day`: `zero` when it found nothing, `refined` when the buyer
/// searched again straight from its results.
pub async fn count_miss(
    pool: &AnyPool,
    day: &str,
    language: Locale,
    query: &str,
    zero: bool,
    refined: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_misses (day, language, query, zero_results, refined) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day, language, query) DO UPDATE SET zero_results = search_misses.zero_results + excluded.zero_results, \
         refined = search_misses.refined + excluded.refined",
    )
    .bind(day)
    .bind(language.tag())
    .bind(query)
    .bind(i64::from(zero))
    .bind(i64::from(refined))
    .execute(pool)
    .await?;
    Ok(())
}

pub struct MissRow {
    pub language: String,
    pub query: String,
    pub zero_results: i64,
    pub refined: i64,
    pub last_day: String,
}

/// The queries that found nothing or were refined since `from_day` (inclusive), the most
/// frequent first.
pub async fn misses(pool: &AnyPool, from_day: &str, limit: i64) -> Result<Vec<MissRow>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT language, query, CAST(SUM(zero_results) AS BIGINT), CAST(SUM(refined) AS BIGINT), MAX(day) \
         FROM search_misses WHERE day >= $1 GROUP BY language, query \
         ORDER BY SUM(zero_results) + SUM(refined) DESC, MAX(day) DESC, query LIMIT $2",
    )
    .bind(from_day)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(language, query, zero_results, refined, last_day)| MissRow {
            language,
            query,
            zero_results,
            refined,
            last_day,
        })
        .collect())
}

/// How long missed searches are kept: the desk looks back 90 days at most.
pub const KEEP_MISSES_DAYS: i64 = 180;

/// Forgets missed searches older than `KEEP_MISSES_DAYS` (run at start-up).
pub async fn prune_misses(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let before = crate::domain::order::iso_date(now.div_euclid(86_400) - KEEP_MISSES_DAYS);
    sqlx::query("DELETE FROM search_misses WHERE day < $1").bind(before).execute(pool).await?;
    Ok(())
}
