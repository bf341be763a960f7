//! Starts the portal: settings from the environment, then `Application::build` and serve.
//! `server backup <file>` copies the SQLite database instead (`backup.rs`).

use server::{configuration::Settings, startup::Application, telemetry};

/// Page renders allocate many small strings on two threads; mimalloc's per-thread heaps avoid
/// glibc's arena lock (measured: a quarter of the catalog page's CPU went to malloc and free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    telemetry::init();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("configuration error: {e}");
            std::process::exit(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => {}
        ["backup", file] => match server::backup::run(&settings.database.url, std::path::Path::new(file)).await {
            Ok(bytes) => {
                println!("backup written to {file} ({bytes} bytes)");
                return;
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        },
        _ => {
            eprintln!("usage: server            run the portal\n       server backup <file>  copy the SQLite database while it runs");
            std::process::exit(2);
        }
    }
    let app = match Application::build(settings.clone()).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("start-up failed: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!("portal listening on http://{}:{}", settings.host, app.port());
    println!("Portal ready at http://{}:{}", settings.host, app.port());
    if let Err(e) = app.run_until_stopped().await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
