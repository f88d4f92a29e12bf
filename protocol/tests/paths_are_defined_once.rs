//! The merchant paths are defined once, in `checkout_protocol::endpoints`;
//! the files that cannot import Rust constants — the dev server's proxies in
//! `Trunk.toml` and the end-to-end tests — are checked against them here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

use checkout_protocol::endpoints::{ALL, EMULATOR_PREFIXES};

fn repo_file(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

#[test]
fn trunk_proxies_exactly_the_merchant_paths_and_the_emulator() {
    let trunk = repo_file("Trunk.toml");
    let proxied: Vec<&str> = trunk
        .lines()
        .filter_map(|l| l.trim().strip_prefix("backend = \"http://127.0.0.1:4242"))
        .map(|rest| rest.trim_end_matches('"'))
        .collect();
    for path in ALL {
        assert!(proxied.contains(&path), "Trunk.toml does not proxy {path}");
    }
    for prefix in EMULATOR_PREFIXES {
        assert!(
            proxied.contains(&prefix),
            "Trunk.toml does not proxy {prefix}"
        );
    }
    for path in &proxied {
        assert!(
            ALL.contains(path) || EMULATOR_PREFIXES.contains(path),
            "Trunk.toml proxies {path}, which is not a merchant path of checkout_protocol::endpoints"
        );
    }
}

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
            // A document the comments cite (`docs/research-stripe-strict.md`).
            if text[i + 1 + word.len()..].starts_with(".md") {
                continue;
            }
            // Binary, package and script names, and build directories under target/.
            if [
                "checkout-server",
                "leptos-stripe-checkout",
                "guides-dist",
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
