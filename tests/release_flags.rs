//! The release pages leave wasm-opt to `scripts/wasm-shrink.mjs` (its
//! passes, and the short import/export names that only it can match in the
//! glue): Trunk's own wasm-opt must be off on each page, or the names would
//! be minified by no one and the passes run twice; each page's Trunk.toml
//! runs the script as a release hook.

#![cfg(not(target_arch = "wasm32"))]

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default()
}

#[test]
fn every_release_page_leaves_wasm_opt_to_the_shrink_script() {
    for page in [
        "index.html",
        "examples/guides/index.html",
        "bench/leptos-floor/index.html",
    ] {
        let html = read(page);
        assert!(
            html.contains("data-wasm-opt=\"0\"") && !html.contains("data-wasm-opt-params"),
            "{page} runs Trunk's wasm-opt"
        );
    }
    assert!(read("scripts/trunk-external-loader.mjs")
        .contains("import { shrinkAll } from './wasm-shrink.mjs';"));
    assert!(read("Trunk.toml").contains("scripts/trunk-external-loader.mjs"));
    assert!(read("bench/leptos-floor/Trunk.toml")
        .contains(r#"["../../scripts/wasm-shrink.mjs", "--trunk-hook"]"#));
}
