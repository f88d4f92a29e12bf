//! Decoding of Stripe-style form bodies and query strings into a JSON tree.
//!
//! Keys use bracket notation: `a[b][c]=v` nests objects, `a[0][b]=v` builds
//! arrays (ordered by index), `expand[]=x` appends, and `a=` is the empty
//! string (which clears an "emptyable" parameter). All leaves are strings.
//!
//! The work is linear in the size of the input: each level of the tree finds
//! its children by name in a hash map that keeps insertion order, and the
//! input is bounded ([`MAX_PARAMS`] pairs, [`MAX_DEPTH`] segments per name,
//! array indexes up to [`MAX_INDEX`]); past a bound the parse stops with an
//! error naming it.

use indexmap::IndexMap;
use serde_json::{Map, Value};

pub use crate::limits::{MAX_DEPTH, MAX_INDEX, MAX_PARAMS};

/// A malformed or oversized form body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A key is malformed (unbalanced brackets, empty name).
    #[error("Invalid parameter name: {0}")]
    BadKey(String),
    /// A key is used both as a value and as a container (`a=1&a[b]=2`).
    #[error("Parameter {0} was given conflicting values.")]
    Conflict(String),
    /// More than [`MAX_DEPTH`] segments in a name.
    #[error(
        "Parameter {0} is nested too deeply: the sandbox accepts names of at most {MAX_DEPTH} \
         levels (`a[b][c]` has 3)."
    )]
    TooDeep(String),
    /// More than [`MAX_PARAMS`] parameters.
    #[error(
        "Too many parameters: the sandbox accepts at most {MAX_PARAMS} parameters per request."
    )]
    TooMany,
    /// An array index past [`MAX_INDEX`] (the parameter up to that index).
    #[error(
        "Invalid array index in {0}: the sandbox accepts array indexes from 0 to {MAX_INDEX}."
    )]
    IndexTooLarge(String),
}

impl FormError {
    /// The parameter the error is about, if it is about one.
    pub fn param(&self) -> Option<&str> {
        match self {
            FormError::BadKey(key)
            | FormError::Conflict(key)
            | FormError::TooDeep(key)
            | FormError::IndexTooLarge(key) => Some(key),
            FormError::TooMany => None,
        }
    }
}

/// Children by name, in insertion order.
type Entries = IndexMap<String, Node>;

/// Intermediate tree keeping insertion order.
enum Node {
    Leaf(String),
    Branch(Entries),
}

/// Splits `a[b][]` into `["a", "b", ""]`, stopping past [`MAX_DEPTH`].
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
        if parts.len() == MAX_DEPTH {
            return Err(FormError::TooDeep(key.to_owned()));
        }
        let inner = rest.strip_prefix('[').ok_or_else(bad)?;
        let close = inner.find(']').ok_or_else(bad)?;
        let segment = &inner[..close];
        if segment.contains('[') {
            return Err(bad());
        }
        parts.push(segment);
        rest = &inner[close + 1..];
    }
    Ok(parts)
}

/// Inserts `value` at `parts` under `entries`: one hash lookup per level.
fn insert(
    entries: &mut Entries,
    parts: &[&str],
    value: String,
    key: &str,
) -> Result<(), FormError> {
    let Some((first, rest)) = parts.split_first() else {
        return Err(FormError::BadKey(key.to_owned()));
    };
    // `[]` appends: its index is the number of entries so far.
    let appended;
    let name = if first.is_empty() {
        appended = entries.len().to_string();
        appended.as_str()
    } else {
        first
    };
    if rest.is_empty() {
        match entries.get_mut(name) {
            None => {
                entries.insert(name.to_owned(), Node::Leaf(value));
            }
            // Repeated scalar keys: the last one wins (like Rails and Stripe).
            Some(Node::Leaf(v)) => *v = value,
            Some(Node::Branch(_)) => return Err(FormError::Conflict(key.to_owned())),
        }
        return Ok(());
    }
    if !entries.contains_key(name) {
        entries.insert(name.to_owned(), Node::Branch(Entries::new()));
    }
    match entries.get_mut(name) {
        Some(Node::Branch(children)) => insert(children, rest, value, key),
        Some(Node::Leaf(_)) => Err(FormError::Conflict(key.to_owned())),
        None => Err(FormError::BadKey(key.to_owned())),
    }
}

