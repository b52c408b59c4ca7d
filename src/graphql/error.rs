//! Errors a client can act on: each carries `extensions.code`, and a bad argument names the
//! argument or input field in `extensions.field`.

use std::fmt::Display;

use async_graphql::ErrorExtensions;

/// The codes of `extensions.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// An argument is malformed or out of range.
    BadUserInput,
    /// An id or slug names nothing.
    NotFound,
    /// The server failed; the details are in its log, not in the response.
    Internal,
}

impl Code {
    fn as_str(self) -> &'static str {
        match self {
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::NotFound => "NOT_FOUND",
            Code::Internal => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// An error with a code.
pub fn coded(code: Code, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// A malformed argument, naming it.
pub fn bad_input(field: &str, message: impl Display) -> async_graphql::Error {
    async_graphql::Error::new(format!("{field}: {message}")).extend_with(|_, ext| {
        ext.set("code", Code::BadUserInput.as_str());
        ext.set("field", field);
    })
}

/// Nothing has this id or slug.
pub fn not_found(what: &str, key: impl Display) -> async_graphql::Error {
    coded(
        Code::NotFound,
        format!("no {what} has the id or slug «{key}»"),
    )
}

/// A database failure: logged in full, reported without internals.
pub fn internal(err: impl Display) -> async_graphql::Error {
    tracing::error!(error = %err, "request failed");
    coded(
        Code::Internal,
        "internal error; the server log has the details",
    )
}
