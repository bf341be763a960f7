//! `spawn_app()` builds the same `Application` the binary runs, with port 0 and its own database,
//! and returns a `TestApp` with one method per endpoint. Its client keeps cookies and does not
//! follow redirects, so tests see exactly what a browser would be told.

use app::backend::platform::mail::MailSettings;
use app::backend::platform::state::AuthSettings;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN};
use reqwest::{redirect, Client, Response};
use server::configuration::{DatabaseSettings, Settings};
use server::startup::Application;
use sqlx::{AnyPool, Connection};

pub const PASSWORD: &str = "portal-demo-2026";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub pool: AnyPool,
    pub database_url: String,
    /// Where this server writes mail when no SMTP server is configured.
    pub outbox: std::path::PathBuf,
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("portal_test_{}_{}", std::process::id(), nanos)
}

/// A fresh database URL: a new SQLite file, or a new database in the cluster at TEST_PG_URL.
async fn fresh_database() -> String {
    if std::env::var("TEST_DB").as_deref() == Ok("postgres") {
        let admin = std::env::var("TEST_PG_URL").expect("TEST_DB=postgres needs TEST_PG_URL (scripts/test.sh sets it)");
        sqlx::any::install_default_drivers();
        let name = unique_name();
        let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect to the test cluster");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        format!("{base}/{name}")
    } else {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        format!("sqlite://{}?mode=rwc", path.display())
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(AuthSettings::default()).await
}

/// All test servers run on one multi-threaded runtime that lives as long as the test binary, as
/// in production (one process, one runtime): each `#[tokio::test]` has its own short-lived
/// runtime, and a server's background tasks must outlive the test that started it.
fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("test server runtime")
    })
}

/// A browser: its own cookies, redirects not followed (tests look at them). A request that hangs
/// fails its test within a minute instead of stalling the whole run.
fn browser() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A server on an existing database (a restored backup), with its own browser.
pub async fn spawn_app_on(url: &str) -> TestApp {
    let outbox = std::env::temp_dir().join(format!("{}_outbox", unique_name()));
    let mail = MailSettings { outbox_dir: outbox.display().to_string(), ..MailSettings::default() };
    let (address, pool) = start_server(url, AuthSettings::default(), mail).await;
    TestApp { address, client: browser(), pool, database_url: url.to_string(), outbox }
}

pub async fn spawn_app_with(auth: AuthSettings) -> TestApp {
    spawn_app_with_mail(auth, None).await
}

/// A server that sends mail through the SMTP server at `smtp_url` (else into its outbox folder).
pub async fn spawn_app_with_mail(auth: AuthSettings, smtp_url: Option<String>) -> TestApp {
    // Server-side causes of failures (logged under an incident id) show in failing tests.
    server::telemetry::init();
    let url = fresh_database().await;
    let outbox = std::env::temp_dir().join(format!("{}_outbox", unique_name()));
    let mail = MailSettings { smtp_url, outbox_dir: outbox.display().to_string(), ..MailSettings::default() };
    let (address, pool) = start_server(&url, auth, mail).await;
    TestApp { address, client: browser(), pool, database_url: url, outbox }
}

/// A server on `url` (demo data loaded if missing); its address and a test-side pool.
async fn start_server(url: &str, auth: AuthSettings, mail: MailSettings) -> (String, AnyPool) {
    let settings = Settings {
        port: 0,
        database: DatabaseSettings { url: url.to_string(), max_connections: 5 },
        auth,
        load_demo: true,
        // Small but with every product type and both catalogs' exclusive products.
        demo_catalog_products: 120,
        mail,
        ..Settings::defaults()
    };
    let runtime = server_runtime();
    let app = runtime.spawn(Application::build(settings)).await.unwrap().expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    runtime.spawn(app.run_until_stopped());
    // The test's own pool, on the test's runtime (connections belong to the runtime that made them).
    let (pool, _) = app::backend::platform::db::connect(url, 2).await.expect("test pool");
    (address, pool)
}

impl TestApp {
    /// Another app server on the same database, as behind a load balancer. It shares this app's
    /// client, so its cookies (the session) go to both servers.
    pub async fn second_server(&self) -> TestApp {
        let mail = MailSettings { outbox_dir: self.outbox.display().to_string(), ..MailSettings::default() };
        let (address, pool) = start_server(&self.database_url, AuthSettings::default(), mail).await;
        TestApp {
            address,
            client: self.client.clone(),
            pool,
            database_url: self.database_url.clone(),
            outbox: self.outbox.clone(),
        }
    }

    /// A new browser that reaches this app's database through another address (a proxy in front).
    pub fn through(&self, address: &str) -> TestApp {
        TestApp {
            address: address.to_string(),
            client: browser(),
            pool: self.pool.clone(),
            database_url: self.database_url.clone(),
            outbox: self.outbox.clone(),
        }
    }

    /// Another browser on the same server: its own cookies, nobody signed in.
    pub fn fresh_browser(&self) -> TestApp {
        self.through(&self.address)
    }

