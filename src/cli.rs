//! The `schoolnet` command: `serve`, `migrate`, `schema`.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::db::{self, DEFAULT_DATABASE_URL};

/// Municipal monitoring of support programmes for schools with low results (ШНОР, ШНСУ, 500+).
#[derive(Parser)]
#[command(name = "schoolnet", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API and GraphiQL; migrates first, and fills an empty database with the
    /// demo dataset.
    Serve {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Address to listen on.
        #[arg(long, env = "SCHOOLNET_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Bring the database schema up to date, and nothing else.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print the GraphQL schema (SDL), as checked in at schema/schema.graphql.
    Schema,
}

#[derive(Args)]
struct DatabaseArgs {
    /// `sqlite://FILE?mode=rwc` (the default, a file in the working directory) or
    /// `postgres://user@host/db`.
    #[arg(long, env = "SCHOOLNET_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

/// Runs the command line; any failure is one line on stderr and exit code 1.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm_migration=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(error),
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn fail(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("schoolnet: {error}");
    ExitCode::FAILURE
}

async fn execute(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Serve { database, addr } => {
            let db = db::open(&database.database_url).await?;
            crate::server::serve(db, addr)
                .await
                .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
        }
        Command::Migrate { database } => {
            let db = db::connect(&database.database_url).await?;
            db::migrate(&db).await?;
            tracing::info!("the database schema is up to date");
        }
        Command::Schema => print!("{}", crate::graphql::sdl()),
    }
    Ok(())
}
