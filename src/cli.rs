//! The `schoolnet` command: `serve`, `export`, `migrate`, `generate`, `schema`, `token`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::auth::{self, Role};
use crate::db::{self, DEFAULT_DATABASE_URL};
use crate::graphql::limits::Limits;
use crate::graphql::{person_number, school_number};
use crate::server::ServerOptions;
use crate::site::{self, ExportOptions, SiteConfig};

/// Municipal monitoring of support programmes for schools with low results (ШНОР, ШНСУ, 500+).
#[derive(Parser)]
#[command(name = "schoolnet", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How log lines are written to stderr: `text` for a terminal, `json` (one object per line,
    /// with the request id) for a log collector. `RUST_LOG` sets the level.
    #[arg(long, env = "SCHOOLNET_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
}

/// The shapes of the log.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
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
        /// A read replica of the database (PostgreSQL): queries and exports read it, mutations
        /// and export jobs go to `--database-url`.
        #[arg(long, env = "SCHOOLNET_READ_DATABASE_URL")]
        read_database_url: Option<String>,
        /// Where `startSiteExport` writes sites: DIR/all, or DIR/<slug> for one municipality.
        #[arg(long, env = "SCHOOLNET_SITE_DIR", default_value = "site")]
        site_dir: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        network: NetworkArgs,
    },
    /// Bring the database schema up to date, and nothing else.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Write a deterministic synthetic country (for benchmarks at national scale) into a
    /// database without municipalities; migrates first, never loads the demo.
    Generate {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long, default_value_t = 85)]
        regions: usize,
        #[arg(long, default_value_t = 2400)]
        municipalities: usize,
        #[arg(long, default_value_t = 40000)]
        schools: usize,
        /// Years of evaluations and results, up to and including --last-year.
        #[arg(long, default_value_t = 6)]
        years: usize,
        #[arg(long, default_value_t = 2025)]
        last_year: i32,
        /// Assessment results per school and year (at most 24).
        #[arg(long, default_value_t = 20)]
        results_per_year: usize,
        /// The same seed and scale give the same country.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add the country beside the municipalities already in the database.
        #[arg(long)]
        into_non_empty: bool,
    },
    /// Render the district education website into a folder (static files, any web server).
    Export {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The folder that will hold the site; replaced atomically when the export succeeds.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Only this municipality (slug); repeat for several. All when omitted.
        #[arg(long = "municipality")]
        municipalities: Vec<String>,
        /// The public address of the site, for sitemap.xml: https://edu.example.ru/
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        site: SiteArgs,
        /// Refuse to export while the settings lack the publisher's name, address, phone or
        /// e-mail (without it, the pages show a placeholder).
        #[arg(long)]
        strict: bool,
        /// Render every region. By default a region whose data did not change since the last
        /// export (by its reference rows and the audit log of changes made through the API)
        /// keeps its files; after changing the database around the API, say --full.
        #[arg(long)]
        full: bool,
    },
    /// Print the GraphQL schema (SDL), as checked in at schema/schema.graphql.
    Schema,
    /// Manage the API tokens that authorise changes.
    Token {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token; it is printed once, as the last line, and only its hash is kept.
    Create {
        /// ADMIN (everything), COORDINATOR (one municipality), CURATOR (their schools) or
        /// DIRECTOR (one school's roadmap and reports).
        #[arg(long, value_enum, ignore_case = true)]
        role: Role,
        /// The municipality a COORDINATOR manages (its slug).
        #[arg(long)]
        municipality: Option<String>,
        /// The person a CURATOR token belongs to: a Person id from the API, or the row number.
        #[arg(long)]
        person: Option<String>,
        /// The school a DIRECTOR token acts for: a School id from the API, or the row number.
        #[arg(long)]
        school: Option<String>,
        /// A note to recognise the token by in `token list` and the audit log.
        #[arg(long)]
        label: Option<String>,
    },
    /// List tokens (never the tokens themselves).
    List,
    /// Revoke a token by its number from `token list`.
    Revoke {
        /// The token's number.
        id: i32,
    },
}

