//! What one request may ask of the server, checked before anything runs.
//!
//! Reading is public and anonymous, so a single request must not be able to crash the process or
//! take it over. Three checks run in order, each in time linear in the request:
//!
//! 1. [`check_nesting`] reads the raw text and refuses brackets nested deeper than
//!    `max_nesting`, before the parser (which recurses on nested values) sees it.
//! 2. [`Analysis`] walks the parsed document once, with each fragment's figures memoised, and
//!    refuses a document over `max_cost`, `max_fields` (after fragment expansion),
//!    `max_aliases`, `max_directives` per field or [`MAX_RECURSION`] levels, or with fragment
//!    cycles, before async-graphql's own validation (which expands every fragment spread
//!    without memoising) gets to it. It also refuses NUL in any string argument.
//! 3. The HTTP endpoint bounds the execution time and the response size.
//!
//! The cost of a field is 1 plus, for a field returning objects, what its children cost times
//! how many it can return: the page size asked for (`first`), or for an unpaged list the bound in
//! [`LIST_SIZES`]. Introspection lists are bounded by the schema's own sizes.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, SelectionSet, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{ErrorExtensionValues, Pos, Positioned, ServerError, Variables};
// The parser's values, which may hold variables; `async_graphql::Value` is the constant kind.
use async_graphql_value::{ConstValue, Value};

use super::connection::{DEFAULT_PAGE, MAX_PAGE};

/// The cost an introspection query may have. It is counted apart from `max_cost` because the
/// schema is described from memory, without the database: GraphiQL's own introspection query
/// costs about 2,400,000 by the schema's own bounds (it grows with the square of the schema)
/// and takes milliseconds; the bound leaves room for the schema to grow.
pub const MAX_INTROSPECTION_COST: u64 = 10_000_000;

/// Fragment spreads and selection sets nested deeper than this are refused (async-graphql's own
/// recursion limit, which it checks only after walking every expansion).
pub const MAX_RECURSION: usize = 32;

/// The limits a request must stay within; `serve` takes each as an option.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Brackets (`{`, `[`, `(`) open at once in the query text.
    pub max_nesting: usize,
    /// The estimated cost (see the module documentation).
    pub max_cost: u64,
    /// Fields after fragment expansion.
    pub max_fields: u64,
    /// Aliased fields after fragment expansion.
    pub max_aliases: u64,
    /// Directives on one field.
    pub max_directives: usize,
    /// The JSON response, in bytes.
    pub max_response_bytes: usize,
    /// Time to execute one request; the work stops when it runs out.
    pub timeout: Duration,
}

impl Default for Limits {
    /// Every query of the README, the site and GraphiQL's introspection passes with room to spare.
    fn default() -> Self {
        Limits {
            max_nesting: 64,
            max_cost: 250_000,
            max_fields: 1_000,
            max_aliases: 100,
            max_directives: 4,
            max_response_bytes: 8 << 20,
            timeout: Duration::from_secs(15),
        }
    }
}

/// How many items a list field without paging returns at most, as far as this product's data
/// goes: Russia has 89 regions and a region under 100 municipalities held here; a municipality
/// has a few dozen partnership groups, clusters, organisations and curators; a group, about ten
/// schools and at most two resource centres; a school, one evaluation a year, a few programmes
/// and curators, and up to twenty agreements (Labinsk's base school hosts sixteen). Lists not
/// named here count [`DEFAULT_LIST_SIZE`]. Lists that grow without such a bound are paged.
pub const LIST_SIZES: &[(&str, u64)] = &[
    ("Query.regions", 100),
    ("Query.municipalities", 100),
    ("Query.partnershipGroups", 100),
    ("Region.municipalities", 100),
    ("Municipality.partnershipGroups", 20),
    ("Municipality.organisations", 20),
    ("Municipality.curators", 50),
    ("PartnershipGroup.resourceCentres", 2),
    ("School.partnerships", 20),
    ("School.programmes", 5),
    ("School.curators", 5),
    ("School.results", 100),
    ("School.indicatorValues", 50),
    ("Municipality.competencyDeficits", 20),
    ("MunicipalResults.rows", 50),
    ("MunicipalResults.columns", 20),
    ("SchoolResults.results", 20),
    ("Query.lowResultCandidates", 50),
    ("Query.subjects", 20),
    ("Query.monitoringIndicators", 20),
    ("LowResultIdentification.candidates", 50),
    ("LowResultIdentification.incomplete", 50),
    ("IncompleteSchool.missing", 20),
];

