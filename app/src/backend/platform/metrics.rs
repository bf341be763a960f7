//! Request counts and latency per route, kept in memory per app server and exposed at `/metrics`
//! in Prometheus's text format with the gauges an operator watches (database pool, read-model
//! lag, mail backlog, search index size).
//!
//! Route labels are bounded: a server function's endpoint (`/api/cart/add`), a page's first
//! segment (`/orders/…` for every order), `other` for anything that was not found. An attacker
//! probing random paths cannot grow the series.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Requests at or below each bucket's bound (cumulative, as Prometheus wants them).
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    /// By (route label, status class "2xx"…).
    series: Mutex<HashMap<(String, &'static str), Series>>,
}

/// The label a request is counted under (see the module comment).
pub fn route_label(path: &str, status: u16) -> String {
    if status == 404 {
        return "other".into();
    }
    if path.starts_with("/api/") {
        return path.to_string();
    }
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or("");
    match segments.next() {
        Some(_) => format!("/{first}/…"),
        None => format!("/{first}"),
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

impl Metrics {
    pub fn record(&self, path: &str, status: u16, seconds: f64) {
        let key = (route_label(path, status), status_class(status));
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let s = series.entry(key).or_default();
        s.count += 1;
        s.sum += seconds;
        for (bound, count) in BUCKETS.iter().zip(s.buckets.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
    }

    /// The request series in Prometheus's text format.
    pub fn render_requests(&self, out: &mut String) {
        let mut series: Vec<((String, &'static str), Series)> = {
            let guard = self.series.lock().unwrap_or_else(|e| e.into_inner());
            guard.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        series.sort_by(|a, b| a.0.cmp(&b.0));
        let _ = writeln!(out, "# HELP portal_requests_total Requests answered, by route and status class.");
        let _ = writeln!(out, "# TYPE portal_requests_total counter");
        for ((route, status), s) in &series {
            let _ =
                writeln!(out, "portal_requests_total{{route=\"{}\",status=\"{status}\"}} {}", escape(route), s.count);
        }
        let _ = writeln!(out, "# HELP portal_request_seconds Time to answer, by route.");
        let _ = writeln!(out, "# TYPE portal_request_seconds histogram");
        for ((route, status), s) in &series {
            let labels = format!("route=\"{}\",status=\"{status}\"", escape(route));
            for (bound, count) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(out, "portal_request_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(out, "portal_request_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "portal_request_seconds_sum{{{labels}}} {:.6}", s.sum);
            let _ = writeln!(out, "portal_request_seconds_count{{{labels}}} {}", s.count);
        }
    }
}

/// Who may read `/metrics`: with a token configured, its bearer (compared in constant time);
/// without, only a direct connection from this machine, not one relayed by a proxy.
pub fn may_read(token: Option<&str>, peer: std::net::IpAddr, headers: &axum::http::HeaderMap) -> bool {
    match token {
        Some(token) => headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
            }),
        None => peer.is_loopback() && !headers.contains_key("x-forwarded-for") && !headers.contains_key("forwarded"),
    }
}

/// The whole exposition: the request series, then the gauges an operator watches. A gauge whose
/// query fails is left out (the scrape still answers).
pub async fn exposition(state: &super::state::AppState) -> String {
    let mut out = String::new();
    state.metrics.render_requests(&mut out);
    gauge(
        &mut out,
        "portal_db_connections",
        "Open database connections in this server's pool.",
        state.pool.size() as f64,
    );
    gauge(&mut out, "portal_db_connections_idle", "Idle connections in the pool.", state.pool.num_idle() as f64);
    let seen = state.read.catalog(&state.pool, 0).await.map(|c| c.seq).unwrap_or(0);
    if let Ok(head) = crate::backend::read_model::log::head(&state.pool).await {
        gauge(&mut out, "portal_change_log_head", "The change log's newest sequence number.", head as f64);
        gauge(
            &mut out,
            "portal_read_model_lag",
            "Changes this server's read model has not applied yet (it catches up on the next request).",
            (head - seen).max(0) as f64,
        );
    }
    gauge(&mut out, "portal_read_model_seq", "The change this server's read model is at.", seen as f64);
    if let Ok(backlog) = super::mail::backlog(&state.pool).await {
        gauge(&mut out, "portal_mail_outbox_backlog", "Mails queued and not sent yet.", backlog as f64);
    }
    let index_bytes = state.read.search().memory_bytes() as f64;
    gauge(&mut out, "portal_search_index_bytes", "Memory of the search index.", index_bytes);
    out
}

/// A gauge in Prometheus's text format.
fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_bounded_labels() {
        assert_eq!(route_label("/orders/100001", 200), "/orders/…");
        assert_eq!(route_label("/orders", 200), "/orders");
        assert_eq!(route_label("/api/cart/add", 200), "/api/cart/add");
        assert_eq!(route_label("/wp-admin/../../etc/passwd", 404), "other");
        assert_eq!(route_label("/", 303), "/");
    }

    #[test]
    fn only_the_tokens_bearer_or_a_direct_local_connection_reads_metrics() {
        use axum::http::{HeaderMap, HeaderValue};
        let local: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let remote: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        let with = |name: &'static str, value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_static(value));
            headers
        };
        assert!(may_read(None, local, &HeaderMap::new()));
        assert!(!may_read(None, remote, &HeaderMap::new()));
        assert!(!may_read(None, local, &with("x-forwarded-for", "203.0.113.9")));
        assert!(may_read(Some("t0ken"), remote, &with("authorization", "Bearer t0ken")));
        assert!(!may_read(Some("t0ken"), local, &with("authorization", "Bearer t0ke")));
        assert!(!may_read(Some("t0ken"), local, &HeaderMap::new()));
    }

    #[test]
    fn a_histogram_counts_cumulatively() {
        let metrics = Metrics::default();
        metrics.record("/catalog", 200, 0.003);
        metrics.record("/catalog", 200, 0.2);
        metrics.record("/catalog", 500, 0.01);
        let mut out = String::new();
        metrics.render_requests(&mut out);
        assert!(out.contains("portal_requests_total{route=\"/catalog\",status=\"2xx\"} 2"), "{out}");
        assert!(out.contains("portal_requests_total{route=\"/catalog\",status=\"5xx\"} 1"));
        assert!(out.contains("portal_request_seconds_bucket{route=\"/catalog\",status=\"2xx\",le=\"0.005\"} 1"));
        assert!(out.contains("portal_request_seconds_bucket{route=\"/catalog\",status=\"2xx\",le=\"0.25\"} 2"));
        assert!(out.contains("portal_request_seconds_bucket{route=\"/catalog\",status=\"2xx\",le=\"+Inf\"} 2"));
    }
}
