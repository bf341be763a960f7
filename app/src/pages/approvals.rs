//! /requests/{number} (a purchase request: lines, why it needs approval, who approves, the
//! requester's budget, history; approve, reject, cancel, copy to cart), /approvals (what waits
//! for me; everything with `orders.view_all`) and /team/approvals (rules and spending limits).
//! Plain form posts, no islands.

use crate::api::approvals::{
    decided, get_request, list_requests, queue, settings, AddRule, ApprovalSettingsDto, Approve, Cancel, DecisionDto,
    DeleteRule, Reject, RequestDto, SetLimits, ToCart,
};
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::components::requests::{request_table, status_badge};
use crate::components::team_bits::{notice, outcome_of};
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RequestPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let request = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), get_request);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match request.await {
                    Ok(dto) => view! { <RequestView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn decision_notice(locale: Locale) -> Option<AnyView> {
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    if sent {
        return Some(
            view! { <p class="notice" role="status" data-testid="request-sent">{tr!(locale, "approvals.sent")}</p> }
                .into_any(),
        );
    }
    let decided = [
        crate::components::outcome::posted::<Approve>(),
        crate::components::outcome::posted::<Reject>(),
        crate::components::outcome::posted::<Cancel>(),
    ]
    .into_iter()
    .flatten()
    .next();
    if let Some(result) = decided {
        return Some(match result {
            Ok(DecisionDto { outcome, order_number }) => {
                let text = tr!(
                    locale,
                    &format!("approvals.outcome.{outcome}"),
                    order = order_number.clone().unwrap_or_default()
                );
                view! { <p class="notice" role="status" data-testid="decision">{text}</p> }.into_any()
            }
            Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
        });
    }
    outcome_of::<ToCart>().map(|o| notice(locale, Some(o), tr!(locale, "approvals.copied")).into_any())
}

#[component]
fn RequestView(dto: RequestDto, locale: Locale) -> impl IntoView {
    let approve = ServerAction::<Approve>::new();
    let reject = ServerAction::<Reject>::new();
    let cancel = ServerAction::<Cancel>::new();
    let copy = ServerAction::<ToCart>::new();
    let number = dto.summary.number.clone();
    let (n_approve, n_reject, n_cancel, n_copy) = (number.clone(), number.clone(), number.clone(), number.clone());
    let review = dto.summary.status == "needs_review";
    view! {
        <Title text=tr!(locale, "approvals.title_one", number = number.clone()) />
        <article class="page request">
            <p class="muted"><a href="/orders">{tr!(locale, "nav.orders")}</a></p>
            <h1>{tr!(locale, "approvals.title_one", number = number.clone())}</h1>
            {decision_notice(locale)}
            <dl class="order-facts">
                <div><dt>{tr!(locale, "orders.status_label")}</dt><dd data-testid="request-status">{status_badge(locale, &dto.summary.status)}</dd></div>
                <div><dt>{tr!(locale, "orders.placed_by")}</dt><dd dir="auto">{dto.summary.requester.clone()}</dd></div>
                <div><dt>{tr!(locale, "checkout.ship_to")}</dt><dd dir="auto">{dto.summary.location.clone()}</dd></div>
                {(!dto.po_number.is_empty()).then(|| view! { <div><dt>{tr!(locale, "checkout.po_number")}</dt><dd>{dto.po_number.clone()}</dd></div> })}
                {dto.order_number.clone().map(|n| view! {
                    <div><dt>{tr!(locale, "orders.number")}</dt><dd><a href=format!("/orders/{n}") data-testid="request-order">{n.clone()}</a></dd></div>
                })}
                {dto.budget.clone().map(|b| view! { <div><dt>{tr!(locale, "approvals.budget_label")}</dt><dd>{b}</dd></div> })}
            </dl>
            {(!dto.reasons.is_empty()).then(|| view! {
                <section aria-labelledby="reasons-title">
                    <h2 id="reasons-title">{tr!(locale, "approvals.why")}</h2>
                    <ul>{dto.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            <section aria-labelledby="steps-title">
                <h2 id="steps-title">{tr!(locale, "approvals.steps")}</h2>
                <ol class="steps" data-testid="steps">
                    {dto.steps.iter().map(|s| {
                        let state = if s.done { "approvals.step_done" } else if s.current { "approvals.step_current" } else { "approvals.step_later" };
                        view! { <li class:current=s.current>{s.approver.clone()}" · "<span class="muted">{tr!(locale, state)}</span></li> }
                    }).collect_view()}
                </ol>
            </section>
            <div class="table-scroll"><table class="data-table order-lines">
                <caption class="visually-hidden">{tr!(locale, "approvals.lines")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(locale, "product.sku")}</th>
                    <th scope="col">{tr!(locale, "cart.product")}</th>
                    <th scope="col" class="num">{tr!(locale, "product.quantity")}</th>
                    <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                    <th scope="col" class="num">{tr!(locale, "cart.line_total")}</th>
                </tr></thead>
                <tbody>
                    {dto.lines.iter().map(|l| view! {
                        <tr>
                            <td class="sku">{l.sku.clone()}</td>
                            <td>{crate::components::code_text::with_codes(&l.name)}</td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{l.unit_price.clone()}</td>
                            <td class="num">{l.line_total.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row" colspan="4">{tr!(locale, "cart.total")}</th><td class="num" data-testid="request-total">{dto.summary.total.clone()}</td></tr></tfoot>
            </table></div>
            {dto.can_decide.then(|| view! {
                <section class="team-section" aria-labelledby="decide-title">
                    <h2 id="decide-title">{tr!(locale, "approvals.decide")}</h2>
                    {review.then(|| view! { <p class="notice">{tr!(locale, "approvals.review_help")}</p> })}
                    <ActionForm action=approve attr:class="stack narrow">
                        <input type="hidden" name="number" value=n_approve />
                        <input type="hidden" name="version" value=dto.version />
                        {review.then(|| view! { <input type="hidden" name="accept_changes" value="on" /> })}
                        <label for="approve-comment">{tr!(locale, "approvals.comment_optional")}</label>
                        <textarea id="approve-comment" name="comment" rows="2" maxlength="1000"></textarea>
                        <button type="submit" class="primary" data-testid="approve">
                            {tr!(locale, if review { "approvals.approve_new" } else { "approvals.approve" })}
                        </button>
                    </ActionForm>
                    <ActionForm action=reject attr:class="stack narrow">
                        <input type="hidden" name="number" value=n_reject />
                        <input type="hidden" name="version" value=dto.version />
                        <label for="reject-comment">{tr!(locale, "approvals.comment_required_label")}</label>
                        <textarea id="reject-comment" name="comment" rows="2" maxlength="1000" required></textarea>
                        <button type="submit" data-testid="reject">{tr!(locale, "approvals.reject")}</button>
                    </ActionForm>
                </section>
            })}
            <div class="form-actions">
                {dto.can_cancel.then(|| view! {
                    <ActionForm action=cancel>
                        <input type="hidden" name="number" value=n_cancel />
                        <input type="hidden" name="version" value=dto.version />
                        <button type="submit" data-testid="cancel-request">{tr!(locale, "approvals.cancel")}</button>
                    </ActionForm>
                })}
                {dto.can_copy.then(|| view! {
                    <ActionForm action=copy>
                        <input type="hidden" name="number" value=n_copy />
                        <button type="submit">{tr!(locale, "approvals.copy_to_cart")}</button>
                    </ActionForm>
                })}
            </div>
            <section aria-labelledby="history-title">
                <h2 id="history-title">{tr!(locale, "approvals.history")}</h2>
                <ol class="history" data-testid="history">
                    {dto.history.iter().map(|e| view! {
                        <li>
                            <span class="muted small">{e.at.clone()}</span>" "
                            <strong>{tr!(locale, &format!("approvals.event.{}", e.event))}</strong>
                            {(!e.who.is_empty()).then(|| view! { " · "<span dir="auto">{e.who.clone()}</span> })}
                            {(!e.comment.is_empty()).then(|| view! { <p class="comment" dir="auto">{e.comment.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(
        || (),
        |_| async move {
            let waiting = queue().await?;
            let mine = decided().await?;
            let shell = crate::api::session::get_shell().await?;
            let all = if shell.can(crate::domain::permission::Permission::OrdersViewAll) {
                Some(list_requests(true).await?)
            } else {
                None
            };
            Ok::<_, AppError>((waiting, mine, all))
        },
    );
    view! {
        <Title text=tr!(locale, "approvals.title") />
        <section class="page approvals">
            <h1>{tr!(locale, "approvals.title")}</h1>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((waiting, mine, all)) => view! {
                            <h2>{tr!(locale, "approvals.waiting_for_me")}</h2>
                            {if waiting.is_empty() {
                                view! { <p data-testid="queue-empty">{tr!(locale, "approvals.nothing_waiting")}</p> }.into_any()
                            } else {
                                request_table(locale, waiting, tr!(locale, "approvals.waiting_for_me")).into_any()
                            }}
                            {(!mine.is_empty()).then(|| view! {
                                <h2>{tr!(locale, "approvals.decided_by_me")}</h2>
                                {request_table(locale, mine, tr!(locale, "approvals.decided_by_me"))}
                            })}
                            {all.map(|all| view! {
                                <h2>{tr!(locale, "approvals.all")}</h2>
                                {request_table(locale, all, tr!(locale, "approvals.all"))}
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ApprovalSettingsPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| settings());
    view! {
        <Title text=tr!(locale, "approvals.settings_title") />
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(dto) => view! { <SettingsView dto locale /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsView(dto: ApprovalSettingsDto, locale: Locale) -> impl IntoView {
    let add = ServerAction::<AddRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let limits = ServerAction::<SetLimits>::new();
    let answers = [
        (outcome_of::<AddRule>(), "approvals.rule_added"),
        (outcome_of::<DeleteRule>(), "approvals.rule_deleted"),
        (outcome_of::<SetLimits>(), "team.saved"),
    ];
    let shown = answers.into_iter().find(|(o, _)| o.is_some()).map(|(o, key)| notice(locale, o, tr!(locale, key)));
    let option = |(id, label): &(i64, String)| view! { <option value=id.to_string()>{label.clone()}</option> };
    let ApprovalSettingsDto { currency, rules, limits: member_limits, roles, locations, categories } = dto;
    let value_label = tr!(locale, "approvals.rule_value", currency = currency.as_str());
    let limits_help = tr!(locale, "approvals.limits_help", currency = currency.as_str());
    let rules: Vec<AnyView> = rules
        .into_iter()
        .map(|r| {
            view! {
                <li class="member" data-testid="rule">
                    <div class="member-head"><strong>{r.text.clone()}</strong><span class="muted">{r.approvers.join(" → ")}</span></div>
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="rule" value=r.id />
                        <button type="submit">{tr!(locale, "team.roles.delete")}</button>
                    </ActionForm>
                </li>
            }
            .into_any()
        })
        .collect();
    let values: Vec<AnyView> =
        categories.iter().chain(locations.iter()).chain(roles.iter()).map(|o| option(o).into_any()).collect();
    let firsts: Vec<AnyView> = roles.iter().map(|o| option(o).into_any()).collect();
    let seconds: Vec<AnyView> = roles.iter().map(|o| option(o).into_any()).collect();
    let members: Vec<AnyView> = member_limits
        .into_iter()
        .map(|m| {
            let (order_id, month_id) = (format!("order-{}", m.member), format!("month-{}", m.member));
            let (order_for, month_for) = (order_id.clone(), month_id.clone());
            view! {
                <li class="member" data-testid="limits" data-email=m.email.clone()>
                    <div class="member-head"><strong dir="auto">{m.name.clone()}</strong><span class="muted">{m.email.clone()}</span></div>
                    <ActionForm action=limits attr:class="inline-form">
                        <input type="hidden" name="member" value=m.member />
                        <label for=order_for>{tr!(locale, "approvals.per_order")}</label>
                        <input id=order_id name="per_order" type="text" inputmode="decimal" size="10" value=m.per_order.clone() />
                        <label for=month_for>{tr!(locale, "approvals.per_month")}</label>
                        <input id=month_id name="per_month" type="text" inputmode="decimal" size="10" value=m.per_month.clone() />
                        <button type="submit">{tr!(locale, "team.save")}</button>
                    </ActionForm>
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <section class="page team">
            <h1>{tr!(locale, "approvals.settings_title")}</h1>
            {crate::components::team_bits::team_nav(locale, "/team/approvals", true, true)}
            {shown}
            <section class="team-section" aria-labelledby="rules-title">
                <h2 id="rules-title">{tr!(locale, "approvals.rules")}</h2>
                <ul class="member-list">{rules}</ul>
                <h3>{tr!(locale, "approvals.new_rule")}</h3>
                <ActionForm action=add attr:class="stack narrow" attr:novalidate="novalidate">
                    <label for="rule-kind">{tr!(locale, "approvals.rule_when")}</label>
                    <select id="rule-kind" name="kind">
                        {["total_above", "category", "location", "role"].into_iter().map(|k| view! {
                            <option value=k>{tr!(locale, &format!("approvals.kind.{k}"))}</option>
                        }).collect_view()}
                    </select>
                    <label for="rule-value">{value_label}</label>
                    <input id="rule-value" name="value" type="text" list="rule-values" required />
                    <datalist id="rule-values">{values}</datalist>
                    <p class="muted small">{tr!(locale, "approvals.rule_value_help")}</p>
                    <label for="rule-first">{tr!(locale, "approvals.first")}</label>
                    <select id="rule-first" name="first">{firsts}</select>
                    <label for="rule-second">{tr!(locale, "approvals.second")}</label>
                    <select id="rule-second" name="second">
                        <option value="">{tr!(locale, "approvals.no_second")}</option>
                        {seconds}
                    </select>
                    <button type="submit" class="primary">{tr!(locale, "approvals.add_rule")}</button>
                </ActionForm>
            </section>
            <section class="team-section" aria-labelledby="limits-title">
                <h2 id="limits-title">{tr!(locale, "approvals.limits")}</h2>
                <p class="muted">{limits_help}</p>
                <ul class="member-list">{members}</ul>
            </section>
        </section>
    }
}
