//! Errors a client can act on: each carries `extensions.code`, and a bad argument names the
//! argument or input field in `extensions.field`.

use std::fmt::Display;

use async_graphql::ErrorExtensions;

use crate::changes::ChangeError;

/// The codes of `extensions.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// An argument is malformed or out of range.
    BadUserInput,
    /// An id or slug names nothing.
    NotFound,
    /// A change without a valid token.
    Unauthenticated,
    /// A change outside the token's role or scope.
    Forbidden,
    /// A change whose input breaks a rule.
    Validation,
    /// A change based on a stale version, or one that would erase history.
    Conflict,
    /// The server failed; the details are in its log, not in the response.
    Internal,
}

impl Code {
    fn as_str(self) -> &'static str {
        match self {
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::NotFound => "NOT_FOUND",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::Validation => "VALIDATION",
            Code::Conflict => "CONFLICT",
            Code::Internal => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl ErrorExtensions for ChangeError {
    /// A refused change: `VALIDATION` errors carry the first broken rule's `field`, `reason` and
    /// `reasonRu`, and every broken rule in `violations`.
    fn extend(&self) -> async_graphql::Error {
        match self {
            ChangeError::Unauthenticated(message) => coded(Code::Unauthenticated, message),
            ChangeError::Forbidden(message) => coded(Code::Forbidden, message),
            ChangeError::NotFound { .. } => coded(Code::NotFound, self.to_string()),
            ChangeError::Conflict(message) => coded(Code::Conflict, message),
            ChangeError::Database(error) => internal(error),
            ChangeError::Invalid(violations) => {
                let message = self.to_string();
                let violations = violations.clone();
                async_graphql::Error::new(message).extend_with(move |_, ext| {
                    ext.set("code", Code::Validation.as_str());
                    if let Some(first) = violations.first() {
                        ext.set("field", first.field.as_str());
                        ext.set("reason", first.en.as_str());
                        ext.set("reasonRu", first.ru.as_str());
                    }
                    let list: Vec<async_graphql::Value> = violations
                        .iter()
                        .map(|v| {
                            async_graphql::value!({
                                "field": v.field.as_str(),
                                "reason": v.en.as_str(),
                                "reasonRu": v.ru.as_str(),
                            })
                        })
                        .collect();
                    ext.set("violations", list);
                })
            }
        }
    }
}

/// An error with a code.
pub fn coded(code: Code, message: impl std::fmt::Display) -> async_graphql::Error {
    async_graphql::Error::new(message.to_string())
        .extend_with(|_, ext| ext.set("code", code.as_str()))
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