/// The bound of a list field not in [`LIST_SIZES`].
pub const DEFAULT_LIST_SIZE: u64 = 10;

/// A request refused by a limit: `extensions.code` is `LIMIT_EXCEEDED`, `extensions.limit` names
/// the limit (the option of `serve` without `--max-`), `extensions.max` its value.
pub fn exceeded(limit: &str, max: u64, message: String, pos: Option<Pos>) -> ServerError {
    let mut error = ServerError::new(message, pos);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "LIMIT_EXCEEDED");
    extensions.set("limit", limit);
    extensions.set("max", max);
    error.extensions = Some(extensions);
    error
}

/// Refuses query text whose brackets nest deeper than `max`, skipping strings and comments.
pub fn check_nesting(text: &str, max: usize) -> Result<(), ServerError> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    return Err(exceeded(
                        "nesting",
                        max as u64,
                        format!("the query nests brackets more than {max} deep"),
                        None,
                    ));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Refuses JSON variables nested deeper than `max` (serde_json stops at 128 itself).
pub fn check_variables_nesting(value: &serde_json::Value, max: usize) -> Result<(), ServerError> {
    fn depth(value: &serde_json::Value) -> usize {
        match value {
            serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    // The variables object itself is one level.
    if depth(value) > max + 1 {
        return Err(exceeded(
            "nesting",
            max as u64,
            format!("the variables nest more than {max} deep"),
            None,
        ));
    }
    Ok(())
}

/// What a field returns, as the cost walk needs it.
#[derive(Clone, Debug)]
struct Shape {
    /// The named type of the result.
    target: String,
    /// How many of it one call can return: 1 for a single object.
    size: Size,
}

#[derive(Clone, Copy, Debug)]
enum Size {
    One,
    /// A list bounded by `first` (a page).
    Paged,
    /// A list bounded by what the data can hold.
    AtMost(u64),
}

/// The shapes of every output field, read from the schema's SDL once at start.
#[derive(Debug)]
pub struct Shapes(HashMap<(String, String), Shape>);

impl Shapes {
    /// Reads the shapes from the SDL the schema prints; introspection fields are bounded by the
    /// schema's own sizes (types, fields per type, arguments per field, …).
    pub fn from_sdl(sdl: &str) -> Self {
        let document = async_graphql::parser::parse_schema(sdl).expect("the schema's own SDL");
        let mut shapes = HashMap::new();
        let (mut types, mut fields, mut args, mut values, mut members) = (8u64, 1, 1, 1, 1);
        let mut interfaces = 1u64;
        let mut implementors: HashMap<String, u64> = HashMap::new();
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            types += 1;
            let owner = definition.node.name.node.to_string();
            let field_list = match &definition.node.kind {
                TypeKind::Object(object) => {
                    interfaces = interfaces.max(object.implements.len() as u64);
                    for interface in &object.implements {
                        *implementors.entry(interface.node.to_string()).or_default() += 1;
                    }
                    &object.fields
                }
                TypeKind::Interface(interface) => &interface.fields,
                TypeKind::Enum(e) => {
                    values = values.max(e.values.len() as u64);
                    continue;
                }
                TypeKind::InputObject(input) => {
                    args = args.max(input.fields.len() as u64);
                    continue;
                }
                TypeKind::Union(union) => {
                    members = members.max(union.members.len() as u64);
                    continue;
                }
                TypeKind::Scalar => continue,
            };
            fields = fields.max(field_list.len() as u64);
            for field in field_list {
                let field = &field.node;
                args = args.max(field.arguments.len() as u64);
                let name = field.name.node.to_string();
                let paged = field.arguments.iter().any(|a| a.node.name.node == "first");
                // A connection's page is counted on the field that returns it (`first`), not
                // again on its `nodes` and `edges`.
                let size = match (paged, is_list(&field.ty.node)) {
                    (true, _) => Size::Paged,
                    (false, false) => Size::One,
                    (false, true) if owner.ends_with("Connection") => Size::One,
                    (false, true) => Size::AtMost(list_size(&owner, &name)),
                };
                let target = named(&field.ty.node).to_owned();
                shapes.insert((owner.clone(), name), Shape { target, size });
            }
        }
        members = implementors.values().copied().fold(members, u64::max);
        let introspection = [
            ("Query", "__schema", "__Schema", Size::One),
            ("Query", "__type", "__Type", Size::One),
            ("__Schema", "types", "__Type", Size::AtMost(types + 8)),
            ("__Schema", "queryType", "__Type", Size::One),
            ("__Schema", "mutationType", "__Type", Size::One),
            ("__Schema", "subscriptionType", "__Type", Size::One),
            ("__Schema", "directives", "__Directive", Size::AtMost(10)),
            ("__Type", "fields", "__Field", Size::AtMost(fields)),
            ("__Type", "interfaces", "__Type", Size::AtMost(interfaces)),
            ("__Type", "possibleTypes", "__Type", Size::AtMost(members)),
            ("__Type", "enumValues", "__EnumValue", Size::AtMost(values)),
            ("__Type", "inputFields", "__InputValue", Size::AtMost(args)),
            ("__Type", "ofType", "__Type", Size::One),
            ("__Field", "args", "__InputValue", Size::AtMost(args)),
            ("__Field", "type", "__Type", Size::One),
            ("__InputValue", "type", "__Type", Size::One),
            ("__Directive", "args", "__InputValue", Size::AtMost(args)),
        ];
        for (owner, field, target, size) in introspection {
            let target = target.to_owned();
            shapes.insert((owner.to_owned(), field.to_owned()), Shape { target, size });
        }
        Shapes(shapes)
    }

    fn of(&self, owner: &str, field: &str) -> Option<&Shape> {
        self.0.get(&(owner.to_owned(), field.to_owned()))
    }
}

fn is_list(ty: &Type) -> bool {
    matches!(ty.base, BaseType::List(_))
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

fn list_size(owner: &str, field: &str) -> u64 {
    LIST_SIZES
        .iter()
        .find(|(name, _)| name.split_once('.') == Some((owner, field)))
        .map_or(DEFAULT_LIST_SIZE, |(_, size)| *size)
}

/// The figures of a selection set, added up over its expansion.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    cost: u64,
    introspection: u64,
    fields: u64,
    aliases: u64,
    /// Levels of selection sets and fragments below this one.
    depth: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.cost = self.cost.saturating_add(other.cost);
        self.introspection = self.introspection.saturating_add(other.introspection);
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.depth = self.depth.max(other.depth);
    }
}

