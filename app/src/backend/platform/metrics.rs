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

/// A gauge in Prometheus's text format.
pub fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
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
