//! /team: the company's members and their roles (inviting and editing arrive with the team issue).

use crate::api::team::list_members;
use crate::components::error_view::ErrorView;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TeamPage() -> impl IntoView {
    let locale = use_locale();
    let members = Resource::new(|| (), |_| list_members());
    view! {
        <Title text=tr!(locale, "nav.team") />
        <section class="page">
            <h1>{tr!(locale, "nav.team")}</h1>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match members.await {
                        Ok(list) => view! {
                            <div class="table-scroll"><table class="data-table">
                                <caption>{tr!(locale, "team.members_caption")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{tr!(locale, "team.name")}</th>
                                        <th scope="col">{tr!(locale, "team.email")}</th>
                                        <th scope="col">{tr!(locale, "team.role")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|m| {
                                        let role = role_label(locale, &m.role_code, &m.role_name);
                                        view! {
                                            <tr>
                                                <td>{m.name}</td>
                                                <td>{m.email}</td>
                                                <td>{role}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Built-in roles are shown in the viewer's language; custom roles by the name their company gave.
fn role_label(locale: crate::i18n::Locale, code: &str, name: &str) -> String {
    match code {
        "admin" => tr!(locale, "roles.admin"),
        "buyer" => tr!(locale, "roles.buyer"),
        "requester" => tr!(locale, "roles.requester"),
        "finance" => tr!(locale, "roles.finance"),
        _ => name.to_string(),
    }
}
