//! The `schoolnet` binary as a user runs it: the checked-in SDL is current, `serve` works on a
//! fresh directory with nothing configured, and a database it cannot open stops it with one line.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_schoolnet");

#[test]
fn checked_in_schema_is_current() {
    let output = Command::new(BIN)
        .arg("schema")
        .output()
        .expect("run schoolnet schema");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let checked_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/schema.graphql"
    ))
    .expect("schema/schema.graphql");
    assert!(
        printed == checked_in,
        "schema/schema.graphql is out of date: run `cargo run -- schema > schema/schema.graphql`"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `schoolnet serve` in `dir` with `args` and `RUST_LOG=log_level`, its stderr in
/// `dir/stderr`, and waits until it answers `/health`.
async fn serve(
    dir: &std::path::Path,
    args: &[&str],
    log_level: &str,
) -> (std::process::Child, String) {
    let addr = format!("127.0.0.1:{}", free_port());
    let stderr = std::fs::File::create(dir.join("stderr")).unwrap();
    let mut child = Command::new(BIN)
        .args(args)
        .arg("serve")
        .env_remove("SCHOOLNET_DATABASE_URL")
        .env("RUST_LOG", log_level)
        .env("SCHOOLNET_ADDR", &addr)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("start schoolnet serve");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match client.get(format!("http://{addr}/health")).send().await {
            Ok(response) if response.status().is_success() => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
            _ => {
                child.kill().ok();
                panic!("schoolnet serve did not become healthy within 60 s");
            }
        }
    }
    (child, addr)
}

/// Stops a server with SIGTERM: a graceful stop with exit code 0.
fn stop(mut child: std::process::Child) {
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status}");
}

#[tokio::test]
async fn serve_on_a_fresh_directory_creates_and_fills_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (child, addr) = serve(dir.path(), &[], "info").await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": "{ municipalities { shortName } }" }))
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    let names: Vec<&str> = body["data"]["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["shortName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Котельниковский",
            "Лабинский",
            "Цунтинский",
            "Ирбитское",
            "Ирбит",
            "Яйский"
        ]
    );
    assert!(
        dir.path().join("schoolnet.db").exists(),
        "the default SQLite file is in the working directory"
    );

    stop(child);
    // At the default level a request writes no line of its own.
    let log = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(log.contains("loaded the demo dataset"), "{log}");
    assert!(!log.contains(&id), "{log}");
}

#[tokio::test]
async fn json_logs_tie_each_line_to_its_request() {
    let dir = tempfile::tempdir().unwrap();
    let (child, addr) = serve(dir.path(), &["--log-format", "json"], "schoolnet=debug").await;
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": "{ regions { name } }" }))
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    stop(child);
    let log = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "loaded the demo dataset into the empty database"),
        "{log}"
    );
    let request = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request" && l["fields"]["path"] == "/graphql")
        .unwrap_or_else(|| panic!("no request line at debug: {log}"));
    assert_eq!(request["span"]["request_id"], id.as_str(), "{request}");
    assert_eq!(request["fields"]["status"], 200, "{request}");
}

#[test]
fn an_unreachable_database_stops_serve_with_one_clear_line() {
    let output = Command::new(BIN)
        .args([
            "serve",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "--addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("schoolnet: cannot open the database"),
        "{stderr}"
    );
}

/// Runs `schoolnet export` in `dir` with `args`; returns the exit code and the last line of stderr.
fn export_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(BIN)
        .current_dir(dir)
        .arg("export")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (
        output.status.code(),
        stderr.lines().last().unwrap_or_default().to_owned(),
    )
}

#[test]
fn the_publisher_comes_from_the_settings_and_strict_exports_refuse_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");

    // Without settings: --strict refuses and names what is missing, and writes nothing.
    let (code, line) = export_in(dir.path(), &["--strict"]);
    assert_eq!(code, Some(1), "{line}");
    assert!(
        line.contains("publisher.name, publisher.address, publisher.phone, publisher.email"),
        "{line}"
    );
    assert!(!site.exists());

    // A malformed field is refused by name.
    std::fs::write(
        dir.path().join("site.toml"),
        "[publisher]\nemail = \"edu at example.ru\"\n",
    )
    .unwrap();
    let (code, line) = export_in(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        line.contains("site.toml: publisher.email: «edu at example.ru» is not an e-mail address"),
        "{line}"
    );
    assert!(!site.exists());

    // Without --strict, a missing field is a visible placeholder.
    std::fs::write(
        dir.path().join("site.toml"),
        "[publisher]\nname = \"Отдел образования\"\n",
    )
    .unwrap();
    let (code, line) = export_in(dir.path(), &[]);
    assert_eq!(code, Some(0), "{line}");
    let contacts = std::fs::read_to_string(site.join("contacts.html")).unwrap();
    assert!(
        contacts.contains("<dt>Издатель</dt><dd>Отдел образования</dd>"),
        "{contacts}"
    );
    assert!(
        contacts.contains("<dt>Адрес</dt><dd><span class=\"placeholder\">"),
        "{contacts}"
    );

    // Complete settings: every page's footer and the contacts page show them.
    std::fs::write(
        dir.path().join("site.toml"),
        "[publisher]\nname = \"Отдел образования\"\ndepartment = \"РМК\"\naddress = \"г. Котельниково, ул. Ленина, 9\"\nphone = \"+7 (84476) 3-12-34\"\nemail = \"edu@example.ru\"\n",
    )
    .unwrap();
    let (code, line) = export_in(dir.path(), &["--strict"]);
    assert_eq!(code, Some(0), "{line}");
    for page in [
        "index.html",
        "vi/kotelnikovsky/school-1.html",
        "contacts.html",
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(
            html.contains("Отдел образования, РМК. г. Котельниково, ул. Ленина, 9. Телефон: <a href=\"tel:+78447631234\">+7 (84476) 3-12-34</a>. Эл. почта: <a href=\"mailto:edu@example.ru\">edu@example.ru</a>."),
            "{page}"
        );
        assert!(!html.contains("placeholder"), "{page}");
    }
}
