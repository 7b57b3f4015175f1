//! Why a tool call failed, as an operator needs to sort it: what a caller got wrong, or a fault
//! of the service or the calendar that someone should look at.

use std::fmt;

/// Whose the failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// The caller (or the model for them) asked for something we cannot do: a time in the past,
    /// a phrase we could not read, an appointment that is not theirs, a cap reached. The answer
    /// already told them what to do; nothing to fix.
    Mistake,
    /// Something broke: Cal.com errors or timeouts, a spent request budget, the database, a
    /// setting missing. Someone should look.
    Fault,
}

impl FailureKind {
    /// The stored word: `mistake`, `fault`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FailureKind::Mistake => "mistake",
            FailureKind::Fault => "fault",
        }
    }

    /// Reads the stored word; rows from before the kinds were kept (`None`, or an unknown word)
    /// count as faults, so nothing is hidden from the operator.
    pub fn parse(word: Option<&str>) -> Self {
        match word {
            Some("mistake") => FailureKind::Mistake,
            _ => FailureKind::Fault,
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure sorted: whose it is and its cause, a short fixed label ("calendar timeout", "time
/// has passed") for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// Whose it is.
    pub kind: FailureKind,
    /// What went wrong, from a fixed set of labels.
    pub cause: &'static str,
}

impl Failure {
    /// A caller's mistake.
    pub const fn mistake(cause: &'static str) -> Self {
        Self {
            kind: FailureKind::Mistake,
            cause,
        }
    }

    /// A fault.
    pub const fn fault(cause: &'static str) -> Self {
        Self {
            kind: FailureKind::Fault,
            cause,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_missing_kinds_count_as_faults() {
        assert_eq!(FailureKind::parse(Some("mistake")), FailureKind::Mistake);
        assert_eq!(FailureKind::parse(Some("fault")), FailureKind::Fault);
        assert_eq!(FailureKind::parse(None), FailureKind::Fault);
        assert_eq!(FailureKind::parse(Some("other")), FailureKind::Fault);
    }
}
