//! The suite's report: one line per check, `ok` or `FAIL`, each failure with
//! what was sent, what was expected and what came back; a summary line.

use std::fmt;

/// How much of a body a failure shows.
pub const BODY_SHOWN: usize = 400;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// As expected.
    Ok,
    /// Not as expected.
    Fail {
        /// The request (method, URL, body), or what the check read.
        sent: String,
        /// What the contract asks for.
        expected: String,
        /// What came back: status and body (truncated), or the transport error.
        got: String,
    },
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What is checked (`POST /change-subscription-interval {"interval":"weekly"}: refused …`).
    pub name: String,
    /// Its outcome.
    pub outcome: Outcome,
}

/// Every check of a run, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The checks.
    pub checks: Vec<Check>,
    /// Notes that are not checks (refusals no check exercised, …).
    pub notes: Vec<String>,
}

impl Report {
    /// Records a passed check.
    pub fn ok(&mut self, name: impl Into<String>) {
        self.checks.push(Check {
            name: name.into(),
            outcome: Outcome::Ok,
        });
    }

    /// Records a failed check.
    pub fn fail(
        &mut self,
        name: impl Into<String>,
        sent: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) {
        self.checks.push(Check {
            name: name.into(),
            outcome: Outcome::Fail {
                sent: sent.into(),
                expected: expected.into(),
                got: got.into(),
            },
        });
    }

    /// How many checks failed.
    pub fn failures(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.outcome != Outcome::Ok)
            .count()
    }

    /// Whether every check passed (and there was at least one).
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.failures() == 0
    }

    /// The check named `name`, if any.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// `text` cut to [`BODY_SHOWN`] characters (with `…` when cut).
pub fn truncate(text: &str) -> String {
    let mut chars = text.chars();
    let shown: String = chars.by_ref().take(BODY_SHOWN).collect();
    if chars.next().is_some() {
        format!("{shown}…")
    } else {
        shown
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            match &check.outcome {
                Outcome::Ok => writeln!(f, "ok   {}", check.name)?,
                Outcome::Fail {
                    sent,
                    expected,
                    got,
                } => {
                    writeln!(f, "FAIL {}", check.name)?;
                    writeln!(f, "     sent:     {sent}")?;
                    writeln!(f, "     expected: {expected}")?;
                    writeln!(f, "     got:      {got}")?;
                }
            }
        }
        for note in &self.notes {
            writeln!(f, "note {note}")?;
        }
        let failed = self.failures();
        writeln!(
            f,
            "{}: {} checks, {} passed, {failed} failed",
            if self.passed() { "PASSED" } else { "FAILED" },
            self.checks.len(),
            self.checks.len() - failed,
        )
    }
}
