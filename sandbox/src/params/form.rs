//! Decoding of Stripe-style form bodies and query strings into a JSON tree.
//!
//! Keys use bracket notation: `a[b][c]=v` nests objects, `a[0][b]=v` builds
//! arrays (ordered by index), `expand[]=x` appends, and `a=` is the empty
//! string (which clears an "emptyable" parameter). All leaves are strings.

use serde_json::{Map, Value};

/// A malformed form body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The body is not `application/x-www-form-urlencoded`.
    #[error("the request body could not be decoded as application/x-www-form-urlencoded")]
    Encoding,
    /// A key is malformed (unbalanced brackets, empty name).
    #[error("invalid parameter name: {0}")]
    BadKey(String),
    /// A key is used both as a value and as a container (`a=1&a[b]=2`).
    #[error("parameter {0} was given conflicting values")]
    Conflict(String),
    /// Nesting deeper than the supported limit.
    #[error("parameter {0} is nested too deeply")]
    TooDeep(String),
}

const MAX_DEPTH: usize = 8;

/// Intermediate tree keeping insertion order.
enum Node {
    Leaf(String),
    Branch(Vec<(String, Node)>),
}

/// Splits `a[b][]` into `["a", "b", ""]`.
fn split_key(key: &str) -> Result<Vec<&str>, FormError> {
    let bad = || FormError::BadKey(key.to_owned());
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() || head.contains(']') {
        return Err(bad());
    }
    let mut parts = vec![head];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(bad)?;
        let close = inner.find(']').ok_or_else(bad)?;
        let segment = &inner[..close];
        if segment.contains('[') {
            return Err(bad());
        }
        parts.push(segment);
        rest = &inner[close + 1..];
    }
    if parts.len() > MAX_DEPTH {
        return Err(FormError::TooDeep(key.to_owned()));
    }
    Ok(parts)
}

fn insert(
    entries: &mut Vec<(String, Node)>,
    parts: &[&str],
    value: String,
    key: &str,
) -> Result<(), FormError> {
    let Some((first, rest)) = parts.split_first() else {
        return Err(FormError::BadKey(key.to_owned()));
    };
    // `[]` appends: its index is the number of entries so far.
    let name = if first.is_empty() {
        entries.len().to_string()
    } else {
        (*first).to_owned()
    };
    let existing = entries.iter_mut().position(|(k, _)| *k == name);
    if rest.is_empty() {
        match existing {
            None => entries.push((name, Node::Leaf(value))),
            // Repeated scalar keys: the last one wins (like Rails and Stripe).
            Some(i) => match &mut entries[i].1 {
                Node::Leaf(v) => *v = value,
                Node::Branch(_) => return Err(FormError::Conflict(key.to_owned())),
            },
        }
        return Ok(());
    }
    let index = match existing {
        Some(i) => i,
        None => {
            entries.push((name, Node::Branch(Vec::new())));
            entries.len() - 1
        }
    };
    match &mut entries[index].1 {
        Node::Branch(children) => insert(children, rest, value, key),
        Node::Leaf(_) => Err(FormError::Conflict(key.to_owned())),
    }
}

fn to_value(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Branch(children) => {
            let all_indexes = !children.is_empty()
                && children
                    .iter()
                    .all(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
            if all_indexes {
                let mut indexed: Vec<(u64, Node)> = children
                    .into_iter()
                    .map(|(k, v)| (k.parse::<u64>().unwrap_or(u64::MAX), v))
                    .collect();
                indexed.sort_by_key(|(i, _)| *i);
                Value::Array(indexed.into_iter().map(|(_, v)| to_value(v)).collect())
            } else {
                Value::Object(
                    children
                        .into_iter()
                        .map(|(k, v)| (k, to_value(v)))
                        .collect::<Map<String, Value>>(),
                )
            }
        }
    }
}

/// Decodes a form body or query string into a JSON object.
pub fn parse(input: &[u8]) -> Result<Value, FormError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(input).map_err(|_| FormError::Encoding)?;
    let mut root = Vec::new();
    for (key, value) in pairs {
        let parts = split_key(&key)?;
        insert(&mut root, &parts, value, &key)?;
    }
    // The root is always an object, even if all its keys are digits.
    Ok(Value::Object(
        root.into_iter()
            .map(|(k, v)| (k, to_value(v)))
            .collect::<Map<String, Value>>(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> Value {
        parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn flat_and_nested() {
        assert_eq!(p("a=1&b=x+y"), json!({"a": "1", "b": "x y"}));
        assert_eq!(
            p("a[b][c]=v&a[b][d]=w"),
            json!({"a": {"b": {"c": "v", "d": "w"}}})
        );
    }

    #[test]
    fn arrays_by_index_are_ordered() {
        assert_eq!(
            p("line_items[1][price]=b&line_items[0][price]=a&line_items[0][quantity]=2"),
            json!({"line_items": [{"price": "a", "quantity": "2"}, {"price": "b"}]})
        );
        assert_eq!(p("x[10]=ten&x[2]=two"), json!({"x": ["two", "ten"]}));
    }

    #[test]
    fn append_brackets_and_indexed_expand() {
        assert_eq!(
            p("expand[]=line_items&expand[]=discounts"),
            json!({"expand": ["line_items", "discounts"]})
        );
        assert_eq!(p("expand[0]=line_items"), json!({"expand": ["line_items"]}));
    }

    #[test]
    fn percent_encoded_brackets() {
        assert_eq!(
            p("expand%5B%5D=line_items&metadata%5Bk%5D=v%26w"),
            json!({"expand": ["line_items"], "metadata": {"k": "v&w"}})
        );
    }

    #[test]
    fn empty_value_is_empty_string() {
        assert_eq!(p("discounts="), json!({"discounts": ""}));
        assert_eq!(p(""), json!({}));
    }

    #[test]
    fn errors() {
        assert!(matches!(parse(b"a=1&a[b]=2"), Err(FormError::Conflict(_))));
        assert!(matches!(parse(b"a[b]=2&a=1"), Err(FormError::Conflict(_))));
        assert!(matches!(parse(b"a[b=1"), Err(FormError::BadKey(_))));
        assert!(matches!(parse(b"[a]=1"), Err(FormError::BadKey(_))));
        assert!(matches!(parse(b"a]=1"), Err(FormError::BadKey(_))));
        assert!(matches!(
            parse(b"a[1][2][3][4][5][6][7][8]=1"),
            Err(FormError::TooDeep(_))
        ));
    }

    #[test]
    fn last_scalar_wins() {
        assert_eq!(
            p("mode=payment&mode=subscription"),
            json!({"mode": "subscription"})
        );
    }
}
