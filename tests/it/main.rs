//! schoolnet's integration tests, one module per surface, in one test binary: each binary links
//! the whole application, so one binary instead of thirteen saves minutes of linking and
//! gigabytes of disk on every CI run (the layout matklad's "Delete Cargo Integration Tests"
//! argues for). Snapshots live in `snapshots/`, named `it__<module>__<name>.snap`.

mod cli;
mod common;
mod diaries;
mod generate;
mod graphql_api;
mod graphql_http;
mod hostile_input;
mod limits;
mod materials;
mod meetings;
mod monitoring;
mod mutations;
mod permissions;
mod plans;
mod scaling;
mod site;
