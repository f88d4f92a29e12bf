//! The release pages run wasm-opt with the passes `scripts/tools.sh` names
//! once (`WASM_OPT_FLAGS`, also used by the npm package and the bench):
//! Trunk takes them from each page's `data-wasm-opt="s"` (its `-Os`, first)
//! and `data-wasm-opt-params` (the rest).

#![cfg(not(target_arch = "wasm32"))]

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default()
}

#[test]
fn every_release_page_runs_the_passes_tools_sh_names() {
    let tools = read("scripts/tools.sh");
    let flags = tools
        .lines()
        .find_map(|line| line.strip_prefix("WASM_OPT_FLAGS=\""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_default();
    let params = flags.strip_prefix("-Os ").unwrap_or_default();
    assert!(
        !params.is_empty(),
        "scripts/tools.sh has no WASM_OPT_FLAGS starting with -Os"
    );
    for page in [
        "index.html",
        "examples/guides/index.html",
        "bench/leptos-floor/index.html",
    ] {
        let html = read(page);
        assert!(
            html.contains(&format!(
                "data-wasm-opt=\"s\" data-wasm-opt-params=\"{params}\""
            )),
            "{page} does not run wasm-opt -Os {params}"
        );
    }
}
