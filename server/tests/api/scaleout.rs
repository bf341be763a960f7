//! Scale-out (issue 18): two app server processes (the real binary) on one database behind nginx
//! from Debian, round robin, as a deployment that outgrew one machine runs. A buyer's session, cart
//! and checkout move between the servers on every request, and a change made through one server is
//! seen on the very next request through the other. On SQLite the two processes share one file; in
//! CI the same test runs on PostgreSQL (TEST_DB=postgres).

use crate::helpers::*;
use crate::ordering::{buyable, json};
use crate::team::{member, role_id};
use reqwest::Response;
use std::path::{Path, PathBuf};
use std::process::Command;

fn nginx() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("nginx is missing: scripts/bootstrap.sh --test installs it (Debian's nginx-light)")
}

/// nginx in front of `upstreams`, round robin, in the foreground; its base URL. Every answer
/// names the app server behind it (`x-upstream`), so the test can see the requests move.
async fn proxy(dir: &Path, upstreams: &[&str]) -> (Process, String) {
    let port = free_port();
    let servers: String = upstreams.iter().map(|u| format!("server {};", u.trim_start_matches("http://"))).collect();
    let d = dir.display();
    let conf = format!(
        "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid; error_log {d}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log {d}/nginx-access.log;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream portal {{ {servers} }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new(nginx())
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-e")
        .arg(dir.join("nginx-error.log"))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let process = Process(child);
    wait_until_ready(&base, &dir.join("nginx-error.log")).await;
    (process, base)
}

fn upstream(response: &Response) -> String {
    response.headers()["x-upstream"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn behind_nginx_a_buyer_moves_between_two_app_servers_freely() {
    let app = spawn_app().await;
    let dir = std::env::temp_dir().join(format!("portal-scaleout-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = [
        ("DATABASE_URL", app.database_url.as_str()),
        ("APP_DEMO_CATALOG_PRODUCTS", "120"),
        ("APP_METRICS_TOKEN", "scrape-7c1e"),
        ("APP_TRUST_FORWARDED_FOR", "true"),
    ];
    let (_a, a) = server_process(&dir, "a", &env).await;
    let (_b, b) = server_process(&dir, "b", &env).await;
    let (_nginx, front) = proxy(&dir, &[&a, &b]).await;
    let ben = app.through(&front);
    let dana = app.through(&front);
    // Every request goes through nginx, which alternates between the two servers. Each check
    // below pairs a request with the next one and asserts that the two were answered by different
    // servers.
    let login = ben.login("buyer@acme.example", PASSWORD).await;
    assert_eq!(login.status(), 200);
    let mut last = upstream(&login);
    let mut servers = std::collections::BTreeSet::from([last.clone()]);
    // The session made on one server is good on both, request after request.
    for _ in 0..4 {
        let shell = ben.call("session/shell", &[]).await;
        assert_eq!(shell.status(), 200);
        assert_ne!(upstream(&shell), last);
        last = upstream(&shell);
        servers.insert(last.clone());
    }
    assert_eq!(servers.len(), 2, "{servers:?}");
    let differ = |one: &Response, next: &Response| {
        assert_ne!(upstream(one), upstream(next), "the next request went to the same server");
    };

    // The cart: each line is added through one server, and the next request (the other server)
    // shows it.
    let (items, _) = buyable(&ben).await;
    for (n, item) in items.iter().take(3).enumerate() {
        let quantity = item.min.to_string();
        let form = [("lines[0][sku]", item.sku.as_str()), ("lines[0][quantity]", quantity.as_str())];
        let added = ben.call("cart/add", &form).await;
        let shown = ben.call("cart/get", &[]).await;
        differ(&added, &shown);
        assert_eq!(added.status(), 200);
        let (_, cart) = json(shown).await;
        assert_eq!(cart["lines"].as_array().unwrap().len(), n + 1, "{cart}");
    }

    // Checkout on one server, placement on the other, the same order seen through both, once.
    let checkout = ben.call("orders/checkout", &[]).await;
    let checkout_upstream = upstream(&checkout);
    let (status, dto) = json(checkout).await;
    assert_eq!(status, 200, "{dto}");
    let ship_to = dto["default_ship_to"].as_i64().unwrap().to_string();
    let place = [
        ("idempotency_key", dto["idempotency_key"].as_str().unwrap()),
        ("fingerprint", dto["cart"]["fingerprint"].as_str().unwrap()),
        ("ship_to", ship_to.as_str()),
        ("po_number", "PO-NGINX-1"),
    ];
    let placed = ben.call("orders/place", &place).await;
    assert_ne!(upstream(&placed), checkout_upstream);
    let (status, placed) = json(placed).await;
    assert_eq!(status, 200, "{placed}");
    let number = placed["Placed"]["number"].as_str().unwrap().to_string();
    // A retry after a lost answer lands on the other server: the same order.
    let (_, again) = json(ben.call("orders/place", &place).await).await;
    assert_eq!(again["Placed"]["number"], number.as_str());
    let mut answered_by = std::collections::BTreeSet::new();
    for _ in 0..2 {
        let order = ben.call("orders/get", &[("number", &number)]).await;
        answered_by.insert(upstream(&order));
        let (status, order) = json(order).await;
        assert_eq!((status, order["number"].as_str()), (200, Some(number.as_str())), "{order}");
    }
    for _ in 0..2 {
        let (_, cart) = json(ben.call("cart/get", &[]).await).await;
        assert!(cart["lines"].as_array().unwrap().is_empty(), "{cart}");
    }
    assert_eq!(answered_by.len(), 2, "the order was shown by both servers");
    let po = "SELECT COUNT(*) FROM orders WHERE po_number = 'PO-NGINX-1'";
    assert_eq!(app.count(po).await, 1);

    // A role change made through one server counts on the buyer's very next request, which the
    // other server answers, and hands him a new token there.
    assert_eq!(dana.login("admin@acme.example", PASSWORD).await.status(), 200);
    let (id, version) = member(&app, "buyer@acme.example").await;
    let finance = role_id(&app, "finance").await;
    let form = [("member", id.as_str()), ("role", finance.as_str()), ("version", version.as_str())];
    let changed = dana.call("team/update_member", &form).await;
    let next = ben.call("orders/checkout", &[]).await;
    differ(&changed, &next);
    assert_eq!(changed.status(), 200);
    assert_eq!(next.status(), 403, "finance may not order");
    assert!(set_cookies(&next).iter().any(|c| c.starts_with("portal_session=") && !c.starts_with("portal_session=;")));
    let shell = ben.call("session/shell", &[]).await;
    differ(&next, &shell);
    assert_eq!(shell.status(), 200, "the new token works on the other server");

    // Metrics through the proxy: relayed, so only with the token.
    let scrape = |token: Option<&str>| {
        let mut request = reqwest::Client::new().get(format!("{front}/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(scrape(None).await.unwrap().status(), 404);
    assert_eq!(scrape(Some("scrape-7c1e")).await.unwrap().status(), 200);

    let expected = std::collections::BTreeSet::from([a, b].map(|u| u.trim_start_matches("http://").to_string()));
    assert_eq!(servers, expected);
    let _ = std::fs::remove_dir_all(&dir);
}
