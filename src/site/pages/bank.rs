//! The «Методический банк» (seed 000, decisions 3 and 9): a page per material with its text and
//! file, and lists by kind and by tag that filter without JavaScript (a page each). Every page
//! is in the search index like the rest of the site.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Page, PageBuilder, link};
use crate::domain::MaterialKind;
use crate::entities::material;
use crate::site::russian;
use crate::site::snapshot::Snapshot;

const INDEX: &str = "bank/index.html";

fn material_url(m: &material::Model) -> String {
    format!("bank/material-{}.html", m.id)
}

fn kind_url(kind: MaterialKind) -> String {
    format!("bank/{}.html", kind.slug())
}

fn tag_url(tag: &str) -> String {
    format!("bank/tag-{}.html", russian::slug(tag))
}

/// «обновлено 24.11.2026».
fn updated(m: &material::Model) -> String {
    format!("обновлено {}", m.updated_at.format("%d.%m.%Y"))
}

/// Materials grouped by kind, in the order of the kinds; FAQ entries newest first.
fn by_kind<'a>(list: impl Iterator<Item = &'a material::Model>) -> Vec<Value> {
    let mut groups: BTreeMap<MaterialKind, Vec<&material::Model>> = BTreeMap::new();
    for m in list {
        groups.entry(m.kind).or_default().push(m);
    }
    groups
        .into_iter()
        .map(|(kind, mut items)| {
            match kind {
                MaterialKind::Faq => items.sort_by_key(|m| std::cmp::Reverse(m.updated_at)),
                _ => items.sort_by(|a, b| a.title.cmp(&b.title)),
            }
            let items: Vec<Value> = items
                .iter()
                .map(|m| json!({ "link": link(&m.title, material_url(m)), "note": updated(m) }))
                .collect();
            json!({ "title": kind.words(), "link": link(kind.words(), kind_url(kind)), "items": items })
        })
        .collect()
}

/// The bank's pages; none when it is empty.
pub fn pages(snapshot: &Snapshot) -> Vec<Page> {
    let all = &snapshot.materials;
    if all.is_empty() {
        return Vec::new();
    }
    let mut tags: BTreeMap<String, Vec<&material::Model>> = BTreeMap::new();
    for m in all {
        for t in &m.tags.0 {
            tags.entry(t.clone()).or_default().push(m);
        }
    }
    let tag_links: Vec<Value> = tags.keys().map(|t| link(t, tag_url(t))).collect();
    let home = link("Методический банк", INDEX);
    let list_page = |path: String, title: String, groups: Vec<Value>| {
        PageBuilder::new(path, "bank.html", title)
            .set("bank", &home)
            .set("groups", groups)
            .set("tags", &tag_links)
            .set("intro", false)
            .build()
    };
    let mut pages = vec![
        PageBuilder::new(INDEX, "bank.html", "Методический банк")
            .set("groups", by_kind(all.iter()))
            .set("tags", &tag_links)
            .set("intro", true)
            .build(),
    ];
    let kinds: std::collections::BTreeSet<MaterialKind> = all.iter().map(|m| m.kind).collect();
    for kind in kinds {
        let groups = by_kind(all.iter().filter(|m| m.kind == kind));
        pages.push(list_page(kind_url(kind), kind.words().to_owned(), groups));
    }
    for (tag, items) in &tags {
        let title = format!("Материалы с меткой «{tag}»");
        pages.push(list_page(
            tag_url(tag),
            title,
            by_kind(items.iter().copied()),
        ));
    }
    for m in all {
        let mut page = PageBuilder::new(material_url(m), "material.html", &m.title)
            .set("bank", &home)
            .set(
                "material",
                json!({
                    "kind": link(m.kind.words(), kind_url(m.kind)),
                    "audience": m.audience,
                    "programme": m.programme.map(russian::programme),
                    "municipality": snapshot.municipality(m.municipality_id).name,
                    "tags": m.tags.0.iter().map(|t| link(t, tag_url(t))).collect::<Vec<_>>(),
                    "updated": updated(m),
                    "html": m.body.to_html(&m.title),
                }),
            );
        if let Some(file) = snapshot.material_files.get(&m.id) {
            let extension = file.file_name.rsplit_once('.').map_or("bin", |(_, e)| e);
            let path = format!("bank/files/material-{}.{}", m.id, extension.to_lowercase());
            page = page.set(
                "file",
                json!({
                    "url": path,
                    "name": file.file_name,
                    "size": format!("{} КБ", file.bytes.len().div_ceil(1024)),
                }),
            );
            let mut built = page.build();
            built.files.push((path, file.bytes.clone()));
            pages.push(built);
        } else {
            pages.push(page.build());
        }
    }
    pages
}
