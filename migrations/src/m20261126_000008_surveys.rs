//! The change survey «Есть ли изменения?» (seed 000, «Адресные рекомендации»): its sections and
//! statements as reference data, and a school's survey rounds with how many respondents gave
//! each of the three answers to each statement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000008_surveys"
    }
}

/// The survey as seed 000 prints it: sections and their statements (the typo «слеую» is the
/// seed's).
const SECTIONS: [(&str, &[&str]); 4] = [
    (
        "Доверие и сотрудничество",
        &[
            "Учителя наблюдают и обсуждают преподавание друг с другом",
            "Школа поддерживает взаимодействие учителей",
            "Учителя совместно разрабатывают программы и учебные планы",
            "Я слеую тем решениям, которые были согласованы с коллегами",
            "Хорошие отношения в коллективе нашей школы усиливают пользу нововведений",
        ],
    ),
    (
        "Целенаправленная командная работа",
        &[
            "В школе регулярно обсуждаются учебные цели и их достижение",
            "Учителя вовлечены в работу по улучшению результатов школы",
            "В школе сформирована стратегическая команда, участвующая в управленческих решениях",
            "Улучшением результатов работы школы руководит стратегическая команда",
            "Руководство школы поощряет участие учителя в командной работе, в том числе, материально",
        ],
    ),
    (
        "Работа с данными",
        &[
            "Планирование в школе происходит на основе анализа информации",
            "Достижение поставленных целей определяется тем, как изменились образовательные результаты учеников",
            "Внутришкольный мониторинг улучшает возможности обучения",
            "В школе собираются разнообразные данные об индивидуальном прогрессе учеников",
            "Достижения учителя измеряются разными способами",
        ],
    ),
    (
        "Возможности профессионального развития",
        &[
            "Школа организует полезные рабочие группы и тренинги",
            "Школа выделяет учителям время для самообучения",
            "Мы получили возможность для практики, рефлексии, обсуждения",
            "Мы определяем задачи профессионального развития, ориентируясь на новые стратегии/технологии преподавания",
            "Профессиональный рост учителя поддерживается разными способами",
        ],
    ),
];

const TABLES: &str = r#"
CREATE TABLE survey_statements (
    id {id},
    number INTEGER NOT NULL UNIQUE CHECK (number > 0),
    section_number INTEGER NOT NULL CHECK (section_number > 0),
    section TEXT NOT NULL CHECK (TRIM(section) <> ''),
    text TEXT NOT NULL CHECK (TRIM(text) <> '')
);

CREATE TABLE survey_rounds (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,
    held_on TEXT NOT NULL CHECK (LENGTH(held_on) IN (4, 7, 10)),
    respondents INTEGER NOT NULL CHECK (respondents > 0),
    CONSTRAINT survey_rounds_once UNIQUE (school_id, held_on)
);

CREATE TABLE survey_answers (
    id {id},
    round_id INTEGER NOT NULL REFERENCES survey_rounds (id) ON DELETE CASCADE,
    statement_id INTEGER NOT NULL REFERENCES survey_statements (id) ON DELETE RESTRICT,
    no_change INTEGER NOT NULL CHECK (no_change >= 0),
    slight INTEGER NOT NULL CHECK (slight >= 0),
    noticeable INTEGER NOT NULL CHECK (noticeable >= 0),
    CONSTRAINT survey_answers_once UNIQUE (round_id, statement_id)
)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLES).await?;
        let db = manager.get_connection();
        let mut rows = Vec::new();
        for (s, (section, statements)) in SECTIONS.iter().enumerate() {
            for text in *statements {
                rows.push(format!(
                    "({}, {}, '{}', '{}')",
                    rows.len() + 1,
                    s + 1,
                    section.replace('\'', "''"),
                    text.replace('\'', "''")
                ));
            }
        }
        db.execute_unprepared(&format!(
            "INSERT INTO survey_statements (number, section_number, section, text) VALUES {}",
            rows.join(", ")
        ))
        .await?;
        Ok(())
    }
}