/// One walk over a parsed document: every operation and fragment once, fragments memoised.
pub struct Analysis<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    shapes: &'a Shapes,
    limits: &'a Limits,
    fragments: HashMap<&'a str, Tally>,
    visiting: HashSet<&'a str>,
}

impl<'a> Analysis<'a> {
    /// Checks `document` against `limits`; the errors say which limit and where.
    pub fn check(
        document: &'a ExecutableDocument,
        variables: &'a Variables,
        shapes: &'a Shapes,
        limits: &'a Limits,
    ) -> Result<(), ServerError> {
        let mut walk = Analysis {
            document,
            variables,
            shapes,
            limits,
            fragments: HashMap::new(),
            visiting: HashSet::new(),
        };
        refuse_nul_in_variables(variables)?;
        // Every operation counts: validation walks them all, not only the one that runs.
        let mut total = Tally::default();
        for (_, operation) in document.operations.iter() {
            let root = match operation.node.ty {
                async_graphql::parser::types::OperationType::Query => "Query",
                async_graphql::parser::types::OperationType::Mutation => "Mutation",
                async_graphql::parser::types::OperationType::Subscription => "Subscription",
            };
            total.add(walk.selection_set(&operation.node.selection_set, Some(root), 0)?);
        }
        for (name, fragment) in &document.fragments {
            if !walk.fragments.contains_key(name.as_str()) {
                walk.fragment(name.as_str(), fragment.pos, 0)?;
            }
        }
        walk.within("cost", limits.max_cost, total.cost, "estimated cost")?;
        walk.within(
            "introspectionCost",
            MAX_INTROSPECTION_COST,
            total.introspection,
            "estimated cost of introspection",
        )?;
        walk.within(
            "fields",
            limits.max_fields,
            total.fields,
            "fields after fragment expansion",
        )?;
        walk.within(
            "aliases",
            limits.max_aliases,
            total.aliases,
            "aliased fields",
        )
    }

