//! Links built on both sides: in pages (filters, paging) and on the server (redirects).

/// Percent-encodes a URL component: everything but unreserved characters and `/` (kept so a
/// return path stays readable).
pub fn encode_component(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?key=value&…&page=n` with the parameters that have a non-empty value, in order.
pub fn page_link(path: &str, params: &[(&str, Option<String>)], page: i64) -> String {
    let mut parts: Vec<String> = params
        .iter()
        .filter_map(|(key, value)| {
            value.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{key}={}", encode_component(v)))
        })
        .collect();
    parts.push(format!("page={page}"));
    format!("{path}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(encode_component("/orders?a=1&b=2"), "/orders%3Fa%3D1%26b%3D2");
        assert_eq!(encode_component("ä"), "%C3%A4");
    }

    #[test]
    fn page_links_keep_only_chosen_filters() {
        let params = [("q", Some("hex bolt".to_string())), ("category", Some(String::new())), ("material", None)];
        assert_eq!(page_link("/search", &params, 3), "/search?q=hex%20bolt&page=3");
    }
}
