//! Recording teacher competency deficits and identification decisions: the municipality's
//! monitoring records.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, id_field, run};
use crate::changes::Rules;
use crate::changes::deficits::{
    DeficitCounts, DeficitKey, delete_competency_deficit, record_competency_deficit,
    update_competency_deficit,
};
use crate::changes::identification::{
    DecisionTerms, delete_identification_decision, record_identification_decision,
    update_identification_decision,
};
use crate::graphql::ids::Kind;
use crate::graphql::monitoring::ProcedureSubjectInput;
use crate::graphql::types::{CompetencyDeficitRow, IdentificationDecision};

/// The counts of one subject's row, as published.
#[derive(InputObject)]
pub struct DeficitCountsInput {
    /// Teachers of the subject assessed.
    teachers: i32,
    /// Level A: systemic deficits.
    level_a: i32,
    /// Level B: local deficits.
    level_b: i32,
    /// Level C: minor deficits.
    level_c: i32,
    /// Level D: no deficits.
    level_d: i32,
    /// The shares A, B, C, D the source printed (four whole percentages), if it printed them;
    /// kept only to show where they differ from the computed ones.
    published_shares: Option<Vec<i32>>,
}

impl DeficitCountsInput {
    fn counts(self, edge: &mut Rules) -> DeficitCounts {
        let published_shares = self.published_shares.and_then(|shares| {
            let four: Result<[i32; 4], _> = shares.try_into();
            edge.require(
                four.is_ok(),
                "counts.publishedShares",
                "give four shares: A, B, C, D",
                "укажите четыре доли: A, B, C, D",
            );
            four.ok()
        });
        DeficitCounts {
            teachers: self.teachers,
            levels: [self.level_a, self.level_b, self.level_c, self.level_d],
            published_shares,
        }
    }
}

/// What a decision says.
#[derive(InputObject)]
pub struct DecisionTermsInput {
    /// The share of failed participants that makes a result low, in percent.
    #[graphql(default = 30.0)]
    threshold: f64,
    /// The procedures analysed.
    procedures: Vec<ProcedureSubjectInput>,
    /// The conclusion, as published.
    conclusion: String,
    /// The document that records it (a protocol, an order).
    document: Option<String>,
    /// The schools identified.
    schools: Vec<ID>,
}

impl DecisionTermsInput {
    fn terms(self, edge: &mut Rules) -> DecisionTerms {
        let mut procedures = Vec::new();
        for (i, p) in self.procedures.into_iter().enumerate() {
            let field = format!("terms.procedures[{i}]");
            match p.parse(&field) {
                Ok(p) => procedures.push(p),
                Err(error) => {
                    edge.require(false, field, error.message, "процедура указана неверно")
                }
            }
        }
        let schools = self
            .schools
            .iter()
            .enumerate()
            .map(|(i, id)| id_field(edge, Kind::School, &format!("terms.schools[{i}]"), id))
            .collect();
        DecisionTerms {
            threshold: self.threshold,
            procedures,
            conclusion: self.conclusion,
            document: self.document,
            schools,
        }
    }
}

/// Mutations of deficits and identification decisions.
#[derive(Default)]
pub struct DeficitMutations;

#[Object]
impl DeficitMutations {
    /// Records one subject's competency deficits in a municipality (or one of its schools) and
    /// year (admin or the municipality's coordinator). A + B + C + D must equal the teachers.
    async fn record_competency_deficit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "One school of it; omitted for the whole municipality.")] school: Option<
            ID,
        >,
        #[graphql(desc = "The year of the assessment.")] year: i32,
        #[graphql(desc = "The subject's code.")] subject: String,
        #[graphql(desc = "The counts.")] counts: DeficitCountsInput,
    ) -> Result<CompetencyDeficitRow> {
        run(
            ctx,
            |s| async move {
                let school = school
                    .map(|id| id_argument(Kind::School, &id))
                    .transpose()?;
                let mut edge = Rules::new();
                let counts = counts.counts(&mut edge);
                let key = DeficitKey {
                    municipality,
                    school,
                    year,
                    subject,
                };
                record_competency_deficit(s, key, counts, edge).await
            },
            CompetencyDeficitRow,
        )
        .await
    }

    /// Corrects a row's counts.
    async fn update_competency_deficit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The row's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The counts.")] counts: DeficitCountsInput,
    ) -> Result<CompetencyDeficitRow> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::CompetencyDeficitRow, &id)?;
                let mut edge = Rules::new();
                let counts = counts.counts(&mut edge);
                update_competency_deficit(s, id, version, counts, edge).await
            },
            CompetencyDeficitRow,
        )
        .await
    }

    /// Removes a row recorded by mistake; returns it as it was.
    async fn delete_competency_deficit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The row's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<CompetencyDeficitRow> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::CompetencyDeficitRow, &id)?;
                delete_competency_deficit(s, id, version).await
            },
            CompetencyDeficitRow,
        )
        .await
    }

    /// Records the decision a municipality published on which schools have low results for a
    /// year (admin or the municipality's coordinator).
    async fn record_identification_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The year schools are identified for.")] year: i32,
        #[graphql(desc = "What the decision says.")] terms: DecisionTermsInput,
    ) -> Result<IdentificationDecision> {
        run(
            ctx,
            |s| async move {
                let mut edge = Rules::new();
                let terms = terms.terms(&mut edge);
                record_identification_decision(s, municipality, year, terms, edge).await
            },
            IdentificationDecision,
        )
        .await
    }

    /// Replaces what a decision says.
    async fn update_identification_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What the decision says.")] terms: DecisionTermsInput,
    ) -> Result<IdentificationDecision> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::IdentificationDecision, &id)?;
                let mut edge = Rules::new();
                let terms = terms.terms(&mut edge);
                update_identification_decision(s, id, version, terms, edge).await
            },
            IdentificationDecision,
        )
        .await
    }

    /// Removes a decision recorded by mistake; returns it as it was.
    async fn delete_identification_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<IdentificationDecision> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::IdentificationDecision, &id)?;
                delete_identification_decision(s, id, version).await
            },
            IdentificationDecision,
        )
        .await
    }
}
