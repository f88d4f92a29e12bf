//! Request data as it may appear in a log line: [`log_safe`].
//!
//! Anything that came with a request (a header, a path, a rejection text
//! that echoes a field name or a value) is written through it, so that a
//! client can neither start a new log line (newline), drive the terminal
//! (ESC and other control characters), hide text (bidirectional overrides),
//! get a client secret into the log, nor fill it with one huge value.

use std::fmt;

/// Characters of request data kept in a log line; the rest is counted.
pub const MAX_LOGGED_CHARS: usize = 200;

/// What replaces a client secret (`…_secret_…`) in a logged value.
pub const REDACTED: &str = "[redacted]";

const SECRET_MARK: &str = "_secret_";

/// `value` for a log line: control and invisible formatting characters
/// escaped (`\n`, `\u{1b}`), a client secret (`_secret_` and the
/// alphanumerics after it) replaced by [`REDACTED`], cut after
/// [`MAX_LOGGED_CHARS`] characters with the number of characters left out.
pub fn log_safe(value: &str) -> LogSafe<'_> {
    LogSafe(value)
}

/// The [`fmt::Display`] of [`log_safe`].
#[derive(Debug, Clone, Copy)]
pub struct LogSafe<'a>(&'a str);

impl fmt::Display for LogSafe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        let plain = value.len() <= MAX_LOGGED_CHARS
            && value.bytes().all(|b| (0x20..0x7f).contains(&b))
            && !value.contains(SECRET_MARK);
        if plain {
            return f.write_str(value);
        }
        let mut written = 0;
        let mut rest = value;
        while !rest.is_empty() {
            if written >= MAX_LOGGED_CHARS {
                return write!(f, "…(+{} chars)", rest.chars().count());
            }
            if let Some(after) = rest.strip_prefix(SECRET_MARK) {
                let secret_len = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
                f.write_str(REDACTED)?;
                written += REDACTED.len();
                rest = &after[secret_len..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            rest = &rest[c.len_utf8()..];
            written += 1;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if is_hidden(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// Control characters (C0, DEL, C1) and the invisible ones that reorder or
/// hide text (bidirectional controls, zero-width characters, line and
/// paragraph separators).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(s: &str) -> String {
        log_safe(s).to_string()
    }

    #[test]
    fn plain_values_pass_unchanged() {
        assert_eq!(safe("cs_test_abc123"), "cs_test_abc123");
        assert_eq!(safe("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(safe("prix réduit"), "prix réduit");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            safe("cs_test_x\n2026-01-01 INFO FORGED"),
            "cs_test_x\\n2026-01-01 INFO FORGED"
        );
        assert_eq!(safe("a\u{1b}[2Jb\r\t"), "a\\u{1b}[2Jb\\r\\t");
        assert_eq!(safe("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(safe("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(!safe("x\u{7f}").contains('\u{7f}'));
    }

    #[test]
    fn client_secrets_are_redacted() {
        assert_eq!(safe("cs_test_a1B2_secret_Zz9yX"), "cs_test_a1B2[redacted]");
        assert_eq!(
            safe("invalid type: string \"cs_test_a_secret_b\", expected u32"),
            "invalid type: string \"cs_test_a[redacted]\", expected u32"
        );
        assert!(!safe("_secret__secret_x").contains("_secret_"));
    }

    #[test]
    fn long_values_are_cut() {
        let long = "A".repeat(15_000);
        let out = safe(&long);
        assert_eq!(
            out,
            format!(
                "{}…(+{} chars)",
                "A".repeat(MAX_LOGGED_CHARS),
                15_000 - MAX_LOGGED_CHARS
            )
        );
        let exact = "B".repeat(MAX_LOGGED_CHARS);
        assert_eq!(safe(&exact), exact);
        let wide = "é".repeat(300);
        assert!(safe(&wide).starts_with(&"é".repeat(MAX_LOGGED_CHARS)));
    }
}
