//! The test harness: every data-layer test runs once per backend, on SQLite and on a fresh
//! PostgreSQL database, through the public HTTP surface (the poem app, in-process).
//!
//! PostgreSQL is found at `SCHOOLNET_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`).
//! Under `CI=true` an unreachable server fails the test; elsewhere the test says loudly that it
//! ran on SQLite only.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use poem::EndpointExt;
use poem::endpoint::BoxEndpoint;
use poem::test::TestClient;
use schoolnet::auth::Role;
use schoolnet::db::Databases;
use schoolnet::server::ServerOptions;
use schoolnet::site::SiteConfig;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// One backend with the demo dataset loaded, and the app serving it.
pub struct Backend {
    /// "sqlite" or "postgres", for assertion messages.
    pub name: &'static str,
    /// The database, for counting statements and for adding rows.
    pub db: DatabaseConnection,
    statements: Arc<AtomicUsize>,
    round_trips: Arc<AtomicUsize>,
    client: TestClient<BoxEndpoint<'static>>,
    /// Where this app's site exports go.
    pub site_dir: tempfile::TempDir,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres_database: Option<String>,
}

/// The backends to test on: SQLite always, PostgreSQL when reachable (required under CI).
pub async fn backends() -> Vec<Backend> {
    let mut list = vec![sqlite().await];
    match postgres().await {
        Ok(backend) => list.push(backend),
        Err(reason) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("PostgreSQL is required under CI=true but unreachable: {reason}")
        }
        Err(reason) => warn_sqlite_only(&reason),
    }
    list
}

/// Says once per test binary, on the terminal itself, that PostgreSQL was skipped: libtest
/// captures `eprintln!` of passing tests, so the warning would never be seen; a direct write to
/// the standard error is not captured.
fn warn_sqlite_only(reason: &str) {
    use std::io::Write;
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!! PostgreSQL unreachable ({reason}): the data-layer tests of this binary ran on SQLite ONLY !!!!!\n"
        );
    });
}

/// The SQLite backend alone, for tests of what does not depend on the database (the HTTP
/// protocol, request limits).
pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    Backend::open("sqlite", &url, Some(dir), None).await
}

