//! The curator review of ИС МЭДК (seed 001): a school submits its roadmap, or the report on a
//! measure, and the curator appointed to it confirms it or returns it with a comment. The whole
//! workflow is the table in [`ReviewStep::apply`]; every writer asks it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a roadmap or a report stands in its review.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewState {
    /// Being written by the school; not yet sent.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// Sent to the curator, who has not answered yet; the school cannot change it meanwhile.
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// Confirmed by the curator (согласовано).
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
    /// Returned by the curator with what to change; the school edits and submits again.
    #[sea_orm(string_value = "RETURNED")]
    Returned,
}

impl ReviewState {
    /// Whether the school may still change what is reviewed: not while the curator holds it,
    /// nor once confirmed (a confirmed roadmap is what is carried out).
    pub fn editable(self) -> bool {
        matches!(self, ReviewState::Draft | ReviewState::Returned)
    }

    /// In words, for the site.
    pub fn words(self) -> &'static str {
        match self {
            ReviewState::Draft => "черновик",
            ReviewState::Submitted => "на согласовании у куратора",
            ReviewState::Confirmed => "согласовано куратором",
            ReviewState::Returned => "возвращено куратором на доработку",
        }
    }
}

/// Who takes part in a review.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewSide {
    /// The school: its director, or the municipality acting for it.
    #[sea_orm(string_value = "SCHOOL")]
    School,
    /// The curator appointed to the school.
    #[sea_orm(string_value = "CURATOR")]
    Curator,
}

/// A step of the review, as the thread records it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewStep {
    /// The school sends it to the curator.
    #[sea_orm(string_value = "SUBMIT")]
    Submit,
    /// The curator confirms it.
    #[sea_orm(string_value = "CONFIRM")]
    Confirm,
    /// The curator returns it, saying what to change.
    #[sea_orm(string_value = "RETURN")]
    Return,
    /// Either side writes in the thread; the state stays.
    #[sea_orm(string_value = "COMMENT")]
    Comment,
}

/// Why a step cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefusal {
    /// The step is the other side's.
    #[error("only {0} may take this step")]
    WrongSide(&'static str),
    /// The step does not start from this state.
    #[error("it is {0:?}; this step starts from {1}")]
    WrongState(ReviewState, &'static str),
    /// A return or a comment says something.
    #[error("a return or a comment needs its text")]
    Silent,
}

impl ReviewStep {
    /// The workflow, whole:
    ///
    /// | step    | by      | from              | to        | text     |
    /// |---------|---------|-------------------|-----------|----------|
    /// | SUBMIT  | school  | DRAFT, RETURNED   | SUBMITTED | optional |
    /// | CONFIRM | curator | SUBMITTED         | CONFIRMED | optional |
    /// | RETURN  | curator | SUBMITTED         | RETURNED  | required |
    /// | COMMENT | either  | any               | unchanged | required |
    pub fn apply(
        self,
        state: ReviewState,
        side: ReviewSide,
        has_text: bool,
    ) -> Result<ReviewState, ReviewRefusal> {
        use ReviewState::*;
        let (by, from, to): (Option<ReviewSide>, &[ReviewState], ReviewState) = match self {
            ReviewStep::Submit => (Some(ReviewSide::School), &[Draft, Returned], Submitted),
            ReviewStep::Confirm => (Some(ReviewSide::Curator), &[Submitted], Confirmed),
            ReviewStep::Return => (Some(ReviewSide::Curator), &[Submitted], Returned),
            ReviewStep::Comment => (None, &[Draft, Submitted, Confirmed, Returned], state),
        };
        match by {
            Some(ReviewSide::School) if side != ReviewSide::School => {
                return Err(ReviewRefusal::WrongSide("the school"));
            }
            Some(ReviewSide::Curator) if side != ReviewSide::Curator => {
                return Err(ReviewRefusal::WrongSide(
                    "the curator appointed to the school",
                ));
            }
            _ => {}
        }
        if !from.contains(&state) {
            let names = match self {
                ReviewStep::Submit => "DRAFT or RETURNED",
                _ => "SUBMITTED",
            };
            return Err(ReviewRefusal::WrongState(state, names));
        }
        if matches!(self, ReviewStep::Return | ReviewStep::Comment) && !has_text {
            return Err(ReviewRefusal::Silent);
        }
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    /// Every step from every state by every side, against the table in words.
    #[test]
    fn the_workflow_is_the_table() {
        use ReviewSide::*;
        use ReviewState::*;
        use ReviewStep::*;
        for step in ReviewStep::iter() {
            for state in ReviewState::iter() {
                for side in ReviewSide::iter() {
                    let expected = match (step, state, side) {
                        (Submit, Draft | Returned, School) => Ok(Submitted),
                        (Confirm, Submitted, Curator) => Ok(Confirmed),
                        (Return, Submitted, Curator) => Ok(Returned),
                        (Comment, state, _) => Ok(state),
                        _ => Err(()),
                    };
                    let got = step.apply(state, side, true).map_err(|_| ());
                    assert_eq!(got, expected, "{step:?} from {state:?} by {side:?}");
                }
            }
        }
        assert_eq!(
            Return.apply(Submitted, Curator, false),
            Err(ReviewRefusal::Silent)
        );
        assert_eq!(Confirm.apply(Submitted, Curator, false), Ok(Confirmed));
    }
}
