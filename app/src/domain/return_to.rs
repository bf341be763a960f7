//! Where to send a buyer after sign-in. Only same-site paths are accepted, so a crafted link
//! (`/login?next=https://evil.example`) can never turn the portal into an open redirect.

/// The page a signed-in member lands on when no (valid) return path was given.
pub const HOME: &str = "/catalog";

/// Returns `raw` if it is a safe same-site path, else `HOME`.
///
/// Safe: starts with a single `/`, no `//` or `/\` (protocol-relative), no backslashes, no control
/// characters or whitespace (header injection, `redirect()` panics on CR/LF), no scheme, bounded
/// length, and not the login page itself (which would loop).
pub fn safe_return_path(raw: &str) -> &str {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && raw.len() <= 2048
        && !raw.chars().any(|c| c.is_control() || c.is_whitespace())
        && !raw.starts_with("/login")
        && !raw.starts_with("/api/");
    if ok {
        raw
    } else {
        HOME
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_same_site_paths() {
        assert_eq!(safe_return_path("/orders"), "/orders");
        assert_eq!(safe_return_path("/orders?status=open&page=2"), "/orders?status=open&page=2");
    }

    #[test]
    fn refuses_anything_that_leaves_the_site() {
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil",
            "javascript:alert(1)",
            "/orders\r\nSet-Cookie: x=y",
            "",
            "orders",
            "/login?next=/orders",
            "/api/auth/logout",
            " /orders",
        ] {
            assert_eq!(safe_return_path(bad), HOME, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn result_is_always_a_local_path(s in "\\PC{0,64}") {
            let out = safe_return_path(&s);
            prop_assert!(out.starts_with('/') && !out.starts_with("//"));
            prop_assert!(!out.chars().any(|c| c.is_control()));
        }
    }
}
