//! The GraphQL object types, one module per part of the domain. Each wraps a database row and
//! resolves its relations through the request's DataLoader (see `loaders`).

mod access;
mod network;
mod people;
mod place;
mod school;

pub use access::{AuditEntry, Me};
pub use network::{Organisation, Partnership, PartnershipGroup};
pub use people::{Appointment, Person};
pub use place::{Cluster, Municipality, Region};
pub use school::{Evaluation, ProgrammeParticipation, School};

/// An object with a global id, fetchable by `node(id:)` (Relay).
#[derive(async_graphql::Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "The global id."))]
pub enum Node {
    Region(Region),
    Municipality(Municipality),
    Cluster(Cluster),
    School(School),
    Organisation(Organisation),
    Person(Person),
    PartnershipGroup(PartnershipGroup),
    Partnership(Partnership),
    Appointment(Appointment),
    Evaluation(Evaluation),
    ProgrammeParticipation(ProgrammeParticipation),
}
