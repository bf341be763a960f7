//! What the team, roles, invitation and join pages share: a role's label in the viewer's
//! language, the role picker, location checkboxes, and the notice a form post leaves behind.

use crate::error::AppError;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

pub use crate::api::team::role_label;

/// A labelled `<select name="role">` of (id, code, name), with `selected` chosen.
pub fn role_select(
    locale: Locale,
    id: String,
    name: &'static str,
    roles: &[(i64, String, String)],
    selected: Option<i64>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{tr!(locale, "team.role")}</label>
        <select id=id name=name>
            {roles.iter().map(|(rid, code, rname)| {
                let label = role_label(locale, code, rname);
                view! { <option value=rid.to_string() selected=selected == Some(*rid)>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// Checkboxes `locations[i]` of the company's locations, with `checked` ticked. None ticked
/// means company-wide: the member buys at company level.
pub fn location_checks(locale: Locale, prefix: String, locations: &[(i64, String)], checked: &[i64]) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>{tr!(locale, "team.locations")}</legend>
            {locations.iter().enumerate().map(|(i, (id, name))| {
                let input_id = format!("{prefix}-loc-{id}");
                let for_id = input_id.clone();
                view! {
                    <label for=for_id class="check">
                        <input type="checkbox" id=input_id name=format!("locations[{i}]") value=id.to_string() checked=checked.contains(id) />
                        <span dir="auto">{name.clone()}</span>
                    </label>
                }
            }).collect_view()}
            <p class="muted small">{tr!(locale, "team.locations_help")}</p>
        </fieldset>
    }
}

/// The answer of the last form posted on this page: an error in the viewer's language, or
/// `done` when it worked.
pub fn notice(locale: Locale, outcome: Option<Result<(), AppError>>, done: String) -> impl IntoView {
    outcome.map(|r| match r {
        Ok(()) => view! { <p class="notice" role="status">{done}</p> }.into_any(),
        Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
    })
}

/// The posted outcome of `S`, with its answer dropped.
pub fn outcome_of<S>() -> Option<Result<(), AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError>,
    S::Output: serde::de::DeserializeOwned,
{
    crate::components::outcome::posted::<S>().map(|r| r.map(|_| ()))
}

/// The sub-navigation of the team pages; the audit log and the approval settings only for who
/// may open them.
pub fn team_nav(locale: Locale, current: &'static str, audit: bool, approvals: bool) -> impl IntoView {
    let items = [
        ("/team", "team.members", true),
        ("/team/roles", "team.roles.title", true),
        ("/team/approvals", "approvals.settings_title", approvals),
        ("/team/audit", "audit.title", audit),
    ];
    view! {
        <nav class="subnav" aria-label=tr!(locale, "nav.team")>
            {items.into_iter().filter(|(_, _, shown)| *shown).map(|(href, key, _)| {
                view! { <a href=href aria-current=(href == current).then_some("page")>{tr!(locale, key)}</a> }
            }).collect_view()}
        </nav>
    }
}
