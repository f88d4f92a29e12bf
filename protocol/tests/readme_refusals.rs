//! README's table of refusals lists exactly the refusals of
//! `checkout_protocol::Refusal`, with their status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use checkout_protocol::Refusal;

#[test]
fn the_readme_lists_every_refusal_with_its_status() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let table = readme
        .split("| `code` | status | when |\n")
        .nth(1)
        .expect("README has the refusals table");
    let rows: Vec<(String, String)> = table
        .lines()
        .skip(1) // |---|
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let code = cells[0].trim_start_matches("| `").trim_end_matches('`');
            (code.to_owned(), cells[1].to_owned())
        })
        .collect();
    let listed: Vec<&str> = rows.iter().map(|(code, _)| code.as_str()).collect();
    let all: Vec<&str> = Refusal::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(listed, all, "README's refusal table, in Refusal's order");
    for (code, status) in &rows {
        let refusal = Refusal::from_code(code).unwrap();
        assert!(
            status.starts_with(&refusal.status().to_string()),
            "{code}: README says {status}, the server answers {}",
            refusal.status()
        );
    }
}