    /// The token of the newest mailed link to `recipient` whose path starts with `prefix`
    /// (e.g. `/invitations/`), read from the outbox table the mail is queued in.
    pub async fn mailed_token(&self, recipient: &str, prefix: &str) -> String {
        let bodies: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM mail_outbox WHERE recipient = $1 ORDER BY id DESC")
                .bind(recipient)
                .fetch_all(&self.pool)
                .await
                .unwrap();
        for (body,) in bodies {
            if let Some(at) = body.find(prefix) {
                let token: String = body[at + prefix.len()..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
                assert_eq!(token.len(), 64, "a link token in {body}");
                return token;
            }
        }
        panic!("no mail to {recipient} with a {prefix} link");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.pool).await.unwrap();
        n
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A page visit as a browser makes it.
    pub async fn get_page(&self, path: &str) -> Response {
        let sent = self.client.get(self.url(path)).header(ACCEPT, "text/html").send().await.map(checked);
        sent.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn get_page_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = self.client.get(self.url(path)).header(ACCEPT, "text/html");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.map(checked).unwrap()
    }

    /// A server function call as the hydrated app makes it (url-encoded body, same origin).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.address.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(serde_urlencoded(form))
            .send()
            .await
            .map(checked)
            .unwrap()
    }

    /// The same call as a plain HTML form post (no JavaScript): the server answers with redirects.
    pub async fn submit_form(&self, endpoint: &str, form: &[(&str, &str)], referer: &str) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.address.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header("referer", self.url(referer))
            .body(serde_urlencoded(form))
            .send()
            .await
            .map(checked)
            .unwrap()
    }

    /// A CSV file posted to the upload server function as the browser's form does (multipart).
    pub async fn upload_csv(&self, bytes: &[u8]) -> Response {
        self.upload_csv_to("cart/upload_csv", bytes).await
    }

    /// A GET server function (the islands' `fetch`), its arguments in the query.
    pub async fn get_api(&self, endpoint: &str, query: &[(&str, &str)]) -> Response {
        self.client
            .get(self.url(&format!("/api/{endpoint}?{}", serde_urlencoded(query))))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map(checked)
            .unwrap()
    }

    /// A multipart form posted to `endpoint`: text fields, and files (name, bytes) in the `file`
    /// field, as the quote forms send them.
    pub async fn multipart(&self, endpoint: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Response {
        let boundary = "----portal-test-boundary-Qx7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = vec![];
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.address.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .map(checked)
            .unwrap()
    }

    /// A CSV file posted (multipart) to `endpoint`.
    pub async fn upload_csv_to(&self, endpoint: &str, bytes: &[u8]) -> Response {
        let boundary = "----portal-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"order.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.address.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .map(checked)
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.call("auth/login", &[("email", email), ("password", password), ("next", "/catalog")]).await
    }

    /// Signs in and panics if it fails: for tests about what comes after.
    pub async fn login_as(&self, email: &str) {
        let response = self.login(email, PASSWORD).await;
        assert!(response.status().is_success(), "login as {email} failed: {}", response.status());
    }

    pub async fn logout(&self) -> Response {
        self.call("auth/logout", &[]).await
    }

    pub async fn id_of(&self, sql: &str, param: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as(sql).bind(param).fetch_one(&self.pool).await.unwrap();
        id
    }

    pub async fn company_id(&self, name: &str) -> i64 {
        self.id_of("SELECT id FROM companies WHERE name = $1", name).await
    }
}

pub fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", app::url::encode_component(k), app::url::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn location(response: &Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

pub fn set_cookies(response: &Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

/// The text of a PDF as `pdftotext -layout` extracts it (poppler-utils, installed by the
/// bootstrap), without the direction marks poppler wraps right-to-left runs in.
pub fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !('\u{202A}'..='\u{202E}').contains(c)).collect()
}

/// Every response, whatever the route, status or caller, carries the security headers
/// (`app::backend::platform::headers`): each test's requests check them, so the leak matrix, which
/// walks every route, proves none is missing anywhere.
pub fn checked(response: Response) -> Response {
    let headers = response.headers();
    let has = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let where_ = format!("{} {}", response.status(), response.url().path());
    assert!(has("content-security-policy").contains("frame-ancestors 'none'"), "CSP on {where_}");
    assert_eq!(has("x-content-type-options"), "nosniff", "{where_}");
    assert_eq!(has("referrer-policy"), "same-origin", "{where_}");
    assert_eq!(has("x-frame-options"), "DENY", "{where_}");
    assert!(has("permissions-policy").contains("camera=()"), "{where_}");
    if has("content-type").starts_with("text/html") {
        let policy = has("content-security-policy");
        assert!(
            policy.contains("'nonce-") && policy.contains("object-src 'none'"),
            "page policy on {where_}: {policy}"
        );
    }
    response
}

/// A child process killed when the test ends, pass or fail.
pub struct Process(pub std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until `base` answers `/ready` (a minute at most; the log shows why not).
pub async fn wait_until_ready(base: &str, log: &std::path::Path) {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(format!("{base}/ready")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{base} never became ready: {}", std::fs::read_to_string(log).unwrap_or_default());
}

/// The server binary as a process of its own, on a free port, logging to `dir/<name>.log`, its
/// mail in `dir/outbox`; `env` adds to or overrides that (DATABASE_URL, RUST_LOG, …). Returns once
/// it is ready, with its base URL.
pub async fn server_process(dir: &std::path::Path, name: &str, env: &[(&str, &str)]) -> (Process, String) {
    let port = free_port();
    let log = dir.join(format!("{name}.log"));
    let file = std::fs::File::create(&log).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("APP_HOST", "127.0.0.1")
        .env("APP_PORT", port.to_string())
        .env("APP_MAIL_OUTBOX", dir.join("outbox"))
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap();
    let process = Process(child);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&base, &log).await;
    (process, base)
}
