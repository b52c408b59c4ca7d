//! Risk factors and schools' risk profiles.

use async_graphql::{Context, ID, Object, Result};

use super::School;
use crate::domain::Significance;
use crate::entities::{risk_factor, risk_profile, risk_profile_factor};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_required};

/// The row behind the GraphQL `RiskFactor` object, described on its resolvers.
pub struct RiskFactor(pub risk_factor::Model);

/// A risk factor of the «500+» project (seed 001).
#[Object]
impl RiskFactor {
    /// The number, 1–10, as inputs name the factor.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The name: «Дефицит педагогических кадров».
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A factor in a profile.
pub struct RiskProfileFactor(pub risk_profile_factor::Model);

/// A risk factor that applies to a school, with its significance.
#[Object]
impl RiskProfileFactor {
    /// The factor.
    async fn factor(&self, ctx: &Context<'_>) -> Result<RiskFactor> {
        load_required(ctx, RiskFactorById(self.0.factor_id))
            .await
            .map(RiskFactor)
    }

    /// How significant it is, as ФИС ОКО grades it; null where the source does not say.
    async fn significance(&self) -> Option<Significance> {
        self.0.significance
    }
}

/// The row behind the GraphQL `RiskProfile` object, described on its resolvers.
pub struct RiskProfile(pub risk_profile::Model);

/// A school's risk profile (рисковый профиль школы) for a year.
#[Object]
impl RiskProfile {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::RiskProfile, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The year of the diagnosis; null where the source does not say.
    async fn year(&self) -> Option<i32> {
        self.0.year
    }

    /// Группа риска: «Базово неуспевающие».
    async fn risk_group(&self) -> Option<&str> {
        self.0.risk_group.as_deref()
    }

    /// The factors that apply, in the order recorded.
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<RiskProfileFactor>> {
        Ok(load_many(ctx, FactorsOfProfile(self.0.id))
            .await?
            .into_iter()
            .map(RiskProfileFactor)
            .collect())
    }
}