/// How `serve` faces the network: what one request may ask, and who may connect how.
#[derive(Args)]
struct NetworkArgs {
    /// The estimated cost one query may have (a field costs 1, times the items its list can
    /// return).
    #[arg(long, env = "SCHOOLNET_MAX_COST", default_value_t = Limits::default().max_cost)]
    max_cost: u64,
    /// Fields one query may select, after fragments are expanded.
    #[arg(long, env = "SCHOOLNET_MAX_FIELDS", default_value_t = Limits::default().max_fields)]
    max_fields: u64,
    /// Aliased fields one query may select, after fragments are expanded.
    #[arg(long, env = "SCHOOLNET_MAX_ALIASES", default_value_t = Limits::default().max_aliases)]
    max_aliases: u64,
    /// Directives on one field.
    #[arg(long, env = "SCHOOLNET_MAX_DIRECTIVES", default_value_t = Limits::default().max_directives)]
    max_directives: usize,
    /// Brackets open at once in the query text.
    #[arg(long, env = "SCHOOLNET_MAX_NESTING", default_value_t = Limits::default().max_nesting)]
    max_nesting: usize,
    /// The largest response, in bytes.
    #[arg(long, env = "SCHOOLNET_MAX_RESPONSE_BYTES", default_value_t = Limits::default().max_response_bytes)]
    max_response_bytes: usize,
    /// Seconds one request may run; its work is stopped after that.
    #[arg(long, env = "SCHOOLNET_REQUEST_TIMEOUT", default_value_t = Limits::default().timeout.as_secs())]
    request_timeout: u64,
    /// Connections open at once; more wait until one closes.
    #[arg(long, env = "SCHOOLNET_MAX_CONNECTIONS", default_value_t = ServerOptions::default().max_connections)]
    max_connections: usize,
    /// Seconds for a request's headers to arrive.
    #[arg(long, env = "SCHOOLNET_HEADER_TIMEOUT", default_value_t = ServerOptions::default().header_timeout.as_secs())]
    header_timeout: u64,
    /// Seconds a connection may stay without traffic.
    #[arg(long, env = "SCHOOLNET_IDLE_TIMEOUT", default_value_t = ServerOptions::default().idle_timeout.as_secs())]
    idle_timeout: u64,
    /// An origin whose web pages may call the API (CORS), such as https://edu.example.ru;
    /// repeat for several, or separate by commas in the variable. None by default.
    #[arg(
        long = "cors-origin",
        env = "SCHOOLNET_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
    /// Do not serve GraphiQL at `/`.
    #[arg(long, env = "SCHOOLNET_NO_GRAPHIQL")]
    no_graphiql: bool,
    /// Refuse introspection queries (`__schema`, `__type`).
    #[arg(long, env = "SCHOOLNET_NO_INTROSPECTION")]
    no_introspection: bool,
}

impl NetworkArgs {
    fn options(self) -> ServerOptions {
        ServerOptions {
            limits: Limits {
                max_nesting: self.max_nesting,
                max_cost: self.max_cost,
                max_fields: self.max_fields,
                max_aliases: self.max_aliases,
                max_directives: self.max_directives,
                max_response_bytes: self.max_response_bytes,
                timeout: Duration::from_secs(self.request_timeout),
            },
            graphiql: !self.no_graphiql,
            introspection: !self.no_introspection,
            cors_origins: self.cors_origins,
            max_connections: self.max_connections,
            header_timeout: Duration::from_secs(self.header_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
        }
    }
}

/// What the published site looks like and who publishes it; `serve` (for `startSiteExport`)
/// and `export` read them alike.
#[derive(Args)]
struct SiteArgs {
    /// Templates and CSS that replace the built-in ones of the same name.
    #[arg(long, default_value = "site-templates")]
    templates: PathBuf,
    /// The site settings (the publisher's name, department, address, phone, e-mail), TOML;
    /// `site.toml` in the working directory when it exists.
    #[arg(long, env = "SCHOOLNET_SITE_SETTINGS")]
    settings: Option<PathBuf>,
}

impl SiteArgs {
    fn templates(&self) -> Option<PathBuf> {
        self.templates.is_dir().then(|| self.templates.clone())
    }

