//! Recording schools' risk profiles.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::risk_profiles::{
    ProfileTerms, delete_risk_profile, record_risk_profile, update_risk_profile,
};
use crate::domain::Significance;
use crate::graphql::ids::Kind;
use crate::graphql::types::RiskProfile;

/// A risk factor that applies.
#[derive(InputObject)]
pub struct ProfileFactorInput {
    /// The factor's number, 1–10 (see `riskFactors`).
    factor: i32,
    /// Its significance, where ФИС ОКО graded it.
    significance: Option<Significance>,
}

/// What a profile says.
#[derive(InputObject)]
pub struct RiskProfileInput {
    /// Группа риска, as published.
    risk_group: Option<String>,
    /// The factors that apply, each once.
    factors: Vec<ProfileFactorInput>,
}

impl From<RiskProfileInput> for ProfileTerms {
    fn from(input: RiskProfileInput) -> Self {
        ProfileTerms {
            risk_group: input.risk_group,
            factors: input
                .factors
                .into_iter()
                .map(|f| (f.factor, f.significance))
                .collect(),
        }
    }
}

/// Mutations of risk profiles.
#[derive(Default)]
pub struct RiskMutations;

#[Object]
impl RiskMutations {
    /// Records a school's risk profile for a year (admin, the municipality's coordinator, or a
    /// curator of the school).
    async fn record_risk_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The year of the diagnosis; omitted where the source gives none.")]
        year: Option<i32>,
        #[graphql(desc = "The risk group and factors.")] profile: RiskProfileInput,
    ) -> Result<RiskProfile> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                record_risk_profile(s, school, year, profile.into()).await
            },
            RiskProfile,
        )
        .await
    }

    /// Replaces a profile's risk group and factors.
    async fn update_risk_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The risk group and factors.")] profile: RiskProfileInput,
    ) -> Result<RiskProfile> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::RiskProfile, &id)?;
                update_risk_profile(s, id, version, profile.into()).await
            },
            RiskProfile,
        )
        .await
    }

    /// Removes a profile recorded by mistake; returns it as it was.
    async fn delete_risk_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<RiskProfile> {
        run(
            ctx,
            |s| async move {
                delete_risk_profile(s, id_argument(Kind::RiskProfile, &id)?, version).await
            },
            RiskProfile,
        )
        .await
    }
}
