//! Global object ids (Relay): base64 of «Type:id», opaque to clients and unique across types,
//! so that `node(id:)` can fetch any object.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::error::bad_input;

/// The object types that have global ids: every record of the one list (`for_each_record!`)
/// but the internal ones.
macro_rules! kinds {
    (
        versioned: [$($v:ident => $V:ident),* $(,)?],
        unversioned: [$($u:ident => $U:ident),* $(,)?],
        internal: [$($i:ident),* $(,)?] $(,)?
    ) => {
        /// A kind of object with a global id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Kind {
            $(#[doc = stringify!($V)] $V,)*
            $(#[doc = stringify!($U)] $U,)*
        }

        impl Kind {
            const ALL: &[Kind] = &[$(Kind::$V,)* $(Kind::$U,)*];

            /// The GraphQL type name, as ids and the audit log carry it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$V => stringify!($V),)*
                    $(Kind::$U => stringify!($U),)*
                }
            }
        }
    };
}

crate::for_each_record!(kinds);

impl Kind {
    /// The kind with this GraphQL type name.
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|kind| kind.name() == name)
    }
}

/// Encodes the global id of a row.
pub fn encode(kind: Kind, id: i32) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// Decodes a global id given in the argument `field`.
pub fn decode(field: &str, id: &str) -> async_graphql::Result<(Kind, i32)> {
    parse(id).map_err(|message| bad_input(field, message))
}

/// Decodes a global id, or says why it is not one.
fn parse(id: &str) -> Result<(Kind, i32), String> {
    let malformed = || format!("«{id}» is not a schoolnet id");
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (name, number) = text.split_once(':').ok_or_else(malformed)?;
    let kind = Kind::named(name).ok_or_else(malformed)?;
    let number = number.parse().map_err(|_| malformed())?;
    Ok((kind, number))
}

/// Decodes a global id that must be of one kind.
pub fn decode_as(kind: Kind, field: &str, id: &str) -> async_graphql::Result<i32> {
    parse_as(kind, id).map_err(|message| bad_input(field, message))
}

/// Decodes a global id of one kind, or says why it is not one.
pub fn parse_as(kind: Kind, id: &str) -> Result<i32, String> {
    match parse(id)? {
        (found, number) if found == kind => Ok(number),
        (found, _) => Err(format!(
            "«{id}» is the id of a {}, not of a {}",
            found.name(),
            kind.name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_type() {
        let id = encode(Kind::School, 42);
        assert_eq!(decode("id", &id).unwrap(), (Kind::School, 42));
        assert!(decode_as(Kind::Person, "id", &id).is_err());
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in ["", "!!!", "U2Nob29s", &URL_SAFE_NO_PAD.encode("Planet:1")] {
            assert!(decode("id", id).is_err(), "{id}");
        }
    }
}