    /// The settings named, or those of `site.toml` when it exists, or none.
    fn settings(&self) -> Result<site::SiteSettings, site::SettingsError> {
        let default = PathBuf::from("site.toml");
        match &self.settings {
            Some(path) => site::SiteSettings::load(path),
            None if default.is_file() => site::SiteSettings::load(&default),
            None => Ok(site::SiteSettings::default()),
        }
    }
}

#[derive(Args)]
struct DatabaseArgs {
    /// `sqlite://FILE?mode=rwc` (the default, a file in the working directory) or
    /// `postgres://user@host/db`.
    #[arg(long, env = "SCHOOLNET_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
}

/// Runs the command line; any failure is one line on stderr and exit code 1.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let log = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm_migration=warn".into()),
        )
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => log.init(),
        LogFormat::Json => log.json().init(),
    }
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
        Command::Serve {
            database,
            read_database_url,
            addr,
            site_dir,
            site,
            network,
        } => {
            let primary = db::open(&database.database_url).await?;
            // The replica follows the primary's schema; it is only connected to.
            let databases = match read_database_url {
                Some(url) => db::Databases::new(primary, db::connect(&url).await?),
                None => db::Databases::single(primary),
            };
            let site = SiteConfig {
                dir: site_dir,
                templates: site.templates(),
                settings: site.settings()?,
            };
            crate::server::serve(databases, addr, site, network.options())
                .await
                .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
        }
        Command::Generate {
            database,
            regions,
            municipalities,
            schools,
            years,
            last_year,
            results_per_year,
            seed,
            into_non_empty,
        } => {
            let db = db::connect(&database.database_url).await?;
            db::migrate(&db).await?;
            let scale = crate::generate::Scale {
                regions,
                municipalities,
                schools,
                years,
                results_per_year,
                last_year,
                seed,
            };
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(200));
            let progress = |table: &str, rows: u64| {
                bar.set_message(format!("{rows} rows written, now {table}"));
            };
            let report = crate::generate::generate(&db, &scale, into_non_empty, &progress).await?;
            bar.finish_and_clear();
            let seconds = report.elapsed.as_secs_f64();
            for (table, rows) in &report.tables {
                println!("{table}: {rows}");
            }
            println!(
                "{} rows in {seconds:.1} s ({:.0} rows/s)",
                report.rows(),
                report.rows() as f64 / seconds
            );
        }
        Command::Migrate { database } => {
            let db = db::connect(&database.database_url).await?;
            db::migrate(&db).await?;
            tracing::info!("the database schema is up to date");
        }
        Command::Export {
            database,
            out,
            municipalities,
            base_url,
            site,
            strict,
            full,
        } => {
            let settings = site.settings()?;
            let db = db::open(&database.database_url).await?;
            let options = ExportOptions {
                out,
                municipalities,
                base_url,
                templates: site.templates(),
                settings,
                strict,
                full,
            };
            let report = site::export(&db, &options, &|_, _| {}).await?;
            tracing::info!(
                pages = report.pages,
                written = report.files.written,
                unchanged = report.files.unchanged,
                reused_regions = report.reused_regions,
                elapsed_ms = report.elapsed.as_millis() as u64,
                "exported the site to {}",
                options.out.display()
            );
        }
        Command::Schema => print!("{}", crate::graphql::sdl()),
        Command::Token { database, action } => {
            let db = db::open(&database.database_url).await?;
            token(&db, action).await?;
        }
    }
    Ok(())
}

async fn token(
    db: &sea_orm::DatabaseConnection,
    action: TokenAction,
) -> Result<(), Box<dyn std::error::Error>> {
    match action {
        TokenAction::Create {
            role,
            municipality,
            person,
            school,
            label,
        } => {
            let request = auth::TokenRequest {
                role,
                municipality,
                person_id: person.as_deref().map(person_number).transpose()?,
                school_id: school.as_deref().map(school_number).transpose()?,
                label,
            };
            let (token, row) = auth::create_token(db, request).await?;
            eprintln!(
                "created token #{} ({}); store it now, it is not shown again:",
                row.id,
                format!("{:?}", row.role).to_uppercase()
            );
            println!("{token}");
        }
        TokenAction::List => {
            println!(
                "{:>4}  {:<12} {:>12} {:>7} {:>7}  {:<25} {:<9} label",
                "id", "role", "municipality", "person", "school", "created", "state"
            );
            for t in auth::list_tokens(db).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:>4}  {:<12} {:>12} {:>7} {:>7}  {:<25} {:<9} {}",
                    t.id,
                    format!("{:?}", t.role).to_uppercase(),
                    t.municipality_id.map(|m| m.to_string()).unwrap_or_default(),
                    t.person_id.map(|p| p.to_string()).unwrap_or_default(),
                    t.school_id.map(|p| p.to_string()).unwrap_or_default(),
                    t.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    state,
                    t.label.unwrap_or_default()
                );
            }
        }
        TokenAction::Revoke { id } => {
            auth::revoke_token(db, id).await?;
            println!("revoked token #{id}");
        }
    }
    Ok(())
}
