//! Monitoring I: assessment results (ВПР, ОГЭ, ЕГЭ…), teacher competency deficits, the
//! monitoring indicators of seed 000 with their yearly values, and the published decisions of
//! the identification of low-results schools (seed 004).
//!
//! The rules that make a figure meaningful are checks here as well as in code: a figure only
//! with a result (never a zero standing for «not held» or «no participants»), a mark 1–5 or a
//! score 0–100 as the procedure reports, failed ≤ participants, deficit levels that add up to
//! the teachers assessed, one record per school × year × procedure × subject × grade × level.
//! Subjects and indicators are reference data, written here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000005_monitoring"
    }
}

/// Subjects (code, Russian name), in the order reports list them.
const SUBJECTS: [(&str, &str); 15] = [
    ("russian", "Русский язык"),
    ("mathematics", "Математика"),
    ("literature", "Литература"),
    ("foreign_language", "Иностранный язык"),
    ("german", "Немецкий язык"),
    ("english", "Английский язык"),
    ("informatics", "Информатика"),
    ("physics", "Физика"),
    ("chemistry", "Химия"),
    ("biology", "Биология"),
    ("history", "История"),
    ("social_studies", "Обществознание"),
    ("geography", "География"),
    ("surrounding_world", "Окружающий мир"),
    ("natural_science", "Естествознание"),
];

/// The criteria and indicators of seed 000 («Адресные рекомендации»): (criterion, indicator,
/// the kind of value a school reports).
const INDICATORS: [(&str, &str, &str); 12] = [
    (
        "Нормативное обеспечение реализации программы",
        "Наличие нормативно-правовой базы: приказы, положения, договоры, локальные акты, необходимых для реализации каждой цели. Соответствие нормативно-правовых документов организации требованиям действующего законодательства.",
        "YES_NO",
    ),
    ("Качество образования", "Качество знаний, в %", "PERCENTAGE"),
    (
        "Качество образования",
        "Уровень обученности, в %",
        "PERCENTAGE",
    ),
    (
        "Качество образования",
        "Состояние здоровья обучающихся, в %",
        "PERCENTAGE",
    ),
    (
        "Качество образования",
        "Охват учащихся всеми видами дополнительного образования, участия во внеурочных и внеклассных мероприятиях, индивидуальными занятиями",
        "PERCENTAGE",
    ),
    (
        "Качество образования",
        "Доля учащихся, продолжающих обучение в 10 классе",
        "PERCENTAGE",
    ),
    ("Качество образования", "Количество неуспевающих", "COUNT"),
    (
        "Профессиональные компетенции педагогических и руководящих кадров",
        "Степень вовлеченности педагогов в решение вопросов жизнедеятельности школы (динамика)",
        "PERCENTAGE",
    ),
    (
        "Профессиональные компетенции педагогических и руководящих кадров",
        "Повышение уровня квалификации педагогических и руководящих работников (динамика)",
        "PERCENTAGE",
    ),
    (
        "Профессиональные компетенции педагогических и руководящих кадров",
        "Охват педагогов различными формами профессионального взаимодействия",
        "PERCENTAGE",
    ),
    (
        "Работа с внешним сообществом",
        "Достигнутые соглашения с социальными партнерами, использование внешних ресурсов для обучения и внеурочной деятельности",
        "COUNT",
    ),
    (
        "Школьная культура, ценности",
        "Степень удовлетворенности происходящими изменениями всех участников образовательного процесса, единство требований и ценностей (анкетирование, интервью)",
        "PERCENTAGE",
    ),
];

/// The tables, with `{id}` for the backend's auto-increment key and `{json}` for its JSON type.
const TABLES: &str = r#"
CREATE TABLE subjects (
    id {id},
    code TEXT NOT NULL UNIQUE CHECK (code <> ''),
    name TEXT NOT NULL CHECK (TRIM(name) <> ''),
    position INTEGER NOT NULL
);

CREATE TABLE assessment_results (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    procedure TEXT NOT NULL
        CHECK (procedure IN ('VPR', 'NIKO', 'OGE', 'GVE_9', 'EGE', 'GVE_11', 'REGIONAL')),
    subject_id INTEGER NOT NULL REFERENCES subjects (id) ON DELETE RESTRICT,
    grade SMALLINT CHECK (grade BETWEEN 1 AND 11),
    level TEXT CHECK (level IN ('BASE', 'PROFILE')),
    status TEXT NOT NULL
        CHECK (status IN ('RESULT', 'NOT_HELD', 'NO_PARTICIPANTS', 'NOT_REPORTED')),
    mean_hundredths INTEGER,
    participants INTEGER CHECK (participants >= 0),
    failed INTEGER CHECK (failed >= 0 AND failed <= participants),
    source_text TEXT,
    CONSTRAINT assessment_results_figures_only_with_result CHECK (
        status = 'RESULT'
        OR (mean_hundredths IS NULL AND participants IS NULL AND failed IS NULL)
    ),
    CONSTRAINT assessment_results_level_only_for_ege CHECK (level IS NULL OR procedure = 'EGE'),
    CONSTRAINT assessment_results_mean_in_range CHECK (
        mean_hundredths IS NULL
        OR (
            ((procedure = 'EGE' AND COALESCE(level, '') <> 'BASE') OR procedure = 'REGIONAL')
            AND mean_hundredths BETWEEN 0 AND 10000
        )
        OR mean_hundredths BETWEEN 100 AND 500
    )
);
CREATE UNIQUE INDEX assessment_results_one_per_cell ON assessment_results
    (school_id, year, procedure, subject_id, COALESCE(grade, 0), COALESCE(level, ''));
