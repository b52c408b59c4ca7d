//! GraphQL over HTTP side by side with PostGraphile on the same PostgreSQL database: three
//! queries a reader's pages make (a municipality's first 20 schools; its partnership structure,
//! groups → members → school → evaluations; one school's page), each at concurrency 1 and 32,
//! against both servers in one run, so that the figures are ratios on a shared, noisy machine.
//! Prints requests/s, p50 and p99 per server, and schoolnet's SQL statements per request and
//! the round trips they took (read from its `/metrics`).
//!
//! `.ci/bench` generates the national dataset, starts both servers and runs this; by hand:
//! `SCHOOLNET_URL=http://127.0.0.1:8080 POSTGRAPHILE_URL=http://127.0.0.1:5050 BENCH_MUNICIPALITY=syn1-0001 BENCH_SCHOOL=1 cargo bench --bench graphql`
//! (`BENCH_QUERY=page` runs only the queries whose name contains «page»).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One query, as each server spells it.
struct Case {
    name: &'static str,
    schoolnet: String,
    postgraphile: String,
}

fn cases(municipality: &str, school: i32) -> Vec<Case> {
    use base64::Engine;
    let school_id =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("School:{school}"));
    vec![
        Case {
            name: "first 20 schools of a municipality",
            schoolnet: format!(
                r#"{{ schools(filter: {{municipality: "{municipality}"}}, orderBy: NAME, first: 20) {{ totalCount nodes {{ id name fullName kind }} }} }}"#
            ),
            postgraphile: format!(
                r#"{{ municipalityBySlug(slug: "{municipality}") {{ schoolsByMunicipalityId(orderBy: NAME_ASC, first: 20) {{ totalCount nodes {{ id name fullName kind }} }} }} }}"#
            ),
        },
        Case {
            name: "partnership structure with evaluations",
            schoolnet: format!(
                r#"{{ partnershipGroups(municipality: "{municipality}") {{ number members {{ role school {{ name evaluations {{ year qualityGroup qualityLevel }} }} }} }} }}"#
            ),
            postgraphile: format!(
                r#"{{ municipalityBySlug(slug: "{municipality}") {{ partnershipGroupsByMunicipalityId(orderBy: NUMBER_ASC) {{ nodes {{ number groupMembershipsByGroupId {{ nodes {{ role schoolBySchoolId {{ name evaluationsBySchoolId(orderBy: YEAR_ASC) {{ nodes {{ year qualityGroup qualityLevel }} }} }} }} }} }} }} }} }}"#
            ),
        },
        Case {
            name: "one school's page",
            schoolnet: format!(
                r#"{{ school(id: "{school_id}") {{ name fullName kind municipality {{ name }} cluster {{ number }} evaluations {{ year qualityGroup qualityLevel wellbeingGroup }} programmes {{ programme includedOn excludedOn }} curators {{ person {{ fullName }} }} director {{ fullName }} riskProfiles {{ year riskGroup }} results {{ year procedure grade participants }} }} }}"#
            ),
            postgraphile: format!(
                r#"{{ schoolById(id: {school}) {{ name fullName kind municipalityByMunicipalityId {{ name }} clusterByClusterId {{ number }} evaluationsBySchoolId {{ nodes {{ year qualityGroup qualityLevel wellbeingGroup }} }} programmeParticipationsBySchoolId {{ nodes {{ programme includedOn excludedOn }} }} appointmentsBySchoolId {{ nodes {{ role personByPersonId {{ fullName }} }} }} riskProfilesBySchoolId {{ nodes {{ year riskGroup }} }} assessmentResultsBySchoolId {{ nodes {{ year procedure grade participants }} }} }} }}"#
            ),
        },
    ]
}

/// Requests/s, p50 and p99 of `requests` requests of `query`, `concurrency` at a time.
async fn measure(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    concurrency: usize,
    requests: usize,
) -> (f64, Duration, Duration) {
    let body = Arc::new(json!({ "query": query }));
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (client, url, body) = (client.clone(), url.to_owned(), body.clone());
        let share = requests / concurrency + usize::from(worker < requests % concurrency);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            for _ in 0..share {
                let sent = Instant::now();
                let response: Value = client
                    .post(&url)
                    .json(&*body)
                    .send()
                    .await
                    .expect("the server answers")
                    .json()
                    .await
                    .expect("a JSON answer");
                assert!(
                    response.get("errors").is_none(),
                    "{url} answered with errors: {response}"
                );
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    for worker in workers {
        latencies.extend(worker.await.expect("a worker"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    (requests as f64 / elapsed, at(0.5), at(0.99))
}

/// schoolnet's SQL statements and their round trips so far, from its `/metrics`.
async fn statements(client: &reqwest::Client, base: &str) -> [f64; 2] {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("/metrics")
        .text()
        .await
        .expect("metrics text");
    ["statements", "round_trips"].map(|counter| {
        let name = format!("schoolnet_sql_{counter}_total ");
        text.lines()
            .find_map(|line| line.strip_prefix(&name))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name}in /metrics"))
    })
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set; see the doc comment"))
}

#[tokio::main]
async fn main() {
    let schoolnet = env("SCHOOLNET_URL");
    let postgraphile = env("POSTGRAPHILE_URL");
    let municipality = env("BENCH_MUNICIPALITY");
    let school: i32 = env("BENCH_SCHOOL")
        .parse()
        .expect("BENCH_SCHOOL is a row number");
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(400);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("an HTTP client");
    println!(
        "{:<40} {:>3} | {:>16} {:>9} {:>9} {:>5} {:>5} | {:>16} {:>9} {:>9} | {:>7}",
        "query",
        "c",
        "schoolnet req/s",
        "p50 ms",
        "p99 ms",
        "SQL",
        "trips",
        "PostGraphile r/s",
        "p50 ms",
        "p99 ms",
        "ratio"
    );
    // `BENCH_QUERY=page` measures only the queries whose name contains it.
    let only = std::env::var("BENCH_QUERY").unwrap_or_default();
    for case in cases(&municipality, school)
        .into_iter()
        .filter(|case| case.name.contains(&only))
    {
        for concurrency in [1, 32] {
            // Warm both servers' caches and pools first.
            measure(
                &client,
                &format!("{schoolnet}/graphql"),
                &case.schoolnet,
                concurrency,
                concurrency * 4,
            )
            .await;
            measure(
                &client,
                &format!("{postgraphile}/graphql"),
                &case.postgraphile,
                concurrency,
                concurrency * 4,
            )
            .await;
            let before = statements(&client, &schoolnet).await;
            let ours = measure(
                &client,
                &format!("{schoolnet}/graphql"),
                &case.schoolnet,
                concurrency,
                requests,
            )
            .await;
            let after = statements(&client, &schoolnet).await;
            let per_request = |i: usize| (after[i] - before[i]) / requests as f64;
            let theirs = measure(
                &client,
                &format!("{postgraphile}/graphql"),
                &case.postgraphile,
                concurrency,
                requests,
            )
            .await;
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{:<40} {:>3} | {:>16.0} {:>9.2} {:>9.2} {:>5.1} {:>5.1} | {:>16.0} {:>9.2} {:>9.2} | {:>6.2}×",
                case.name,
                concurrency,
                ours.0,
                ms(ours.1),
                ms(ours.2),
                per_request(0),
                per_request(1),
                theirs.0,
                ms(theirs.1),
                ms(theirs.2),
                ours.0 / theirs.0
            );
        }
    }
}
