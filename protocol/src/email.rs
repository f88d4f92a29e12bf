//! The email address grammar the emulator and the merchant server check, and
//! the Stripe.js stand-in (`sandbox/static/stripe.js`, `checkEmail`) mirrors.
//!
//! Stripe does not publish its rules (docs/research-stripe-js.md §1.5, §9):
//! this grammar is the emulator's own, a conservative subset of RFC 5321/5322
//! addresses that real mailboxes use. An address is split into its two
//! codes the way Stripe.js names them (`incompleteEmail`, `invalidEmail`):
//! **incomplete** when typing more at its end could still make it valid
//! (`""`, `"ada"`, `"ada@"`, `"ada@example"`, `"ada@example.c"`), **invalid**
//! when nothing typed after it can (`"ada@@x"`, `"a da@x.com"`, `"@x.com"`,
//! `"ada@example..com"`).
//!
//! Valid: at most [`MAX_EMAIL_LEN`] characters after trimming surrounding
//! whitespace; a local part of 1–64 characters from `A–Z a–z 0–9` and
//! ``.!#$%&'*+/=?^_`{|}~-``, not starting or ending with `.` and without
//! `..`; one `@`; a domain of at least two dot-separated labels of 1–63
//! characters from `A–Z a–z 0–9 -`, none starting or ending with `-`, the
//! last one at least two characters and not all digits. No other
//! characters (no spaces, no non-ASCII).

/// The longest address accepted (RFC 5321's path limit, less the brackets).
pub const MAX_EMAIL_LEN: usize = 254;
/// The longest local part (RFC 5321).
pub const MAX_LOCAL_LEN: usize = 64;
/// The longest domain label (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// What [`check_email`] makes of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailCheck {
    /// A complete, valid address.
    Valid,
    /// Empty or unfinished: more typed at its end could make it valid
    /// (Stripe.js's `incompleteEmail`).
    Incomplete,
    /// Malformed: nothing typed at its end can make it valid (Stripe.js's
    /// `invalidEmail`).
    Invalid,
}

fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// Checks `text` (surrounding whitespace ignored) against the grammar above.
pub fn check_email(text: &str) -> EmailCheck {
    let text = text.trim();
    if text.is_empty() {
        return EmailCheck::Incomplete;
    }
    if text.len() > MAX_EMAIL_LEN {
        return EmailCheck::Invalid;
    }
    let (local, domain) = match text.split_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (text, None),
    };
    if !local.chars().all(local_char)
        || local.starts_with('.')
        || local.contains("..")
        || local.len() > MAX_LOCAL_LEN
    {
        return EmailCheck::Invalid;
    }
    let Some(domain) = domain else {
        return EmailCheck::Incomplete;
    };
    if local.is_empty() || local.ends_with('.') || !domain.chars().all(domain_char) {
        return EmailCheck::Invalid;
    }
    if domain.is_empty() {
        return EmailCheck::Incomplete;
    }
    let count = domain.split('.').count();
    let labels_ok = domain.split('.').enumerate().all(|(i, label)| {
        let last = i + 1 == count;
        // Only the label being typed (the last) may still be empty or end with '-'.
        label.len() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && (last || (!label.is_empty() && !label.ends_with('-')))
    });
    if !labels_ok {
        return EmailCheck::Invalid;
    }
    let mut labels = domain.rsplit('.');
    let tld = labels.next().unwrap_or_default();
    let complete = labels.next().is_some()
        && tld.len() >= 2
        && !tld.ends_with('-')
        && !tld.chars().all(|c| c.is_ascii_digit());
    if complete {
        EmailCheck::Valid
    } else {
        EmailCheck::Incomplete
    }
}

/// Whether `text` is a complete, valid address ([`check_email`]).
pub fn is_valid_email(text: &str) -> bool {
    check_email(text) == EmailCheck::Valid
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    /// The same table is checked against the stand-in's `checkEmail` in
    /// `e2e/standin.test.mjs`.
    const CASES: &[(&str, EmailCheck)] = &[
        ("ada@example.com", EmailCheck::Valid),
        ("  ada.lovelace+shop@mail.example.co.uk ", EmailCheck::Valid),
        ("o'brien@example.ie", EmailCheck::Valid),
        ("ada@xn--bcher-kva.example", EmailCheck::Valid),
        ("ada@example.c0m", EmailCheck::Valid),
        ("", EmailCheck::Incomplete),
        ("   ", EmailCheck::Incomplete),
        ("ada", EmailCheck::Incomplete),
        ("ada.", EmailCheck::Incomplete),
        ("ada@", EmailCheck::Incomplete),
        ("ada@example", EmailCheck::Incomplete),
        ("ada@example.", EmailCheck::Incomplete),
        ("ada@example.c", EmailCheck::Incomplete),
        ("ada@example.123", EmailCheck::Incomplete),
        ("ada@ex-", EmailCheck::Incomplete),
        ("@example.com", EmailCheck::Invalid),
        ("ada@@example.com", EmailCheck::Invalid),
        ("ada@exa@mple.com", EmailCheck::Invalid),
        ("a da@example.com", EmailCheck::Invalid),
        ("ada@exa mple.com", EmailCheck::Invalid),
        (".ada@example.com", EmailCheck::Invalid),
        ("ada.@example.com", EmailCheck::Invalid),
        ("a..da@example.com", EmailCheck::Invalid),
        ("ada@.example.com", EmailCheck::Invalid),
        ("ada@example..com", EmailCheck::Invalid),
        ("ada@-example.com", EmailCheck::Invalid),
        ("ada@example-.com", EmailCheck::Invalid),
        ("ada@exam_ple.com", EmailCheck::Invalid),
        ("adé@example.com", EmailCheck::Invalid),
        ("ada@example.com>", EmailCheck::Invalid),
    ];

    #[test]
    fn the_table() {
        for (text, expected) in CASES {
            assert_eq!(check_email(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn lengths() {
        let mut long_local = String::new();
        for _ in 0..65 {
            long_local.push('a');
        }
        let mut at = long_local.clone();
        at.push_str("@example.com");
        assert_eq!(check_email(&at), EmailCheck::Invalid);
        assert_eq!(check_email(&long_local), EmailCheck::Invalid);
        let mut label = String::from("ada@");
        for _ in 0..64 {
            label.push('b');
        }
        label.push_str(".com");
        assert_eq!(check_email(&label), EmailCheck::Invalid);
        let mut long = String::from("ada@");
        while long.len() < MAX_EMAIL_LEN - 4 {
            long.push_str("b.");
        }
        long.push_str("com");
        assert!(long.len() <= MAX_EMAIL_LEN);
        assert_eq!(check_email(&long), EmailCheck::Valid);
        long.push_str("xxxxxx");
        assert_eq!(check_email(&long), EmailCheck::Invalid);
    }

    #[test]
    fn every_prefix_of_a_valid_address_is_incomplete_or_valid() {
        for (text, expected) in CASES {
            if *expected != EmailCheck::Valid {
                continue;
            }
            let text = text.trim();
            for end in 0..text.len() {
                if text.is_char_boundary(end) {
                    assert_ne!(
                        check_email(&text[..end]),
                        EmailCheck::Invalid,
                        "{:?}",
                        &text[..end]
                    );
                }
            }
        }
    }
}
