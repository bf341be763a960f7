use crate::helpers::*;
use app::backend::platform::state::AuthSettings;

#[tokio::test]
async fn login_with_the_demo_password_sets_an_http_only_lax_session_cookie() {
    let app = spawn_app().await;
    let response = app.login("buyer@acme.example", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = set_cookies(&response).into_iter().find(|c| c.starts_with("portal_session=")).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain-HTTP demo must not mark the cookie Secure: {cookie}");
    // The hydrated app is told where to go next.
    let next: String = response.json().await.unwrap();
    assert_eq!(next, "/catalog");

    let page = app.get_page("/catalog").await;
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn email_is_case_and_space_insensitive() {
    let app = spawn_app().await;
    assert_eq!(app.login("  Buyer@ACME.example ", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn secure_cookie_when_served_over_tls() {
    let app = spawn_app_with(AuthSettings { secure_cookies: true, ..Default::default() }).await;
    let response = app.login("buyer@acme.example", PASSWORD).await;
    assert!(set_cookies(&response).iter().any(|c| c.starts_with("portal_session=") && c.contains("Secure")));
}

#[tokio::test]
async fn wrong_password_is_422_with_the_translatable_reason_and_no_session() {
    let app = spawn_app().await;
    let response = app.login("buyer@acme.example", "wrong-password").await;
    assert_eq!(response.status(), 422);
    assert!(set_cookies(&response).iter().all(|c| !c.starts_with("portal_session=")));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"][0]["key"], "auth.login.invalid");
    // An unknown account gets exactly the same answer (no account oracle).
    let unknown = app.login("nobody@acme.example", "wrong-password").await;
    assert_eq!(unknown.status(), 422);
    let unknown: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(unknown, body);
}

#[tokio::test]
async fn without_javascript_a_wrong_password_returns_to_the_form_with_the_email_kept() {
    let app = spawn_app().await;
    let response = app
        .submit_form(
            "auth/login",
            &[("email", "buyer@acme.example"), ("password", "nope"), ("next", "/orders")],
            "/login?next=%2Forders",
        )
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/login?next=/orders&email=buyer%40acme.example&error=invalid");
    let page = app.get_page(&location(&response)).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("value=\"buyer@acme.example\""), "email kept in the field");
    assert!(html.contains("The email or password is incorrect"), "translated reason shown");
}

#[tokio::test]
async fn without_javascript_a_good_login_redirects_to_the_requested_page() {
    let app = spawn_app().await;
    let response = app
        .submit_form(
            "auth/login",
            &[("email", "buyer@acme.example"), ("password", PASSWORD), ("next", "/orders?status=open")],
            "/login",
        )
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/orders?status=open");
}

#[tokio::test]
async fn return_path_never_leaves_the_site() {
    let app = spawn_app().await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"] {
        let response = app
            .submit_form(
                "auth/login",
                &[("email", "buyer@acme.example"), ("password", PASSWORD), ("next", next)],
                "/login",
            )
            .await;
        assert_eq!(location(&response), "/catalog", "next={next}");
    }
}

#[tokio::test]
async fn account_is_locked_after_five_failures_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login("buyer@acme.example", "wrong").await.status(), 422);
    }
    let response = app.login("buyer@acme.example", PASSWORD).await;
    assert_eq!(response.status(), 429);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["RateLimited"]["retry_after_minutes"], 15);
    // Other accounts are not locked by someone guessing this one.
    assert_eq!(app.login("admin@acme.example", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn an_ip_guessing_many_accounts_is_limited() {
    let app = spawn_app_with(AuthSettings { max_failures_per_ip: 3, ..Default::default() }).await;
    for email in ["a@x.example", "b@x.example", "c@x.example"] {
        assert_eq!(app.login(email, "wrong").await.status(), 422);
    }
    assert_eq!(app.login("buyer@acme.example", PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn rate_limit_message_is_translated_without_javascript() {
    let app = spawn_app().await;
    for _ in 0..5 {
        app.login("kenji@kanto.example", "wrong").await;
    }
    let response =
        app.submit_form("auth/login", &[("email", "kenji@kanto.example"), ("password", PASSWORD)], "/login").await;
    assert_eq!(location(&response), "/login?next=/catalog&email=kenji%40kanto.example&error=rate_limited&minutes=15");
    let html = app.get_page_with(&location(&response), &[("accept-language", "ja")]).await.text().await.unwrap();
    assert!(html.contains("15"), "minutes shown");
    assert!(!html.contains("Too many failed sign-in attempts"), "shown in Japanese, not English");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_so_a_copied_cookie_is_dead() {
    let app = spawn_app().await;
    let response = app.login("buyer@acme.example", PASSWORD).await;
    let cookie = set_cookies(&response).into_iter().find(|c| c.starts_with("portal_session=")).unwrap();
    let token = cookie.split(';').next().unwrap().to_string();

    let out = app.logout().await;
    assert!(out.status().is_success());
    assert!(set_cookies(&out).iter().any(|c| c.starts_with("portal_session=;") && c.contains("Max-Age=0")));

    // Replaying the old cookie by hand (as an attacker with a copy would) gets nothing.
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page =
        replay.get(app.url("/catalog")).header("cookie", &token).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 303);
    let shell = replay
        .post(app.url("/api/session/shell"))
        .header("cookie", &token)
        .header("origin", app.address.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(shell.status(), 401);
}

#[tokio::test]
async fn malformed_stale_or_forged_session_cookies_count_as_signed_out() {
    let app = spawn_app().await;
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let stale = format!("portal_session={}", "a".repeat(64));
    for cookie in
        ["portal_session=garbage", "portal_session=", stale.as_str(), "portal_session=%00%0d%0a", "portal_session"]
    {
        let page =
            plain.get(app.url("/orders")).header("cookie", cookie).header("accept", "text/html").send().await.unwrap();
        assert_eq!(page.status(), 303, "{cookie}");
        assert_eq!(location(&page), "/login?next=/orders");
    }
}

#[tokio::test]
async fn every_protected_route_without_a_session_goes_to_login_and_back() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/catalog",
        "/quick-order",
        "/cart",
        "/orders",
        "/quotes",
        "/team",
        "/invoices",
        "/no-such-page",
        "/orders?status=open",
    ] {
        let response = app.get_page(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let expected = format!("/login?next={}", app::url::encode_component(path));
        assert_eq!(location(&response), expected, "{path}");
    }
    assert_eq!(app.get_page("/login").await.status(), 200);
}

#[tokio::test]
async fn server_functions_without_a_session_answer_401() {
    let app = spawn_app().await;
    for (endpoint, form) in [
        ("session/shell", vec![]),
        ("team/members", vec![]),
        ("team/company", vec![("id", "1")]),
        ("team/location", vec![("id", "1")]),
        ("team/member", vec![("id", "1")]),
        ("session/switch_company", vec![("company_id", "1")]),
    ] {
        let response = app.call(endpoint, &form).await;
        assert_eq!(response.status(), 401, "{endpoint}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!("Unauthenticated"), "{endpoint}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded(&[("email", "buyer@acme.example"), ("password", PASSWORD)]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(set_cookies(&response).is_empty());
    assert!(response.text().await.unwrap().contains("came from another website"), "a translated reason");
    let fetch_metadata =
        app.client.post(app.url("/api/auth/logout")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(fetch_metadata.status(), 403);
}

#[tokio::test]
async fn garbage_login_input_is_a_clear_error_never_a_500() {
    let app = spawn_app().await;
    let long = "x".repeat(100_000);
    for (email, password) in [("", ""), ("not-an-email", "x"), (long.as_str(), long.as_str()), ("a@b\u{0}", "\u{202e}")]
    {
        let status = app.login(email, password).await.status();
        assert!(status == 422 || status == 429, "{status} for {email:.20}");
    }
    // Missing fields entirely.
    let response = app.call("auth/login", &[("email", "buyer@acme.example")]).await;
    assert_eq!(response.status().as_u16() / 100, 4, "missing password is a client error");
}
