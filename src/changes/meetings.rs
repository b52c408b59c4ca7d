//! Recording meetings and their protocols: the heading, the date, the agenda, the speakers with
//! their topics and annexes, the numbered decisions, the vote and the chair, as printed.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session};
use crate::domain::{PartialDate, TextKind};
use crate::entities::meeting::{self, Annex, Annexes, Speaker, Speakers, Texts};

/// At most this many items in any list of a protocol.
const MAX_ITEMS: usize = 50;

/// What a protocol says.
#[derive(Clone, Debug, Default)]
pub struct Protocol {
    /// What met, as the heading prints it.
    pub title: String,
    /// When, to the precision printed.
    pub held_on: Option<PartialDate>,
    /// Повестка дня.
    pub agenda: Vec<String>,
    /// Слушали.
    pub speakers: Vec<Speaker>,
    /// Приложения.
    pub annexes: Vec<Annex>,
    /// Постановили, in order.
    pub decisions: Vec<String>,
    /// Голосовали.
    pub vote: Option<String>,
    /// Председатель.
    pub chair: Option<String>,
}

/// Whether `link` may go on the site: a path within it, or an http(s) address.
fn safe_link(link: &str) -> bool {
    let external = link.starts_with("https://") || link.starts_with("http://");
    let internal = !link.contains(':')
        && !link.starts_with('/')
        && !link.split(['/', '#']).any(|part| part == "..")
        && !link.contains('\\');
    (external || internal) && !link.chars().any(char::is_whitespace)
}

impl Protocol {
    fn validate(self, mut rules: Rules) -> Result<meeting::ActiveModel, ChangeError> {
        let title = rules.text(self.title, "protocol.title", TextKind::Paragraph);
        for (field, len) in [
            ("protocol.agenda", self.agenda.len()),
            ("protocol.speakers", self.speakers.len()),
            ("protocol.annexes", self.annexes.len()),
            ("protocol.decisions", self.decisions.len()),
        ] {
            rules.require(
                len <= MAX_ITEMS,
                field,
                format!("at most {MAX_ITEMS} items"),
                format!("не больше {MAX_ITEMS} пунктов"),
            );
        }
        rules.require(
            !self.agenda.is_empty() || !self.decisions.is_empty(),
            "protocol.decisions",
            "a protocol has an agenda or decisions",
            "в протоколе должна быть повестка или решения",
        );
        let agenda = rules.text_list(
            self.agenda,
            "protocol.agenda",
            TextKind::Paragraph,
            MAX_ITEMS,
        );
        let decisions = self
            .decisions
            .into_iter()
            .take(MAX_ITEMS)
            .enumerate()
            .map(|(i, d)| rules.text(d, &format!("protocol.decisions[{i}]"), TextKind::Paragraph))
            .collect();
        let mut annexes: Vec<Annex> = Vec::new();
        for (i, a) in self.annexes.into_iter().take(MAX_ITEMS).enumerate() {
            let field = format!("protocol.annexes[{i}]");
            rules.require(
                a.number > 0 && !annexes.iter().any(|b| b.number == a.number),
                format!("{field}.number"),
                format!("annex {} is numbered twice or not positive", a.number),
                format!(
                    "приложение {} пронумеровано дважды или не положительно",
                    a.number
                ),
            );
            if let Some(link) = &a.link {
                rules.require(
                    safe_link(link),
                    format!("{field}.link"),
                    "a link is a path within the site or an http(s) address",
                    "ссылка — путь внутри сайта или адрес http(s)",
                );
            }
            annexes.push(Annex {
                number: a.number,
                title: rules.text(a.title, &format!("{field}.title"), TextKind::Name),
                link: a.link,
            });
        }
        let mut speakers = Vec::new();
        for (i, s) in self.speakers.into_iter().take(MAX_ITEMS).enumerate() {
            let field = format!("protocol.speakers[{i}]");
            for number in &s.annexes {
                rules.require(
                    annexes.iter().any(|a| a.number == *number),
                    format!("{field}.annexes"),
                    format!("there is no annex {number}"),
                    format!("приложения {number} нет"),
                );
            }
            speakers.push(Speaker {
                speaker: rules.text(s.speaker, &format!("{field}.speaker"), TextKind::Name),
                topic: rules.text(s.topic, &format!("{field}.topic"), TextKind::Paragraph),
                annexes: s.annexes,
            });
        }
        let vote = rules.optional_text(self.vote, "protocol.vote", TextKind::Name);
        let chair = rules.optional_text(self.chair, "protocol.chair", TextKind::Name);
        rules.check()?;
        Ok(meeting::ActiveModel {
            title: Set(title),
            held_on: Set(self.held_on),
            agenda: Set(Texts(agenda)),
            speakers: Set(Speakers(speakers)),
            annexes: Set(Annexes(annexes)),
            decisions: Set(Texts(decisions)),
            vote: Set(vote),
            chair: Set(chair),
            ..Default::default()
        })
    }
}

/// Records the protocol of a meeting in a municipality (by slug).
pub async fn record_meeting(
    session: Session<'_>,
    municipality: String,
    protocol: Protocol,
) -> Result<meeting::Model, ChangeError> {
    let mut change = session.begin(Command::RecordMeeting).await?;
    let municipality = change.municipality(&municipality).await?;
    let mut row = protocol.validate(Rules::new())?;
    row.municipality_id = Set(municipality.id);
    let row = row.insert(&*change).await?;
    change
        .finish::<meeting::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Replaces the protocol `id` as it was at `version`.
pub async fn update_meeting(
    session: Session<'_>,
    id: i32,
    version: i32,
    protocol: Protocol,
) -> Result<meeting::Model, ChangeError> {
    let (change, before) = session
        .open::<meeting::Entity>(Command::UpdateMeeting, id, version)
        .await?;
    let changes = protocol.validate(Rules::new())?;
    change.update(before, changes).await
}

/// Removes the protocol `id` recorded by mistake.
pub async fn delete_meeting(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<meeting::Model, ChangeError> {
    session
        .delete::<meeting::Entity>(Command::DeleteMeeting, id, version)
        .await
}

#[cfg(test)]
mod tests {
    use super::safe_link;

    #[test]
    fn links_stay_on_the_site_or_go_to_the_web() {
        for good in [
            "kotelnikovsky/index.html#results",
            "https://edu.example.ru/a.pdf",
        ] {
            assert!(safe_link(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "../secret",
            "/etc/passwd",
            "a/../../b",
            "data:text/html,x",
            "a b",
        ] {
            assert!(!safe_link(bad), "{bad}");
        }
    }
}
