//! schoolnet: municipal monitoring of support programmes for schools with low results.
//!
//! The crate is split by what the code is about: `domain` (values and their rules), `entities`
//! (the database tables), `demo` (the dataset from the seeds), `monitoring` (what the
//! assessment results say: dynamics, municipal tables, identification of low-results schools), `graphql` (the API), `server`
//! (HTTP), `db` (connecting and migrating) and `cli` (the `schoolnet` command).

pub mod auth;
pub mod changes;
pub mod cli;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod generate;
pub mod graphql;
pub mod monitoring;
pub mod server;
pub mod site;
