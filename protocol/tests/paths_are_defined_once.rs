//! The merchant paths are defined once, in `checkout_protocol::endpoints`;
//! the files that cannot import Rust constants — the end-to-end tests — are
//! checked against them here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

use checkout_protocol::endpoints::ALL;

/// Every `/word-word…` path in the end-to-end tests is a merchant path (the
/// binary and package names and build directories aside).
#[test]
fn end_to_end_tests_use_only_defined_paths() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../e2e");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("mjs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices('/') {
            let word: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            if !word.contains('-') || word.starts_with('-') || word.ends_with('-') {
                continue;
            }
            // A file the comments cite (`docs/research-stripe-strict.md`,
            // `e2e/stripe-calls.test.mjs`), not a path.
            if text[i + 1 + word.len()..].starts_with('.') {
                continue;
            }
            // Binary, package and script names, and build directories under target/.
            if [
                "checkout-server",
                "leptos-stripe-checkout",
                "guides-dist",
                "shop-dist",
                "e2e-dist",
                // The SSR example: its binary, script and site directory.
                "checkout-ssr-example",
                "ssr-example",
                "ssr-site",
                // The npm package: its script and example's build directory.
                "npm-package",
                "npm-example-dist",
                // Content-Security-Policy directives and sources.
                "script-src",
                "unsafe-inline",
            ]
            .contains(&word.as_str())
            {
                continue;
            }
            let candidate = format!("/{word}");
            assert!(
                ALL.contains(&candidate.as_str()),
                "{} uses {candidate}, which is not in checkout_protocol::endpoints::ALL",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(
        seen > 0,
        "no merchant path found in e2e/*.mjs: the scan is broken"
    );
}
