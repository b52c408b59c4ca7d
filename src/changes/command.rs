//! Every change schoolnet can make, named once: the name is the GraphQL mutation and the audit
//! log's `operation`, the area is what the permission policy decides on.

use crate::auth::policy::Area;

macro_rules! commands {
    ($($(#[$doc:meta])* $variant:ident => $name:literal in $area:ident),* $(,)?) => {
        /// A kind of change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command {
            $($(#[$doc])* $variant,)*
        }

        impl Command {
            /// Every command, for the permission matrix and the documentation.
            pub const ALL: &[Command] = &[$(Command::$variant,)*];

            /// The GraphQL mutation and the audit log's `operation`: `updateSchool`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }

            /// What the command changes, for the permission policy.
            pub const fn area(self) -> Area {
                match self {
                    $(Command::$variant => Area::$area,)*
                }
            }
        }
    };
}

commands! {
    /// Adds a region.
    CreateRegion => "createRegion" in Regions,
    /// Adds a municipality.
    CreateMunicipality => "createMunicipality" in Municipalities,
    /// Changes a municipality's names and figures.
    UpdateMunicipality => "updateMunicipality" in Municipalities,
    /// Adds an organisation.
    CreateOrganisation => "createOrganisation" in Organisations,
    /// Changes an organisation.
    UpdateOrganisation => "updateOrganisation" in Organisations,
    /// Adds a school.
    CreateSchool => "createSchool" in Schools,
    /// Changes a school.
    UpdateSchool => "updateSchool" in Schools,
    /// Deletes a school without history.
    DeleteSchool => "deleteSchool" in Schools,
    /// Records a year's groups of a school.
    RecordEvaluation => "recordEvaluation" in Evaluations,
    /// Corrects a year's groups.
    UpdateEvaluation => "updateEvaluation" in Evaluations,
    /// Removes a year recorded by mistake.
    DeleteEvaluation => "deleteEvaluation" in Evaluations,
    /// Records an assessment result of a school.
    RecordResult => "recordResult" in Results,
    /// Corrects an assessment result's figures.
    UpdateResult => "updateResult" in Results,
    /// Removes an assessment result recorded by mistake.
    DeleteResult => "deleteResult" in Results,
    /// Records a school's value of a monitoring indicator for a year.
    RecordIndicatorValue => "recordIndicatorValue" in Results,
    /// Corrects a monitoring indicator value.
    UpdateIndicatorValue => "updateIndicatorValue" in Results,
    /// Removes a monitoring indicator value recorded by mistake.
    DeleteIndicatorValue => "deleteIndicatorValue" in Results,
    /// Records the competency deficits of a subject's teachers.
    RecordCompetencyDeficit => "recordCompetencyDeficit" in Deficits,
    /// Corrects the counts of a competency deficit row.
    UpdateCompetencyDeficit => "updateCompetencyDeficit" in Deficits,
    /// Removes a competency deficit row recorded by mistake.
    DeleteCompetencyDeficit => "deleteCompetencyDeficit" in Deficits,
    /// Records a municipality's published identification of low-results schools.
    RecordIdentificationDecision => "recordIdentificationDecision" in Identification,
    /// Corrects a published identification decision.
    UpdateIdentificationDecision => "updateIdentificationDecision" in Identification,
    /// Removes an identification decision recorded by mistake.
    DeleteIdentificationDecision => "deleteIdentificationDecision" in Identification,
    /// Records a school's risk profile for a year.
    RecordRiskProfile => "recordRiskProfile" in Results,
    /// Replaces a risk profile's group and factors.
    UpdateRiskProfile => "updateRiskProfile" in Results,
    /// Removes a risk profile recorded by mistake.
    DeleteRiskProfile => "deleteRiskProfile" in Results,
    /// Records a meeting's protocol.
    RecordMeeting => "recordMeeting" in Meetings,
    /// Replaces a protocol's text.
    UpdateMeeting => "updateMeeting" in Meetings,
    /// Removes a protocol recorded by mistake.
    DeleteMeeting => "deleteMeeting" in Meetings,
    /// Records a round of the change survey at a school.
    RecordSurveyRound => "recordSurveyRound" in Results,
    /// Removes a survey round recorded by mistake.
    DeleteSurveyRound => "deleteSurveyRound" in Results,
    /// Adds an entry to a school's, a teacher's or the director's diary.
    RecordDiaryEntry => "recordDiaryEntry" in Results,
    /// Changes a diary entry.
    UpdateDiaryEntry => "updateDiaryEntry" in Results,
    /// Removes a diary entry made by mistake.
    DeleteDiaryEntry => "deleteDiaryEntry" in Results,
    /// Starts a school's roadmap or a municipal plan for a school year.
    CreatePlan => "createPlan" in Plans,
    /// Retitles a plan and replaces its sections.
    UpdatePlan => "updatePlan" in Plans,
    /// Removes a plan made by mistake.
    DeletePlan => "deletePlan" in Plans,
    /// Adds a measure to a plan.
    AddMeasure => "addMeasure" in Plans,
    /// Changes what a measure says.
    UpdateMeasure => "updateMeasure" in Plans,
    /// Removes a measure made by mistake.
    DeleteMeasure => "deleteMeasure" in Plans,
    /// Records a measure's status and the school's report on it.
    ReportOnMeasure => "reportOnMeasure" in Plans,
    /// Sends a roadmap or a report to the school's curator.
    SubmitForReview => "submitForReview" in Plans,
    /// The curator confirms a roadmap or a report.
    ConfirmReview => "confirmReview" in Reviews,
    /// The curator returns a roadmap or a report with what to change.
    ReturnForChanges => "returnForChanges" in Reviews,
    /// Writes in a review's thread.
    CommentOnReview => "commentOnReview" in Reviews,
    /// Records a curator's visit to a school.
    RecordVisit => "recordVisit" in Visits,
    /// Removes a visit recorded by mistake.
    DeleteVisit => "deleteVisit" in Visits,
    /// Adds a material to the methodological bank.
    RecordMaterial => "recordMaterial" in Materials,
    /// Changes a material of the bank.
    UpdateMaterial => "updateMaterial" in Materials,
    /// Removes a material from the bank.
    DeleteMaterial => "deleteMaterial" in Materials,
    /// Adds a partnership group.
    CreatePartnershipGroup => "createPartnershipGroup" in PartnershipGroups,
    /// Replaces a group's members.
    SetPartnershipGroupMembers => "setPartnershipGroupMembers" in PartnershipGroups,
    /// Deletes a group.
    DeletePartnershipGroup => "deletePartnershipGroup" in PartnershipGroups,
    /// Records an agreement.
    CreatePartnership => "createPartnership" in Partnerships,
    /// Changes an agreement's terms.
    UpdatePartnership => "updatePartnership" in Partnerships,
    /// Ends an agreement.
    EndPartnership => "endPartnership" in Partnerships,
    /// Adds a person.
    CreatePerson => "createPerson" in People,
    /// Changes a person.
    UpdatePerson => "updatePerson" in People,
    /// Appoints a director, curator or coordinator.
    Appoint => "appoint" in Appointments,
    /// Ends an appointment.
    EndAppointment => "endAppointment" in Appointments,
    /// Includes a school in a programme.
    IncludeInProgramme => "includeInProgramme" in Programmes,
    /// Excludes a school from a programme.
    ExcludeFromProgramme => "excludeFromProgramme" in Programmes,
    /// Starts an export of the site.
    StartSiteExport => "startSiteExport" in SiteExports,
}