    fn within(&self, limit: &str, max: u64, actual: u64, what: &str) -> Result<(), ServerError> {
        if actual > max {
            return Err(exceeded(
                limit,
                max,
                format!(
                    "the query has {actual} {what}, more than the {max} allowed; ask for less or page through it"
                ),
                None,
            ));
        }
        Ok(())
    }

    fn deeper(depth: usize, pos: Pos) -> Result<(), ServerError> {
        if depth > MAX_RECURSION {
            return Err(exceeded(
                "recursion",
                MAX_RECURSION as u64,
                format!("selections and fragments nest more than {MAX_RECURSION} deep"),
                Some(pos),
            ));
        }
        Ok(())
    }

    fn selection_set(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        on: Option<&str>,
        depth: usize,
    ) -> Result<Tally, ServerError> {
        Self::deeper(depth, set.pos)?;
        let mut tally = Tally::default();
        for item in &set.node.items {
            use async_graphql::parser::types::Selection;
            let part = match &item.node {
                Selection::Field(field) => self.field(field, on, depth)?,
                Selection::InlineFragment(inline) => {
                    self.directives(&inline.node.directives, inline.pos)?;
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(on);
                    self.selection_set(&inline.node.selection_set, on, depth + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(&spread.node.directives, spread.pos)?;
                    let name = spread.node.fragment_name.node.as_str();
                    let fragment = match self.fragments.get(name) {
                        Some(tally) => *tally,
                        None => self.fragment(name, spread.pos, depth + 1)?,
                    };
                    Self::deeper(depth + 1 + fragment.depth, spread.pos)?;
                    Tally {
                        depth: fragment.depth + 1,
                        ..fragment
                    }
                }
            };
            tally.add(part);
        }
        tally.depth += 1;
        Ok(tally)
    }

    fn fragment(&mut self, name: &'a str, pos: Pos, depth: usize) -> Result<Tally, ServerError> {
        // An unknown fragment is async-graphql's to report; it costs nothing here.
        let Some((key, fragment)) = self.document.fragments.get_key_value(name) else {
            return Ok(Tally::default());
        };
        if !self.visiting.insert(key.as_str()) {
            let mut error =
                ServerError::new(format!("the fragment «{name}» spreads itself"), Some(pos));
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", "GRAPHQL_VALIDATION_FAILED");
            error.extensions = Some(extensions);
            return Err(error);
        }
        self.directives(&fragment.node.directives, fragment.pos)?;
        let on = fragment.node.type_condition.node.on.node.as_str();
        let tally = self.selection_set(&fragment.node.selection_set, Some(on), depth)?;
        self.visiting.remove(key.as_str());
        self.fragments.insert(key.as_str(), tally);
        Ok(tally)
    }

    fn field(
        &mut self,
        field: &'a Positioned<Field>,
        on: Option<&str>,
        depth: usize,
    ) -> Result<Tally, ServerError> {
        let node = &field.node;
        self.directives(&node.directives, field.pos)?;
        for (name, value) in &node.arguments {
            refuse_nul(&value.node, name.node.as_str(), value.pos)?;
        }
        let shape = on.and_then(|on| self.shapes.of(on, node.name.node.as_str()));
        let mut tally = Tally {
            cost: 1,
            introspection: 0,
            fields: 1,
            aliases: u64::from(node.alias.is_some()),
            depth: 0,
        };
        if !node.selection_set.node.items.is_empty() {
            let target = shape.map(|s| s.target.clone());
            let children = self.selection_set(&node.selection_set, target.as_deref(), depth + 1)?;
            let times = match shape.map(|s| s.size) {
                Some(Size::Paged) => self.page(node),
                Some(Size::AtMost(n)) => n,
                Some(Size::One) | None => 1,
            };
            tally.cost = tally
                .cost
                .saturating_add(times.saturating_mul(children.cost));
            tally.fields = tally.fields.saturating_add(children.fields);
            tally.aliases = tally.aliases.saturating_add(children.aliases);
            tally.introspection = tally.introspection.saturating_add(children.introspection);
            tally.depth = children.depth;
        }
        if matches!(node.name.node.as_str(), "__schema" | "__type") {
            tally.introspection = tally.introspection.saturating_add(tally.cost);
            tally.cost = 0;
        }
        Ok(tally)
    }

    /// The page a paged field asks for: `first` as given (a literal or a variable), or the
    /// default page; never more than the largest page, which the field itself refuses.
    fn page(&self, field: &Field) -> u64 {
        let first = field
            .arguments
            .iter()
            .find(|(name, _)| name.node == "first")
            .and_then(|(_, value)| match &value.node {
                Value::Number(n) => n.as_u64(),
                Value::Variable(name) => match self.variables.get(name) {
                    Some(ConstValue::Number(n)) => n.as_u64(),
                    _ => None,
                },
                _ => None,
            });
        first.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE)
    }

