//! Stripe's list objects (`{"object": "list", "data", "has_more", "url"}`)
//! and their cursor pagination (`limit`, `starting_after`, `ending_before`),
//! shared by every `GET` that lists.
//!
//! Stripe (stripe-node `src/shared.ts`, `PaginationParams`): *"Limit can range
//! between 1 and 100, and the default is 10."*; `starting_after` / `ending_before`
//! are object ids; lists are newest first, except a session's line items, which
//! keep the session's order.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ApiResult, StripeApiError};
use crate::params::parse_bounded;

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 10;
/// Largest page size.
pub const MAX_LIMIT: u64 = 100;

/// The pagination parameters every list takes.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    /// `limit` (1..=100, default 10).
    pub limit: Option<String>,
    /// `starting_after`: the page after this object.
    pub starting_after: Option<String>,
    /// `ending_before`: the page before this object.
    pub ending_before: Option<String>,
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// The first page.
    First,
    /// The objects after this id (in list order).
    StartingAfter(String),
    /// The objects just before this id (in list order).
    EndingBefore(String),
}

/// A checked page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// How many objects at most.
    pub limit: usize,
    /// Where it starts.
    pub cursor: Cursor,
}

impl PageParams {
    /// Checks the parameters: `limit` in 1..=100, at most one cursor.
    pub fn page(self) -> ApiResult<Page> {
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(v) => parse_bounded(v, "limit", 1, MAX_LIMIT)?,
        };
        let cursor =
            match (self.starting_after, self.ending_before) {
                (Some(_), Some(_)) => return Err(StripeApiError::bad_request(
                    "You may only specify one of these parameters: ending_before, starting_after.",
                )),
                (Some(id), None) => Cursor::StartingAfter(id),
                (None, Some(id)) => Cursor::EndingBefore(id),
                (None, None) => Cursor::First,
            };
        Ok(Page {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            cursor,
        })
    }
}

/// The id a cursor named is not in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorMissing {
    /// `starting_after` or `ending_before`.
    pub param: &'static str,
    /// The id.
    pub id: String,
}

impl CursorMissing {
    /// Stripe's answer: 400 `resource_missing`, `No such <object>: '<id>'`.
    pub fn error(&self, object: &str) -> StripeApiError {
        StripeApiError::resource_missing(
            axum::http::StatusCode::BAD_REQUEST,
            self.param,
            format!("No such {object}: '{}'", self.id),
        )
    }
}

/// One page of `items` (in list order): the cursor is looked for among all
/// items, the page holds only those `keep` accepts. Returns the page and
/// whether more items follow it (for `ending_before`: precede it).
pub fn paginate<T>(
    items: impl Iterator<Item = T>,
    id_of: impl Fn(&T) -> &str,
    keep: impl Fn(&T) -> bool,
    page: &Page,
) -> Result<(Vec<T>, bool), CursorMissing> {
    let limit = page.limit;
    match &page.cursor {
        Cursor::First => Ok(take(items, keep, limit)),
        Cursor::StartingAfter(cursor) => {
            let mut items = items;
            if !items.by_ref().any(|item| id_of(&item) == cursor) {
                return Err(CursorMissing {
                    param: "starting_after",
                    id: cursor.clone(),
                });
            }
            Ok(take(items, keep, limit))
        }
        Cursor::EndingBefore(cursor) => {
            let mut window = VecDeque::with_capacity(limit.saturating_add(1).min(1024));
            for item in items {
                if id_of(&item) == cursor {
                    let has_more = window.len() > limit;
                    if has_more {
                        window.pop_front();
                    }
                    return Ok((window.into(), has_more));
                }
                if keep(&item) {
                    window.push_back(item);
                    if window.len() > limit.saturating_add(1) {
                        window.pop_front();
                    }
                }
            }
            Err(CursorMissing {
                param: "ending_before",
                id: cursor.clone(),
            })
        }
    }
}

fn take<T>(
    items: impl Iterator<Item = T>,
    keep: impl Fn(&T) -> bool,
    limit: usize,
) -> (Vec<T>, bool) {
    let mut out = Vec::new();
    for item in items.filter(|item| keep(item)) {
        if out.len() == limit {
            return (out, true);
        }
        out.push(item);
    }
    (out, false)
}

/// A list object, `data` in list order.
#[derive(Debug, Serialize)]
pub struct ListJson<T> {
    /// The page.
    pub data: Vec<T>,
    /// Whether another page follows.
    pub has_more: bool,
    /// Always `"list"`.
    pub object: &'static str,
    /// The path the list is read at.
    pub url: String,
}

impl<T> ListJson<T> {
    /// The list object of `data` at `url`.
    pub fn new(data: Vec<T>, has_more: bool, url: impl Into<String>) -> Self {
        Self {
            data,
            has_more,
            object: "list",
            url: url.into(),
        }
    }
}

