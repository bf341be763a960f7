//! Demo synonyms (README): what a merchant teaches the search first. A German buyer typing
//! "Schraube" finds the catalog's compound words (Sechskantschraube, Holzschraube), and "SS" is
//! stainless steel in English. Loaded once: staff may remove them and a restart does not bring
//! them back.

use crate::backend::search::{repo, synonyms::Kind, synonyms::Synonym};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::AnyPool;

const SYNONYMS: [(Locale, Kind, &str, &[&str]); 3] = [
    (Locale::De, Kind::OneWay, "Schraube", &["Sechskantschraube", "Holzschraube"]),
    (Locale::En, Kind::OneWay, "SS", &["stainless steel"]),
    (Locale::Fr, Kind::Equivalent, "", &["inox", "acier inoxydable"]),
];

pub async fn load(pool: &AnyPool) -> Result<(), AppError> {
    let done: Option<(String,)> =
        sqlx::query_as("SELECT value FROM app_settings WHERE key = 'demo_synonyms'").fetch_optional(pool).await?;
    if done.is_some() {
        return Ok(());
    }
    let staff: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE is_staff = 1 ORDER BY id LIMIT 1").fetch_optional(pool).await?;
    let Some((staff,)) = staff else { return Ok(()) };
    let now = crate::backend::platform::clock::now();
    for (language, kind, term, synonyms) in SYNONYMS {
        let synonym = Synonym {
            id: 0,
            language,
            kind,
            term: term.to_string(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
        };
        repo::add_synonym(pool, &synonym, staff, now).await?;
    }
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ('demo_synonyms', 'loaded')").execute(pool).await?;
    Ok(())
}