    fn directives(
        &self,
        directives: &'a [Positioned<async_graphql::parser::types::Directive>],
        pos: Pos,
    ) -> Result<(), ServerError> {
        let max = self.limits.max_directives;
        if directives.len() > max {
            return Err(exceeded(
                "directives",
                max as u64,
                format!(
                    "{} directives on one selection, more than {max}",
                    directives.len()
                ),
                Some(pos),
            ));
        }
        for directive in directives {
            for (name, value) in &directive.node.arguments {
                refuse_nul(&value.node, name.node.as_str(), value.pos)?;
            }
        }
        Ok(())
    }
}

/// A NUL character has no meaning in any text schoolnet reads, and PostgreSQL cannot store it.
fn nul_error(argument: &str, pos: Option<Pos>) -> ServerError {
    let mut error = ServerError::new(
        format!("{argument}: text must not contain the NUL character (U+0000)"),
        pos,
    );
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("field", argument);
    error.extensions = Some(extensions);
    error
}

fn refuse_nul(value: &Value, argument: &str, pos: Pos) -> Result<(), ServerError> {
    match value {
        Value::String(text) if text.contains('\0') => Err(nul_error(argument, Some(pos))),
        Value::List(items) => items
            .iter()
            .try_for_each(|item| refuse_nul(item, argument, pos)),
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(name, item)| refuse_nul(item, &format!("{argument}.{name}"), pos)),
        _ => Ok(()),
    }
}

fn refuse_nul_in_variables(variables: &Variables) -> Result<(), ServerError> {
    fn walk(value: &ConstValue, path: &str) -> Result<(), ServerError> {
        match value {
            ConstValue::String(text) if text.contains('\0') => Err(nul_error(path, None)),
            ConstValue::List(items) => items.iter().try_for_each(|item| walk(item, path)),
            ConstValue::Object(fields) => fields
                .iter()
                .try_for_each(|(name, item)| walk(item, &format!("{path}.{name}"))),
            _ => Ok(()),
        }
    }
    variables
        .iter()
        .try_for_each(|(name, value)| walk(value, &format!("${name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, limits: &Limits) -> Result<(), ServerError> {
        let shapes = Shapes::from_sdl(&crate::graphql::sdl());
        let document = async_graphql::parser::parse_query(query).unwrap();
        Analysis::check(&document, &Variables::default(), &shapes, limits)
    }

    #[test]
    fn a_page_costs_its_size_times_its_children() {
        let free = Limits {
            max_cost: 0,
            ..Limits::default()
        };
        let message = |query| check(query, &free).unwrap_err().message;
        // 1 + 7 × (1 + 1): `schools` of 7 with `totalCount` and `nodes`, each node 1 + `name`.
        assert!(message("{ schools(first: 7) { totalCount nodes { name } } }").contains(" 22 "));
        // An unpaged list counts its bound: regions (100) × slug.
        assert!(message("{ regions { slug } }").contains(" 101 "));
    }

    #[test]
    fn nested_brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "{{ a(b: \"{}\", c: \"\"\"{}\"\"\") # {}\n }}",
            "[".repeat(100),
            "{".repeat(100),
            "(".repeat(100)
        );
        assert!(check_nesting(&text, 3).is_ok());
        assert!(check_nesting("{ a { b { c } } }", 2).is_err());
    }
}
