//! Risk profiles (рисковый профиль школы, ФИС ОКО): the ten risk factors of the «500+» project
//! (seed 001) as reference data, and a school's profile per year: its risk group and the
//! factors that apply, each at most once, with the significance ФИС ОКО grades it at.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000006_risk_profiles"
    }
}

/// The risk factors of seed 001, by number.
const FACTORS: [&str; 10] = [
    "Низкий уровень оснащения школы",
    "Дефицит педагогических кадров",
    "Недостаточная предметная и методическая компетентность педагогических работников",
    "Высокая доля обучающихся с ОВЗ",
    "Низкое качество преодоления языковых и культурных барьеров",
    "Низкая учебная мотивация обучающихся",
    "Пониженный уровень школьного благополучия",
    "Низкий уровень дисциплины в классе",
    "Высокая доля обучающихся с рисками учебной неуспешности",
    "Низкий уровень вовлеченности родителей",
];

/// The tables, with `{id}` for the backend's auto-increment key.
const TABLES: &str = r#"
CREATE TABLE risk_factors (
    id {id},
    number INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name TEXT NOT NULL CHECK (TRIM(name) <> '')
);

CREATE TABLE risk_profiles (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,
    year INTEGER CHECK (year BETWEEN 2000 AND 2100),
    risk_group TEXT CHECK (risk_group IS NULL OR TRIM(risk_group) <> '')
);
CREATE UNIQUE INDEX risk_profiles_one_per_year ON risk_profiles (school_id, COALESCE(year, 0));

CREATE TABLE risk_profile_factors (
    id {id},
    profile_id INTEGER NOT NULL REFERENCES risk_profiles (id) ON DELETE CASCADE,
    factor_id INTEGER NOT NULL REFERENCES risk_factors (id) ON DELETE RESTRICT,
    significance TEXT CHECK (significance IN ('HIGH', 'MEDIUM', 'LOW')),
    CONSTRAINT risk_profile_factors_once UNIQUE (profile_id, factor_id)
);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLES).await?;
        let db = manager.get_connection();
        let rows: Vec<String> = FACTORS
            .iter()
            .enumerate()
            .map(|(i, name)| format!("({}, '{}')", i + 1, name.replace('\'', "''")))
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO risk_factors (number, name) VALUES {}",
            rows.join(", ")
        ))
        .await?;
        Ok(())
    }
}