fn postgres_server() -> String {
    std::env::var("SCHOOLNET_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// Why PostgreSQL could not be reached, once known: later tests of the binary skip it at once.
static UNREACHABLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn postgres() -> Result<Backend, String> {
    let (url, name) = fresh_postgres().await?;
    Ok(Backend::open("postgres", &url, None, Some(name)).await)
}

/// A new empty PostgreSQL database: its URL and name.
async fn fresh_postgres() -> Result<(String, String), String> {
    if let Some(reason) = UNREACHABLE.get() {
        return Err(reason.clone());
    }
    let server = postgres_server();
    let mut options = sea_orm::ConnectOptions::new(format!("{server}/postgres"));
    options
        .connect_timeout(std::time::Duration::from_secs(5))
        .acquire_timeout(std::time::Duration::from_secs(5));
    let admin = Database::connect(options).await.map_err(|e| {
        let reason = e.to_string();
        UNREACHABLE.get_or_init(|| reason.clone());
        reason
    })?;
    let name = format!(
        "schoolnet_test_{}_{}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::SeqCst)
    );
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .map_err(|e| e.to_string())?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| e.to_string())?;
    admin.close().await.ok();
    Ok((format!("{server}/{name}"), name))
}

/// The backends holding a synthetic country of `scale` (`schoolnet generate`) instead of the
/// demo: SQLite always, PostgreSQL when reachable (required under CI).
pub async fn generated_backends(scale: &schoolnet::generate::Scale) -> Vec<Backend> {
    async fn generated(
        name: &'static str,
        url: &str,
        scale: &schoolnet::generate::Scale,
    ) -> DatabaseConnection {
        let db = schoolnet::db::connect(url).await.unwrap();
        schoolnet::db::migrate(&db).await.unwrap();
        schoolnet::generate::generate(&db, scale, false, &|_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        db
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let db = generated("sqlite", &url, scale).await;
    let mut list = vec![Backend::over("sqlite", db, Some(dir), None)];
    match fresh_postgres().await {
        Ok((url, name)) => {
            let db = generated("postgres", &url, scale).await;
            list.push(Backend::over("postgres", db, None, Some(name)));
        }
        Err(reason) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("PostgreSQL is required under CI=true but unreachable: {reason}")
        }
        Err(reason) => warn_sqlite_only(&reason),
    }
    list
}

static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

impl Backend {
    async fn open(
        name: &'static str,
        url: &str,
        sqlite_dir: Option<tempfile::TempDir>,
        postgres_database: Option<String>,
    ) -> Self {
        let db = schoolnet::db::open(url)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        Self::over(name, db, sqlite_dir, postgres_database)
    }

    /// A backend over an opened database.
    fn over(
        name: &'static str,
        db: DatabaseConnection,
        sqlite_dir: Option<tempfile::TempDir>,
        postgres_database: Option<String>,
    ) -> Self {
        let statements = Arc::new(AtomicUsize::new(0));
        let round_trips = Arc::new(AtomicUsize::new(0));
        let (counter, trips) = (statements.clone(), round_trips.clone());
        let mut databases = Databases::single(db.clone());
        databases.count_statements(move |n| {
            counter.fetch_add(n, Ordering::SeqCst);
            trips.fetch_add(1, Ordering::SeqCst);
        });
        let site_dir = tempfile::tempdir().expect("temporary directory");
        let client = app_client(databases, site_dir.path());
        Backend {
            name,
            db,
            statements,
            round_trips,
            client,
            site_dir,
            _sqlite_dir: sqlite_dir,
            postgres_database,
        }
    }

    /// The HTTP client of this backend's app (one app, as a server runs one).
    pub fn client(&self) -> &TestClient<BoxEndpoint<'static>> {
        &self.client
    }

    /// A second app over the same database, as a second server process would be.
    pub fn another_client(&self) -> TestClient<BoxEndpoint<'static>> {
        app_client(Databases::single(self.db.clone()), self.site_dir.path())
    }

    /// An app that writes this database and reads `replica`, as `serve --read-database-url`.
    pub fn client_reading(&self, replica: &DatabaseConnection) -> TestClient<BoxEndpoint<'static>> {
        app_client(
            Databases::new(self.db.clone(), replica.clone()),
            self.site_dir.path(),
        )
    }

    /// Another fresh database of the same kind with the demo loaded: a stand-in for a replica.
    pub async fn twin(&self) -> Backend {
        match self.name {
            "sqlite" => sqlite().await,
            _ => postgres()
                .await
                .expect("PostgreSQL served the first database"),
        }
    }

    /// An app over the same database started with other `serve` options.
    pub fn client_with(&self, options: &ServerOptions) -> TestClient<BoxEndpoint<'static>> {
        let site = SiteConfig {
            dir: self.site_dir.path().to_owned(),
            ..Default::default()
        };
        TestClient::new(
            schoolnet::server::app(Databases::single(self.db.clone()), site, options)
                .map_to_response()
                .boxed(),
        )
    }

    /// A real server over this database on a free local port, as `serve` runs it; it stops when
    /// the returned sender is dropped.
    pub async fn spawn_server(
        &self,
        options: ServerOptions,
    ) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let site = SiteConfig {
            dir: self.site_dir.path().to_owned(),
            ..Default::default()
        };
        let db = Databases::single(self.db.clone());
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            schoolnet::server::serve_on(listener, db, site, options, shutdown)
                .await
                .expect("the test server runs");
        });
        (addr, stop)
    }

    /// Posts a query and returns the whole response body, asserting a 200.
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        self.post_as(None, query, variables).await
    }

    /// Posts a query with a bearer token.
    pub async fn post_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        post_with(&self.client, token, query, variables).await
    }

    /// Creates a token and returns it.
    pub async fn token(
        &self,
        role: Role,
        municipality: Option<&str>,
        person: Option<i32>,
    ) -> String {
        self.scoped_token(role, municipality, person, None).await
    }

    /// Creates a token with every scope a role can have (a DIRECTOR's school) and returns it.
    pub async fn scoped_token(
        &self,
        role: Role,
        municipality: Option<&str>,
        person: Option<i32>,
        school: Option<i32>,
    ) -> String {
        let request = schoolnet::auth::TokenRequest {
            role,
            municipality: municipality.map(str::to_owned),
            person_id: person,
            school_id: school,
            label: Some("test".into()),
        };
        schoolnet::auth::create_token(&self.db, request)
            .await
            .expect("token")
            .0
    }

    /// Every row of every table of the one list (`for_each_record!`), to show that a refused
    /// change wrote nothing.
    pub async fn fingerprint(&self) -> Value {
        macro_rules! rows {
            (
                versioned: [$($v:ident => $V:ident),* $(,)?],
                unversioned: [$($u:ident => $U:ident),* $(,)?],
                internal: [$($i:ident),* $(,)?] $(,)?
            ) => {{
                let mut tables = serde_json::Map::new();
                $(tables.insert(stringify!($v).into(), self.table::<schoolnet::entities::$v::Entity>().await);)*
                $(tables.insert(stringify!($u).into(), self.table::<schoolnet::entities::$u::Entity>().await);)*
                $(tables.insert(stringify!($i).into(), self.table::<schoolnet::entities::$i::Entity>().await);)*
                Value::Object(tables)
            }};
        }
        schoolnet::for_each_record!(rows)
    }

    /// Every row of one table, in a stable order, as text.
    async fn table<E: sea_orm::EntityTrait>(&self) -> Value
    where
        E::Model: std::fmt::Debug,
    {
        use sea_orm::QueryOrder;
        let mut select = E::find();
        for key in <E::PrimaryKey as sea_orm::Iterable>::iter() {
            select = select.order_by_asc(sea_orm::PrimaryKeyToColumn::into_column(key));
        }
        let rows: Vec<String> = select
            .all(&self.db)
            .await
            .unwrap()
            .iter()
            .map(|row| format!("{row:?}"))
            .collect();
        json!(rows)
    }

    /// Posts a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "{}: unexpected errors: {body:#}",
            self.name
        );
        body["data"].clone()
    }

    /// Runs `query` and returns how many SQL statements it cost.
    pub async fn count_statements(&self, query: &str) -> usize {
        self.count_sent(query).await.0
    }

    /// Runs `query` and returns how many SQL statements it cost, and in how many round trips
    /// to the database they went.
    pub async fn count_sent(&self, query: &str) -> (usize, usize) {
        let before = (
            self.statements.load(Ordering::SeqCst),
            self.round_trips.load(Ordering::SeqCst),
        );
        self.data(query, json!({})).await;
        (
            self.statements.load(Ordering::SeqCst) - before.0,
            self.round_trips.load(Ordering::SeqCst) - before.1,
        )
    }

    /// Drops the PostgreSQL test database (SQLite's goes with its temporary directory).
    pub async fn finish(self) {
        if let Some(name) = self.postgres_database {
            self.db.close().await.ok();
            if let Ok(admin) = Database::connect(format!("{}/postgres", postgres_server())).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

fn app_client(
    databases: Databases,
    site_dir: &std::path::Path,
) -> TestClient<BoxEndpoint<'static>> {
    let site = SiteConfig {
        dir: site_dir.to_owned(),
        ..Default::default()
    };
    TestClient::new(
        schoolnet::server::app(databases, site, &ServerOptions::default())
            .map_to_response()
            .boxed(),
    )
}

/// Posts a query with an optional bearer token to an app and returns the body, asserting a 200.
pub async fn post_with(
    client: &TestClient<BoxEndpoint<'static>>,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Value {
    let mut request = client
        .post("/graphql")
        .header("accept", "application/graphql-response+json")
        .body_json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await;
    response.assert_status_is_ok();
    response.json().await.value().deserialize()
}

/// The first error's `extensions.code` and `extensions.field`.
pub fn error_code(body: &Value) -> (String, String) {
    let extensions = &body["errors"][0]["extensions"];
    (
        extensions["code"].as_str().unwrap_or_default().to_owned(),
        extensions["field"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The values of `field` in a list of objects.
pub fn strings(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Adds a municipality «Тестовый район» with `count` schools in groups of five, each with two
/// ВПР results: more rows of every kind the nested queries and the site walk through.
pub async fn add_schools(db: &DatabaseConnection, count: usize) {
    use schoolnet::domain::{Figure, Mean, Procedure, ResultStatus};
    use schoolnet::domain::{MembershipRole, SchoolKind, fold};
    use schoolnet::entities::{
        assessment_result, group_membership, municipality, partnership_group, school,
    };
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};

    let municipality = municipality::ActiveModel {
        region_id: Set(1),
        slug: Set("test-district".into()),
        name: Set("Тестовый район".into()),
        short_name: Set("Тестовый".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let mut group = None;
    for i in 0..count {
        if i % 5 == 0 {
            group = Some(
                partnership_group::ActiveModel {
                    municipality_id: Set(municipality.id),
                    number: Set((i / 5 + 1) as i32),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap(),
            );
        }
        let name = format!("Тестовая СОШ №{i}");
        let school = school::ActiveModel {
            municipality_id: Set(municipality.id),
            search_key: Set(fold(&name)),
            name_key: Set(fold(&name)),
            full_name: Set(format!("МОУ «{name}»")),
            name: Set(name),
            kind: Set(SchoolKind::Secondary),
            aliases: Set(Default::default()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        for year in [2022, 2023] {
            assessment_result::ActiveModel {
                school_id: Set(school.id),
                year: Set(year),
                procedure: Set(Procedure::Vpr),
                subject_id: Set(2),
                grade: Set(Some(7)),
                status: Set(ResultStatus::Result),
                mean_hundredths: Set(Some(Mean::from_hundredths(350, Figure::Mark).unwrap())),
                participants: Set(Some(20)),
                failed: Set(Some(2)),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
        group_membership::ActiveModel {
            group_id: Set(group.as_ref().unwrap().id),
            school_id: Set(school.id),
            role: Set(if i % 5 == 0 {
                MembershipRole::ResourceCentre
            } else {
                MembershipRole::Member
            }),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

/// Polls a job until it ends.
pub async fn finished_job(backend: &Backend, token: &str, id: i64) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let body = backend
            .post_as(
                Some(token),
                "query($id: Int!) { siteExport(id: $id) { status written total error folder } }",
                json!({"id": id}),
            )
            .await;
        let job = body["data"]["siteExport"].clone();
        if job["status"] != "RUNNING" || std::time::Instant::now() > deadline {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Every file of a site, by its path inside the site.
pub fn tree(root: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The row number inside an API id («School:12» encoded): what the site's file names use.
pub fn row_number(id: &str) -> i32 {
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .unwrap_or_else(|e| panic!("{id} is not an id: {e}"));
    let text = String::from_utf8(text).expect("an id is text");
    let (_, number) = text.split_once(':').expect("an id is Type:number");
    number.parse().expect("an id ends with a number")
}
