//! Response keys in the order the query asks for them, as the GraphQL spec asks of JSON
//! («Serialized Map Ordering»). async-graphql resolves a selection's fields concurrently and
//! keeps them in the order they finish, so `{ name region { name } }` can come back with
//! `region` first; this puts every object of the response back in query order.
//!
//! The order of an object's keys is the order in which their fields first appear in its
//! selection set, fragments expanded in place. Type conditions are not consulted (the response
//! does not say which type an object has), so a key both in a fragment that applies and in an
//! earlier one that does not is placed by the earlier one: a difference only a query that
//! names one key in several type-conditioned fragments, in different orders, could see.

use async_graphql::Value;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Orders every object in `data`, the result of `selection`, as `selection` asks.
pub fn follow_query_order(
    data: &mut Value,
    selection: &SelectionSet,
    document: &ExecutableDocument,
) {
    reorder(data, &[selection], document);
}

/// The response keys of `sets` in first-appearance order, each with the selection sets of the
/// fields under that key (a key's children merge across its fields, as the spec merges them).
fn keys<'a>(
    sets: &[&'a SelectionSet],
    document: &'a ExecutableDocument,
) -> IndexMap<&'a str, Vec<&'a SelectionSet>> {
    let mut keys = IndexMap::new();
    for set in sets {
        collect(set, document, &mut keys);
    }
    keys
}

fn collect<'a>(
    set: &'a SelectionSet,
    document: &'a ExecutableDocument,
    keys: &mut IndexMap<&'a str, Vec<&'a SelectionSet>>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.as_str();
                keys.entry(key)
                    .or_default()
                    .push(&field.node.selection_set.node);
            }
            Selection::InlineFragment(fragment) => {
                collect(&fragment.node.selection_set.node, document, keys);
            }
            // Validation has refused unknown fragments and cycles (and the limits refused
            // deep expansions) before anything ran.
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(&fragment.node.selection_set.node, document, keys);
                }
            }
        }
    }
}

fn reorder(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    // A leaf field (no selection set) has nothing to order.
    if sets.iter().all(|set| set.items.is_empty()) {
        return;
    }
    apply(value, &keys(sets, document), document);
}

/// Puts `value`'s keys in the order of `keys`; a list's items share their keys' order, worked
/// out once for the list.
fn apply(
    value: &mut Value,
    keys: &IndexMap<&str, Vec<&SelectionSet>>,
    document: &ExecutableDocument,
) {
    match value {
        Value::List(items) => {
            for item in items {
                apply(item, keys, document);
            }
        }
        Value::Object(object) => {
            // Fields that resolve without waiting finish in query order: most objects are
            // already in order and are left as they are.
            let in_order = object.len() == keys.len()
                && object
                    .keys()
                    .zip(keys.keys())
                    .all(|(have, want)| have.as_str() == *want);
            if !in_order {
                let mut ordered = IndexMap::with_capacity(object.len());
                for key in keys.keys() {
                    if let Some((name, child)) = object.swap_remove_entry(*key) {
                        ordered.insert(name, child);
                    }
                }
                // Nothing is left unless a key came from outside the query (a JSON scalar's
                // own object); keep it, in its order.
                ordered.extend(object.drain(..));
                *object = ordered;
            }
            for (name, child) in object.iter_mut() {
                if let Some(children) = keys.get(name.as_str()) {
                    reorder(child, children, document);
                }
            }
        }
        _ => {}
    }
}
