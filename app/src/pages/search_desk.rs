//! /staff/search: what the merchant teaches the search (synonyms, per language) and what buyers
//! searched for and did not find. Plain form posts, no islands.

use crate::api::search::{search_desk, AddSynonym, RemoveSynonym, SearchDeskDto, DESK_PERIODS};
use crate::components::error_view::ErrorView;
use crate::components::team_bits::outcome_of;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DeskSearchPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let days = move || query.with(|q| q.get("days").and_then(|d| d.parse::<i64>().ok()).unwrap_or(30));
    let data = Resource::new(days, search_desk);
    view! {
        <Title text=tr!(locale, "search_desk.title") />
        <section class="page desk-search">
            <h1>{tr!(locale, "search_desk.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dto) => view! { <DeskSearchView dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskSearchView(dto: SearchDeskDto, locale: Locale) -> impl IntoView {
    let add = ServerAction::<AddSynonym>::new();
    let remove = ServerAction::<RemoveSynonym>::new();
    let added = outcome_of::<AddSynonym>();
    let removed = outcome_of::<RemoveSynonym>();
    let failed = add.value().get_untracked().and_then(Result::err);
    let error = move |field: &'static str| {
        failed.as_ref().and_then(|e| {
            e.field_message(field, locale)
                .or_else(|| (field.is_empty() && !matches!(e, AppError::Invalid(_))).then(|| e.message(locale)))
        })
    };
    // "Add a synonym" next to a missed search brings its words and language here.
    let query = use_query_map();
    let (term, language) = query.with_untracked(|q| (q.get("term").unwrap_or_default(), q.get("language")));
    let language = language.and_then(|l| Locale::parse(&l)).unwrap_or(locale);
    let kind_name = move |kind: &str| tr!(locale, &format!("search_desk.kind.{kind}"));
    view! {
        {added.map(|o| match o {
            Ok(()) => view! { <p class="notice" role="status" data-testid="synonym-added">{tr!(locale, "search_desk.added")}</p> }.into_any(),
            Err(e) if !matches!(e, AppError::Invalid(_)) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
            Err(_) => ().into_any(),
        })}
        {removed.map(|o| match o {
            Ok(()) => view! { <p class="notice" role="status">{tr!(locale, "search_desk.removed")}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
        })}
        <h2 id="synonym-form-title">{tr!(locale, "search_desk.add_title")}</h2>
        <p class="muted">{tr!(locale, "search_desk.add_help")}</p>
        <ActionForm action=add attr:class="stack synonym-form" attr:id="synonym-form" attr:aria-labelledby="synonym-form-title" attr:novalidate=true>
            <label for="syn-language">{tr!(locale, "search_desk.language")}</label>
            <select id="syn-language" name="language" aria-describedby="syn-language-error">
                {Locale::ALL.iter().map(|l| view! {
                    <option value=l.tag() selected=*l == language lang=l.tag()>{l.native_name()}</option>
                }).collect_view()}
            </select>
            <div id="syn-language-error" class="field-error">{error("language")}</div>
            <fieldset class="checks">
                <legend>{tr!(locale, "search_desk.kind_label")}</legend>
                <label class="check">
                    <input type="radio" name="kind" value="one_way" checked=true />
                    <span><strong>{kind_name("one_way")}</strong>" · "{tr!(locale, "search_desk.one_way_help")}</span>
                </label>
                <label class="check">
                    <input type="radio" name="kind" value="equivalent" />
                    <span><strong>{kind_name("equivalent")}</strong>" · "{tr!(locale, "search_desk.equivalent_help")}</span>
                </label>
                <div class="field-error">{error("kind")}</div>
            </fieldset>
            <label for="syn-term">{tr!(locale, "search_desk.term")}</label>
            <input id="syn-term" name="term" type="text" maxlength="60" value=term dir="auto" aria-describedby="syn-term-help syn-term-error" data-testid="synonym-term" />
            <div id="syn-term-help" class="muted small">{tr!(locale, "search_desk.term_help")}</div>
            <div id="syn-term-error" class="field-error">{error("term")}</div>
            <label for="syn-synonyms">{tr!(locale, "search_desk.synonyms")}</label>
            <input id="syn-synonyms" name="synonyms" type="text" maxlength="1200" dir="auto" aria-describedby="syn-synonyms-help syn-synonyms-error" data-testid="synonym-synonyms" />
            <div id="syn-synonyms-help" class="muted small">{tr!(locale, "search_desk.synonyms_help")}</div>
            <div id="syn-synonyms-error" class="field-error">{error("synonyms")}</div>
            <div role="alert"><p class="field-error">{error("")}</p></div>
            <button type="submit" class="primary" data-testid="add-synonym">{tr!(locale, "search_desk.add")}</button>
        </ActionForm>

        <h2>{tr!(locale, "search_desk.synonyms_title")}</h2>
        {if dto.synonyms.is_empty() {
            view! { <p class="muted">{tr!(locale, "search_desk.no_synonyms")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table" data-testid="synonyms">
                    <caption class="visually-hidden">{tr!(locale, "search_desk.synonyms_title")}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(locale, "search_desk.language")}</th>
                        <th scope="col">{tr!(locale, "search_desk.kind_label")}</th>
                        <th scope="col">{tr!(locale, "search_desk.synonym")}</th>
                        <th scope="col"><span class="visually-hidden">{tr!(locale, "staff.remove")}</span></th>
                    </tr></thead>
                    <tbody>
                        {dto.synonyms.into_iter().map(|s| {
                            let words = if s.kind == "one_way" {
                                format!("{} → {}", s.term, s.synonyms.join(", "))
                            } else {
                                s.synonyms.join(" ⇄ ")
                            };
                            let label = tr!(locale, "search_desk.remove_for", synonym = words.clone());
                            view! {
                                <tr>
                                    <td lang=s.language.clone()>{s.language_name.clone()}</td>
                                    <td>{kind_name(&s.kind)}</td>
                                    <td dir="auto" lang=s.language.clone()>{words}</td>
                                    <td>
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="id" value=s.id />
                                            <button type="submit" aria-label=label>{tr!(locale, "staff.remove")}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}

        <h2 id="misses-title">{tr!(locale, "search_desk.misses_title")}</h2>
        <p class="muted">{tr!(locale, "search_desk.misses_help")}</p>
        <form method="get" action="/staff/search" class="filters">
            <label for="days">{tr!(locale, "search_desk.period")}</label>
            <select id="days" name="days">
                {DESK_PERIODS.iter().map(|d| view! {
                    <option value=d.to_string() selected=*d == dto.days>{tr!(locale, "search_desk.last_days", count = *d)}</option>
                }).collect_view()}
            </select>
            <button type="submit">{tr!(locale, "shell.apply")}</button>
        </form>
        {if dto.misses.is_empty() {
            view! { <p class="muted" data-testid="no-misses">{tr!(locale, "search_desk.no_misses")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table" data-testid="misses" aria-labelledby="misses-title">
                    <thead><tr>
                        <th scope="col">{tr!(locale, "search_desk.query")}</th>
                        <th scope="col">{tr!(locale, "search_desk.language")}</th>
                        <th scope="col" class="num">{tr!(locale, "search_desk.zero_results")}</th>
                        <th scope="col" class="num">{tr!(locale, "search_desk.refined")}</th>
                        <th scope="col">{tr!(locale, "search_desk.last_seen")}</th>
                        <th scope="col"><span class="visually-hidden">{tr!(locale, "search_desk.add")}</span></th>
                    </tr></thead>
                    <tbody>
                        {dto.misses.into_iter().map(|m| {
                            let href = format!(
                                "/staff/search?term={}&language={}#synonym-form",
                                crate::url::encode_component(&m.query),
                                crate::url::encode_component(&m.language)
                            );
                            let label = tr!(locale, "search_desk.add_for", query = m.query.clone());
                            view! {
                                <tr>
                                    <td dir="auto" lang=m.language.clone()>{m.query.clone()}</td>
                                    <td lang=m.language.clone()>{m.language_name.clone()}</td>
                                    <td class="num">{crate::format::number(m.zero_results, locale)}</td>
                                    <td class="num">{crate::format::number(m.refined, locale)}</td>
                                    <td class="nowrap">{m.last_day.clone()}</td>
                                    <td><a href=href aria-label=label>{tr!(locale, "search_desk.add")}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}
