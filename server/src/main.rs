//! Starts the portal: settings from the environment, then `Application::build` and serve.

use server::{configuration::Settings, startup::Application, telemetry};

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
