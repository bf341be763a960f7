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

/// `server backup <file>` while the server runs, then the copy opened as the portal's database:
/// the order placed before the backup is in it, with its lines.
#[tokio::test]
async fn an_online_backup_restores_to_the_same_orders() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("sqlite:") {
        // PostgreSQL is backed up with pg_dump; the command says so.
        let target = std::env::temp_dir().join(format!("portal-backup-pg-{}.db", std::process::id()));
        assert!(server::backup::run(&app.database_url, &target).await.unwrap_err().contains("pg_dump"));
        return;
    }
    app.login_as("buyer@acme.example").await;
    let (orderable, _) = crate::ordering::buyable(&app).await;
    let line = &orderable[0];
    let (status, cart) = crate::ordering::add(&app, &[(&line.sku, &line.min.to_string())]).await;
    assert_eq!(status, 200, "{cart}");
    let checkout = crate::ordering::checkout(&app).await;
    let (status, placed) = crate::ordering::place(&app, &checkout, "BACKUP-1").await;
    assert_eq!(status, 200, "{placed}");
    let number = placed["Placed"]["number"].as_str().unwrap().to_string();
    let target = std::env::temp_dir().join(format!("portal-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&target);
    let bytes = server::backup::run(&app.database_url, &target).await.unwrap();
    assert!(bytes > 100_000, "{bytes}");
    assert!(server::backup::run(&app.database_url, &target).await.unwrap_err().contains("exists"));

    let restored = format!("sqlite://{}", target.display());
    let (pool, _) = app::backend::platform::db::connect(&restored, 1).await.unwrap();
    let (lines,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.po_number = $1")
            .bind("BACKUP-1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(lines > 0, "the order {number} is in the backup");
    pool.close().await;
    // And a portal starts on it.
    let copy = spawn_app_on(&format!("{restored}?mode=rwc")).await;
    copy.login_as("buyer@acme.example").await;
    assert_eq!(copy.get_page(&format!("/orders/{number}")).await.status(), 200);
    let _ = std::fs::remove_file(&target);
}

#[tokio::test]
async fn every_response_names_its_request_and_keeps_a_proxys_id() {
    let app = spawn_app().await;
    let first = app.get_page("/login").await;
    let id = first.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 16);
    assert_ne!(app.get_page("/login").await.headers()["x-request-id"].to_str().unwrap(), id);
    let kept = app.get_page_with("/health", &[("x-request-id", "lb-7f3a-0042")]).await;
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a-0042");
    // Anything else from outside is not echoed into headers or logs.
    let replaced = app.get_page_with("/health", &[("x-request-id", "a b<script>")]).await;
    assert_ne!(replaced.headers()["x-request-id"], "a b<script>");
}

/// The release binary's shutdown, as an orchestrator does it: SIGTERM while a sign-in (an argon2
/// hash, the slowest request there is) is in flight. The sign-in is answered, with its session,
/// and the process exits cleanly; JSON log lines carry the request id.
#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits() {
    let dir = std::env::temp_dir().join(format!("portal-shutdown-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("portal.db").display());
    let env = [("DATABASE_URL", url.as_str()), ("APP_LOG_FORMAT", "json"), ("RUST_LOG", "info,access=info")];
    let (mut server, base) = server_process(&dir, "server", &env).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sign_in = tokio::spawn({
        let (client, base) = (client.clone(), base.clone());
        async move {
            client
                .post(format!("{base}/api/auth/login"))
                .header("origin", base.clone())
                .header("accept", "application/json")
                .form(&[("email", "buyer@acme.example"), ("password", PASSWORD)])
                .send()
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let term = std::process::Command::new("kill").arg("-TERM").arg(server.0.id().to_string()).status().unwrap();
    assert!(term.success());
    let answered = sign_in.await.unwrap().expect("the sign-in in flight is answered");
    assert_eq!(answered.status(), 200);
    assert!(set_cookies(&answered).iter().any(|c| c.starts_with("portal_session=")));
    let exited = tokio::task::spawn_blocking(move || server.0.wait()).await.unwrap().unwrap();
    assert!(exited.success(), "{exited:?}");
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    let access = log.lines().find(|l| l.contains("\"target\":\"access\"") && l.contains("/api/auth/login"));
    let access: serde_json::Value =
        serde_json::from_str(access.unwrap_or_else(|| panic!("no access line for the sign-in: {log}"))).unwrap();
    assert_eq!(access["fields"]["status"], 200);
    assert_eq!(access["span"]["id"].as_str().unwrap(), answered.headers()["x-request-id"].to_str().unwrap());
    assert!(log.contains("requests finished; stopping the mail sender"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_show_the_lag_and_backlog() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let list: serde_json::Value = app.call("catalog/list", &[]).await.json().await.unwrap();
    for product in list["products"].as_array().unwrap().iter().take(2) {
        let page = app.get_page(&format!("/products/{}", product["slug"].as_str().unwrap())).await;
        assert_eq!(page.status(), 200);
    }
    app.get_page("/no/such/page/at/all").await;
    let response = app.get_page("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let value = |name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name} missing: {text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    // Both products under one bounded label.
    assert!(value("portal_requests_total{route=\"/products/…\",status=\"2xx\"}") >= 2.0);
    assert!(value("portal_request_seconds_count{route=\"/products/…\",status=\"2xx\"}") >= 2.0);
    assert!(!text.contains("/no/such"), "a path nobody has is not a label");
    assert!(value("portal_search_index_bytes") > 0.0);
    assert!(value("portal_change_log_head") > 0.0);
    assert_eq!(value("portal_read_model_lag"), 0.0);
    assert!(value("portal_mail_outbox_backlog") >= 0.0 && value("portal_db_connections") >= 1.0);
    // Relayed by a proxy, or from elsewhere: nothing to see.
    assert_eq!(app.get_page_with("/metrics", &[("x-forwarded-for", "203.0.113.9")]).await.status(), 404);
}

#[tokio::test]
async fn with_a_metrics_token_only_its_bearer_reads_metrics() {
    let auth = AuthSettings { metrics_token: Some("s3cret-scraper".into()), ..AuthSettings::default() };
    let app = spawn_app_with(auth).await;
    assert_eq!(app.get_page("/metrics").await.status(), 404);
    assert_eq!(app.get_page_with("/metrics", &[("authorization", "Bearer wrong")]).await.status(), 404);
    let ok = app.get_page_with("/metrics", &[("authorization", "Bearer s3cret-scraper")]).await;
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("portal_read_model_seq"));
}

/// The outbox folder's files: name → contents.
fn outbox_files(app: &TestApp) -> std::collections::BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(&app.outbox) else { return Default::default() };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

async fn until_all_mail_is_sent(app: &TestApp) {
    for _ in 0..100 {
        if app.count("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("mail still unsent after 10 s");
}

/// A crash between a mail's send and marking its row sent sends it again, as the same message
/// (its Message-ID comes from the row) into the same file: the outbox shows no double.
#[tokio::test]
async fn a_mail_sent_again_after_a_crash_is_the_same_message_in_the_same_file() {
    use crate::ordering::{add, buyable, checkout, place};
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    let (status, _) = place(&app, &checkout(&app).await, "PO-RESEND-1").await;
    assert_eq!(status, 200);
    until_all_mail_is_sent(&app).await;
    let rows = app.count("SELECT COUNT(*) FROM mail_outbox").await;
    let before = outbox_files(&app);
    assert_eq!(before.len() as i64, rows, "one file per queued mail: {:?}", before.keys());
    assert!(before.values().any(|m| m.contains("PO-RESEND-1")));

    // As after a SIGKILL right after the send: every row unsent and unclaimed again.
    sqlx::query("UPDATE mail_outbox SET sent_at = NULL, claimed_until = NULL").execute(&app.pool).await.unwrap();
    until_all_mail_is_sent(&app).await;
    let after = outbox_files(&app);
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    let id = |mail: &str| mail.lines().find(|l| l.starts_with("Message-ID:")).unwrap().to_string();
    for (name, mail) in &before {
        assert_eq!(id(mail), id(&after[name]), "{name}");
    }
}
