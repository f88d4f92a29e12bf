//! The page origins whose `POST`s the merchant endpoints accept
//! (`ALLOWED_ORIGINS`; by default the Trunk dev server's and the server's own).

use super::DEFAULT_DEV_ORIGINS;

/// `scheme://host[:port]` of an http(s) URL without path, query or user info.
pub(super) fn parse_origin(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))?;
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    ok.then(|| trimmed.to_ascii_lowercase())
}

/// The dev origins plus the server's own origin (`own_base`).
pub(super) fn default_origins(own_base: &str) -> Vec<String> {
    let mut origins: Vec<String> = DEFAULT_DEV_ORIGINS
        .iter()
        .map(|o| (*o).to_owned())
        .collect();
    if let Some(own) = parse_origin(own_base) {
        if !origins.contains(&own) {
            origins.push(own);
        }
    }
    origins
}
