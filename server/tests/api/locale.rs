//! The request's locale: saved choice > cookie > Accept-Language > en, written as <html lang dir>.

use crate::helpers::*;

fn html_tag(html: &str) -> &str {
    let start = html.find("<html").expect("an <html> tag");
    let end = html[start..].find('>').unwrap();
    &html[start..start + end]
}

#[tokio::test]
async fn accept_language_picks_the_login_page_language() {
    let app = spawn_app().await;
    let ja = app.get_page_with("/login", &[("accept-language", "ja,en;q=0.5")]).await.text().await.unwrap();
    assert!(html_tag(&ja).contains("lang=\"ja\""), "{}", html_tag(&ja));
    assert!(html_tag(&ja).contains("dir=\"ltr\""));
    assert!(ja.contains("ログイン") || ja.contains("サインイン"), "Japanese sign-in text");

    let unknown = app.get_page_with("/login", &[("accept-language", "xx-YY, *;q=0.1")]).await.text().await.unwrap();
    assert!(html_tag(&unknown).contains("lang=\"en\""));
    assert!(unknown.contains("Sign in"));
}

#[tokio::test]
async fn the_cookie_beats_accept_language_and_arabic_is_right_to_left() {
    let app = spawn_app().await;
    let html = app
        .get_page_with("/login", &[("accept-language", "de"), ("cookie", "portal_locale=ar")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html_tag(&html).contains("lang=\"ar\""));
    assert!(html_tag(&html).contains("dir=\"rtl\""));
    let bogus = app.get_page_with("/login", &[("cookie", "portal_locale=%ff%fe")]).await;
    assert_eq!(bogus.status(), 200);
}

#[tokio::test]
async fn the_members_saved_choice_beats_everything() {
    let app = spawn_app().await;
    app.login_as("omar@bayt.example").await;
    let html = app.get_page_with("/catalog", &[("accept-language", "en")]).await.text().await.unwrap();
    assert!(html_tag(&html).contains("lang=\"ar\"") && html_tag(&html).contains("dir=\"rtl\""), "{}", html_tag(&html));
    assert!(html.contains("Bayt Al Tijara"));
}

#[tokio::test]
async fn switching_language_is_saved_for_the_member() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let response = app.submit_form("prefs/set_locale", &[("locale", "fr")], "/orders").await;
    assert_eq!(response.status(), 302);
    // Leptos sends the browser back to the Referer (it may append an empty query: "/orders?").
    assert!(location(&response).trim_end_matches('?').ends_with("/orders"), "{}", location(&response));
    let html = app.get_page("/orders").await.text().await.unwrap();
    assert!(html_tag(&html).contains("lang=\"fr\""));
    let (saved,): (Option<String>,) = sqlx::query_as("SELECT locale FROM users WHERE email = 'buyer@acme.example'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(saved.as_deref(), Some("fr"));
}

#[tokio::test]
async fn an_unknown_language_is_refused_with_a_clear_error() {
    let app = spawn_app().await;
    let response = app.call("prefs/set_locale", &[("locale", "klingon")]).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"][0]["key"], "prefs.locale.unknown");
}
