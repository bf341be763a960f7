//! Password hashing with argon2id (OWASP parameters: 19 MiB, 2 passes). Hashing is deliberately
//! slow, so it runs on the blocking pool and never stalls the async threads serving other buyers.

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// True when `password` matches `stored`. A malformed stored hash counts as no match (and is
/// logged), never as a crash.
pub async fn verify(stored: String, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&stored) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(e) => {
            tracing::error!("unparseable password hash in users table: {e}");
            false
        }
    })
    .await
    .map_err(AppError::internal)
}

/// A valid hash of a random password: verified against when the email is unknown, so a wrong
/// email takes as long as a wrong password and timing does not reveal who has an account.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        let random: [u8; 16] = rand::random();
        argon2().hash_password(&random, &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("portal-demo-2026".into()).await.unwrap();
        let b = hash("portal-demo-2026".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify(a.clone(), "portal-demo-2026".into()).await.unwrap());
        assert!(!verify(a, "portal-demo-2027".into()).await.unwrap());
        assert!(!verify("not a hash".into(), "x".into()).await.unwrap());
    }
}
