//! A municipality's «Протоколы»: the list of its meetings, and a printable page per protocol
//! with its speakers, numbered decisions and linked annexes.

use serde_json::json;

use super::{Page, PageBuilder, link, municipality_url};
use crate::entities::{meeting, municipality};
use crate::site::russian;
use crate::site::snapshot::Snapshot;

/// The site-relative address of a municipality's list of protocols.
pub fn protocols_url(m: &municipality::Model) -> String {
    format!("{}/protocols.html", m.slug)
}

fn protocol_url(m: &municipality::Model, meeting: &meeting::Model) -> String {
    format!("{}/protocol-{}.html", m.slug, meeting.id)
}

/// «20.05.2021» or «дата не указана».
fn date_words(meeting: &meeting::Model) -> String {
    meeting
        .held_on
        .map_or("дата не указана".to_owned(), russian::date)
}

/// The meetings of a municipality, newest first (undated last).
fn meetings<'a>(snapshot: &'a Snapshot, m: &municipality::Model) -> Vec<&'a meeting::Model> {
    let mut list: Vec<_> = snapshot
        .detail
        .meetings
        .get(&m.id)
        .into_iter()
        .flatten()
        .collect();
    list.sort_by_key(|x| std::cmp::Reverse(x.held_on.map(|d| d.earliest())));
    list
}

/// The list page and a page per protocol; none when the municipality has no meetings.
pub fn pages(snapshot: &Snapshot, m: &municipality::Model) -> Vec<Page> {
    let list = meetings(snapshot, m);
    if list.is_empty() {
        return Vec::new();
    }
    let back = link(&m.name, municipality_url(m));
    let items: Vec<_> = list
        .iter()
        .map(|x| json!({ "link": link(&x.title, protocol_url(m, x)), "date": date_words(x) }))
        .collect();
    let mut pages = vec![
        PageBuilder::new(
            protocols_url(m),
            "protocols.html",
            format!("Протоколы: {}", m.name),
        )
        .set("municipality", &back)
        .set("protocols", items)
        .build(),
    ];
    for x in list {
        let annexes: Vec<_> = x
            .annexes
            .0
            .iter()
            .map(|a| {
                let external = a.link.as_deref().is_some_and(|l| l.contains("://"));
                json!({ "number": a.number, "title": a.title, "link": a.link, "external": external })
            })
            .collect();
        pages.push(
            PageBuilder::new(
                protocol_url(m, x),
                "protocol.html",
                format!("Протокол от {}", date_words(x)),
            )
            .set("municipality", &back)
            .set("list", link("Протоколы", protocols_url(m)))
            .set(
                "meeting",
                json!({
                    "title": x.title,
                    "date": date_words(x),
                    "agenda": x.agenda.0,
                    "speakers": x.speakers.0,
                    "decisions": x.decisions.0,
                    "vote": x.vote,
                    "chair": x.chair,
                    "annexes": annexes,
                    "authority": snapshot.authority(m.id).map(|a| a.name.clone()),
                }),
            )
            .build(),
        );
    }
    pages
}