/// A `created` filter: `created=<t>` or `created[gt|gte|lt|lte]=<t>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Created {
    gt: Option<i64>,
    gte: Option<i64>,
    lt: Option<i64>,
    lte: Option<i64>,
}

impl Created {
    /// Parses the `created` parameter (absent: no filter).
    pub fn parse(value: Option<Value>) -> ApiResult<Self> {
        let int = |v: &Value, param: &str| -> ApiResult<i64> {
            let s = v.as_str().unwrap_or_default();
            s.parse::<i64>()
                .map_err(|_| StripeApiError::invalid_integer(param, s))
        };
        match value {
            None => Ok(Self::default()),
            Some(v @ Value::String(_)) => {
                let t = int(&v, "created")?;
                Ok(Self {
                    gte: Some(t),
                    lte: Some(t),
                    ..Self::default()
                })
            }
            Some(Value::Object(map)) => {
                let mut out = Self::default();
                for (k, v) in &map {
                    let param = format!("created[{k}]");
                    let t = int(v, &param)?;
                    match k.as_str() {
                        "gt" => out.gt = Some(t),
                        "gte" => out.gte = Some(t),
                        "lt" => out.lt = Some(t),
                        "lte" => out.lte = Some(t),
                        _ => return Err(StripeApiError::unknown_parameter(&param)),
                    }
                }
                Ok(out)
            }
            Some(_) => Err(StripeApiError::invalid(
                "created",
                "Invalid created: must be an integer or a hash of gt, gte, lt, lte.",
            )),
        }
    }

    /// Whether `t` passes the filter.
    pub fn accepts(&self, t: i64) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }
}

/// `expand[]` of a list: each path must start with `data.`; the rest applies
/// to each object.
pub fn item_expands(expand: Option<Vec<String>>) -> ApiResult<Option<Vec<String>>> {
    let Some(paths) = expand else {
        return Ok(None);
    };
    paths
        .into_iter()
        .enumerate()
        .map(|(i, path)| match path.strip_prefix("data.") {
            Some(rest) => Ok(rest.to_owned()),
            None => Err(StripeApiError::invalid(
                format!("expand[{i}]"),
                format!("This property cannot be expanded ({path})."),
            )),
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn page(limit: usize, cursor: Cursor) -> Page {
        Page { limit, cursor }
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("x{i}")).collect()
    }

    fn run<'a>(items: &'a [String], p: &Page) -> Result<(Vec<&'a str>, bool), CursorMissing> {
        paginate(items.iter(), |s| s.as_str(), |_| true, p)
            .map(|(v, more)| (v.into_iter().map(String::as_str).collect(), more))
    }

    #[test]
    fn pages_forward_and_back() {
        let items = ids(5);
        assert_eq!(
            run(&items, &page(2, Cursor::First)).unwrap(),
            (vec!["x0", "x1"], true)
        );
        assert_eq!(
            run(&items, &page(2, Cursor::StartingAfter("x1".into()))).unwrap(),
            (vec!["x2", "x3"], true)
        );
        assert_eq!(
            run(&items, &page(2, Cursor::StartingAfter("x3".into()))).unwrap(),
            (vec!["x4"], false)
        );
        assert_eq!(
            run(&items, &page(2, Cursor::EndingBefore("x4".into()))).unwrap(),
            (vec!["x2", "x3"], true)
        );
        assert_eq!(
            run(&items, &page(2, Cursor::EndingBefore("x2".into()))).unwrap(),
            (vec!["x0", "x1"], false)
        );
        assert_eq!(
            run(&items, &page(5, Cursor::First)).unwrap(),
            (ids(5).iter().map(String::as_str).collect(), false)
        );
        let missing = run(&items, &page(2, Cursor::StartingAfter("nope".into()))).unwrap_err();
        assert_eq!(missing.param, "starting_after");
    }

    #[test]
    fn params() {
        let p = PageParams::default().page().unwrap();
        assert_eq!(p.limit, 10);
        let bad = PageParams {
            limit: Some("101".into()),
            ..Default::default()
        };
        assert_eq!(bad.page().unwrap_err().param.as_deref(), Some("limit"));
        let both = PageParams {
            starting_after: Some("a".into()),
            ending_before: Some("b".into()),
            ..Default::default()
        };
        assert!(both.page().is_err());
    }

    #[test]
    fn created_filter() {
        let c = Created::parse(Some(serde_json::json!({"gte": "10", "lt": "20"}))).unwrap();
        assert!(c.accepts(10) && c.accepts(19) && !c.accepts(20) && !c.accepts(9));
        let c = Created::parse(Some(Value::String("5".into()))).unwrap();
        assert!(c.accepts(5) && !c.accepts(6));
        assert!(Created::parse(Some(serde_json::json!({"eq": "1"}))).is_err());
    }
}
