//! Hardening: the security headers and the page's script nonce, HSTS behind TLS, readiness.
//! (Every request any test makes checks the headers too: `helpers::checked`.)

use crate::helpers::*;
use app::backend::platform::state::AuthSettings;

#[tokio::test]
async fn a_page_runs_only_scripts_carrying_this_responses_nonce() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let mut nonces = vec![];
    for _ in 0..2 {
        let page = app.get_page("/quick-order").await;
        assert_eq!(page.status(), 200);
        let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
        let nonce = policy.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap().to_string();
        let html = page.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            html.matches(&format!("<script type=\"module\" nonce=\"{nonce}\"")).count()
                + html.matches(&format!("<script nonce=\"{nonce}\"")).count(),
            scripts,
            "every script carries the nonce: {html}"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is never reused");
    // Strict-Transport-Security only when the portal is served over TLS.
    assert!(app.get_page("/login").await.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn behind_tls_every_response_asks_for_https_from_now_on() {
    let app = spawn_app_with(AuthSettings { secure_cookies: true, ..AuthSettings::default() }).await;
    for path in ["/login", "/health", "/api/session/shell", "/no-such-page"] {
        let response = app.get_page(path).await;
        let hsts = response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"), "{path}");
    }
}

#[tokio::test]
async fn ready_means_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get_page("/ready").await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().starts_with("ready"));
    assert_eq!(app.get_page("/health").await.status(), 200);
}
