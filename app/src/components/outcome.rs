//! What the last plain form post of a server function answered, read back from the page's URL
//! (post/redirect/get: `backend::platform::http::form_answers` puts a success there, server_fn an
//! error). Pages render on the server only, so this replaces `ServerAction::value()`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde::de::DeserializeOwned;

/// `Some` when this page was reached by posting `S`'s form: its answer or its error.
pub fn posted<S>() -> Option<Result<S::Output, AppError>>
where
    S: ServerFn<Error = AppError>,
    S::Output: DeserializeOwned,
{
    let (path, ok, err) = use_query_map().with_untracked(|q| (q.get("__path"), q.get("__ok"), q.get("__err")));
    if path.as_deref() != Some(S::PATH) {
        return None;
    }
    if let Some(json) = ok {
        return serde_json::from_str(&json).ok().map(Ok);
    }
    // server_fn's own error in the URL.
    err.map(|e| Err(leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&e)))
}