CREATE INDEX assessment_results_year_idx ON assessment_results (year, procedure);

CREATE UNIQUE INDEX schools_id_municipality ON schools (id, municipality_id);

CREATE TABLE competency_deficits (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    school_id INTEGER,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    subject_id INTEGER NOT NULL REFERENCES subjects (id) ON DELETE RESTRICT,
    teachers INTEGER NOT NULL CHECK (teachers > 0),
    level_a INTEGER NOT NULL CHECK (level_a >= 0),
    level_b INTEGER NOT NULL CHECK (level_b >= 0),
    level_c INTEGER NOT NULL CHECK (level_c >= 0),
    level_d INTEGER NOT NULL CHECK (level_d >= 0),
    published_share_a SMALLINT CHECK (published_share_a BETWEEN 0 AND 100),
    published_share_b SMALLINT CHECK (published_share_b BETWEEN 0 AND 100),
    published_share_c SMALLINT CHECK (published_share_c BETWEEN 0 AND 100),
    published_share_d SMALLINT CHECK (published_share_d BETWEEN 0 AND 100),
    CONSTRAINT competency_deficits_levels_add_up
        CHECK (level_a + level_b + level_c + level_d = teachers),
    CONSTRAINT competency_deficits_school_of_municipality FOREIGN KEY (school_id, municipality_id)
        REFERENCES schools (id, municipality_id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX competency_deficits_one_per_subject ON competency_deficits
    (municipality_id, COALESCE(school_id, 0), year, subject_id);

CREATE TABLE monitoring_indicators (
    id {id},
    number INTEGER NOT NULL UNIQUE CHECK (number > 0),
    criterion TEXT NOT NULL CHECK (TRIM(criterion) <> ''),
    name TEXT NOT NULL CHECK (TRIM(name) <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('PERCENTAGE', 'COUNT', 'YES_NO'))
);

CREATE TABLE indicator_values (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,
    indicator_id INTEGER NOT NULL REFERENCES monitoring_indicators (id) ON DELETE RESTRICT,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    percentage INTEGER CHECK (percentage BETWEEN 0 AND 1000),
    count INTEGER CHECK (count >= 0),
    present BOOLEAN,
    CONSTRAINT indicator_values_one_value CHECK (
        (CASE WHEN percentage IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN count IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN present IS NULL THEN 0 ELSE 1 END) = 1
    )
);
CREATE UNIQUE INDEX indicator_values_one_per_year ON indicator_values
    (school_id, indicator_id, year);

CREATE TABLE identification_decisions (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 1000),
    procedures {json} NOT NULL,
    conclusion TEXT NOT NULL CHECK (TRIM(conclusion) <> ''),
    document TEXT,
    CONSTRAINT identification_decisions_one_per_year UNIQUE (municipality_id, year),
    CONSTRAINT identification_decisions_id_municipality UNIQUE (id, municipality_id)
);

CREATE TABLE identified_schools (
    id {id},
    decision_id INTEGER NOT NULL,
    school_id INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    CONSTRAINT identified_schools_once UNIQUE (decision_id, school_id),
    CONSTRAINT identified_schools_decision FOREIGN KEY (decision_id, municipality_id)
        REFERENCES identification_decisions (id, municipality_id) ON DELETE CASCADE,
    CONSTRAINT identified_schools_school_of_municipality FOREIGN KEY (school_id, municipality_id)
        REFERENCES schools (id, municipality_id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX identified_schools_school_idx ON identified_schools (school_id);
"#;

/// A text as an SQL literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLES).await?;
        let db = manager.get_connection();
        let subjects: Vec<String> = SUBJECTS
            .iter()
            .enumerate()
            .map(|(i, (code, name))| format!("({}, {}, {})", literal(code), literal(name), i + 1))
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO subjects (code, name, position) VALUES {}",
            subjects.join(", ")
        ))
        .await?;
        let indicators: Vec<String> = INDICATORS
            .iter()
            .enumerate()
            .map(|(i, (criterion, name, kind))| {
                format!(
                    "({}, {}, {}, {})",
                    i + 1,
                    literal(criterion),
                    literal(name),
                    literal(kind)
                )
            })
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO monitoring_indicators (number, criterion, name, kind) VALUES {}",
            indicators.join(", ")
        ))
        .await?;
        Ok(())
    }
}