/// The JSON of `node`. A branch whose names are all digits is an array,
/// ordered by index; an index past [`MAX_INDEX`] is an error carrying the
/// path to it, innermost segment first.
fn to_value(node: Node) -> Result<Value, Vec<String>> {
    let children = match node {
        Node::Leaf(s) => return Ok(Value::String(s)),
        Node::Branch(children) => children,
    };
    let all_indexes = !children.is_empty()
        && children
            .keys()
            .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
    if !all_indexes {
        return object(children).map(Value::Object);
    }
    let mut indexed = Vec::with_capacity(children.len());
    for (k, v) in children {
        match k.parse::<usize>() {
            Ok(i) if i <= MAX_INDEX => indexed.push((i, k, v)),
            _ => return Err(vec![k]),
        }
    }
    indexed.sort_by_key(|(i, _, _)| *i);
    indexed
        .into_iter()
        .map(|(_, k, v)| within(&k, v))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// The JSON object of `children`.
fn object(children: Entries) -> Result<Map<String, Value>, Vec<String>> {
    children
        .into_iter()
        .map(|(k, v)| {
            let v = within(&k, v)?;
            Ok((k, v))
        })
        .collect()
}

/// The JSON of child `name`, adding `name` to the path of an error.
fn within(name: &str, node: Node) -> Result<Value, Vec<String>> {
    to_value(node).map_err(|mut path| {
        path.push(name.to_owned());
        path
    })
}

/// `["c", "b", "a"]` → `a[b][c]`.
fn param_of(mut path: Vec<String>) -> String {
    path.reverse();
    let mut parts = path.into_iter();
    let mut out = parts.next().unwrap_or_default();
    for part in parts {
        out.push('[');
        out.push_str(&part);
        out.push(']');
    }
    out
}

/// Decodes a form body or query string into a JSON object.
pub fn parse(input: &[u8]) -> Result<Value, FormError> {
    let mut root = Entries::new();
    for (count, (key, value)) in form_urlencoded::parse(input).enumerate() {
        if count == MAX_PARAMS {
            return Err(FormError::TooMany);
        }
        let parts = split_key(&key)?;
        insert(&mut root, &parts, value.into_owned(), &key)?;
    }
    // The root is always an object, even if all its keys are digits.
    object(root)
        .map(Value::Object)
        .map_err(|path| FormError::IndexTooLarge(param_of(path)))
}

/// The value of the last top-level parameter `name` (the one [`parse`] would
/// keep), found by a linear scan of the pairs without building the tree or
/// applying the limits: a cheap look at one parameter, such as the key a
/// request must carry, before the full parse.
pub fn last_value(input: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(input)
        .filter(|(key, _)| key == name)
        .last()
        .map(|(_, value)| value.into_owned())
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
    fn parameter_count_is_bounded() {
        let at_limit = vec!["a[]=x"; MAX_PARAMS].join("&");
        let parsed = p(&at_limit);
        assert_eq!(parsed["a"].as_array().unwrap().len(), MAX_PARAMS);
        let over = format!("{at_limit}&b=1");
        assert_eq!(parse(over.as_bytes()), Err(FormError::TooMany));
        assert_eq!(FormError::TooMany.param(), None);
        assert!(FormError::TooMany.to_string().contains("1000 parameters"));
        // Empty pairs (`&&`) are not parameters.
        let sparse = format!("{}{at_limit}", "&".repeat(5000));
        assert!(parse(sparse.as_bytes()).is_ok());
    }

    #[test]
    fn depth_is_bounded() {
        let deepest = "a[1][2][3][4][5][6][7]=x";
        assert_eq!(p(deepest)["a"][0][0][0][0][0][0][0], "x");
        let err = parse(b"a[1][2][3][4][5][6][7][8]=1").unwrap_err();
        assert_eq!(err.param(), Some("a[1][2][3][4][5][6][7][8]"));
        // A very long name stops at the limit.
        let long = format!("a{}=1", "[]".repeat(30_000));
        assert!(matches!(parse(long.as_bytes()), Err(FormError::TooDeep(_))));
    }

    #[test]
    fn array_indexes_are_bounded() {
        assert_eq!(p("a[999]=x"), json!({"a": ["x"]}));
        let err = parse(b"a[1000]=x").unwrap_err();
        assert_eq!(err, FormError::IndexTooLarge("a[1000]".to_owned()));
        assert!(err.to_string().contains("0 to 999"));
        // The parameter is named up to the index, however deep it is.
        let err = parse(b"x=1&line_items[0][tax_rates][99999999]=t").unwrap_err();
        assert_eq!(err.param(), Some("line_items[0][tax_rates][99999999]"));
        let err = parse(b"a[123456789012345678901234567890]=x").unwrap_err();
        assert_eq!(err.param(), Some("a[123456789012345678901234567890]"));
        // Digits among other names are object keys, not indexes.
        assert_eq!(
            p("metadata[a]=1&metadata[5000]=2"),
            json!({"metadata": {"a": "1", "5000": "2"}})
        );
        // Top-level digit names stay object keys.
        assert_eq!(p("5000=x"), json!({"5000": "x"}));
    }

    #[test]
    fn many_appends_keep_their_order() {
        // One branch with many children: each is found by hash, in order.
        let body: Vec<String> = (0..MAX_PARAMS).map(|i| format!("a[]={i}")).collect();
        let parsed = p(&body.join("&"));
        let values: Vec<&str> = parsed["a"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let expected: Vec<String> = (0..MAX_PARAMS).map(|i| i.to_string()).collect();
        assert_eq!(values, expected);
        // Named children keep insertion order too.
        let body: Vec<String> = (0..500).map(|i| format!("m[k{i}]={i}")).collect();
        let parsed = p(&body.join("&"));
        let keys: Vec<&String> = parsed["m"].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 500);
    }

    #[test]
    fn last_value_scans_without_parsing() {
        assert_eq!(
            last_value(b"a=1&key=pk_test_a&b[c]=2&key=pk_test_b", "key").as_deref(),
            Some("pk_test_b")
        );
        assert_eq!(last_value(b"key%5Bx%5D=1&keys=2", "key"), None);
        assert_eq!(
            last_value(b"key=pk_test_%41", "key").as_deref(),
            Some("pk_test_A")
        );
        // Bodies the full parse refuses can still be scanned.
        let junk = format!(
            "{}&key=pk_live_x&a=1&a[b]=2",
            vec!["a[]="; 12_000].join("&")
        );
        assert_eq!(
            last_value(junk.as_bytes(), "key").as_deref(),
            Some("pk_live_x")
        );
        assert!(parse(junk.as_bytes()).is_err());
    }

    #[test]
    fn last_scalar_wins() {
        assert_eq!(
            p("mode=payment&mode=subscription"),
            json!({"mode": "subscription"})
        );
    }
}
