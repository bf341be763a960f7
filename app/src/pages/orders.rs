//! /orders (history with filters in the URL, paged), /orders/{number} (lines, totals, ship-to,
//! terms, status timeline, shipments, reorder of all or picked lines) and /buy-again (what was
//! bought before, with the last price and date).

use crate::api::cart::AddCartLines;
use crate::api::catalog::parse_filter;
use crate::api::orders::{buy_again, get_order, list_orders, OrderDto, OrdersDto, Reorder, ReorderDto};
use crate::components::add_report::AddReport;
use crate::components::error_view::ErrorView;
use crate::components::filters::{filter_select, pager};
use crate::components::not_found::NotFound;
use crate::components::problems::row_problem_message;
use crate::components::save_as_list::SaveAsList;
use crate::components::stock_badge::stock_badge;
use crate::domain::order::OrderStatus;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const FILTERS: [&str; 6] = ["status", "from", "to", "location", "po", "placed_by"];

#[component]
pub fn OrdersPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let orders = Resource::new(
        move || query.with(|q| FILTERS.iter().map(|f| q.get(f)).chain([q.get("page")]).collect::<Vec<_>>()),
        |v| {
            let mut v = v.into_iter();
            let mut next = move || v.next().flatten();
            list_orders(next(), next(), next(), next(), next(), next(), next())
        },
    );
    // The member's purchase requests sit beside their orders (open ones first in the list).
    let requests = Resource::new(|| (), |_| crate::api::approvals::list_requests(false));
    view! {
        <Title text=tr!(locale, "nav.orders") />
        <section class="page orders">
            <h1>{tr!(locale, "nav.orders")}</h1>
            <p><a href="/buy-again">{tr!(locale, "buy_again.title")}</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(list) if !list.is_empty() => view! {
                            <section aria-labelledby="requests-title" class="requests">
                                <h2 id="requests-title">{tr!(locale, "approvals.my_requests")}</h2>
                                {crate::components::requests::request_table(locale, list, tr!(locale, "approvals.my_requests"))}
                            </section>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(dto) => view! { <OrdersView dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn status_label(locale: Locale, status: OrderStatus) -> String {
    tr!(locale, status.key())
}

#[component]
fn OrdersView(dto: OrdersDto, locale: Locale) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let values: Vec<(&'static str, Option<String>)> =
        FILTERS.iter().map(|f| (*f, parse_filter(query.get(f)))).collect();
    let current = |name: &str| values.iter().find(|(f, _)| *f == name).and_then(|(_, v)| v.clone());
    let (status, from, to, location, po, placed_by) =
        (current("status"), current("from"), current("to"), current("location"), current("po"), current("placed_by"));
    let statuses: Vec<crate::api::catalog::FilterOption> = OrderStatus::ALL
        .iter()
        .map(|s| crate::api::catalog::FilterOption {
            code: s.code().into(),
            label: status_label(locale, *s),
            nested: false,
        })
        .collect();
    let link = |page: i64| crate::url::page_link("/orders", &values, page);
    let filtered = values.iter().any(|(_, v)| v.is_some());
    view! {
        <form method="get" action="/orders" class="filters">
            {filter_select("status", tr!(locale, "orders.status_label"), tr!(locale, "catalog.any"), &statuses, &status)}
            <div class="field">
                <label for="f-from">{tr!(locale, "orders.from")}</label>
                <input id="f-from" type="date" name="from" value=from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-to">{tr!(locale, "orders.to")}</label>
                <input id="f-to" type="date" name="to" value=to.clone().unwrap_or_default() />
            </div>
            {filter_select("location", tr!(locale, "shell.location"), tr!(locale, "catalog.any"), &dto.locations, &location)}
            {(!dto.members.is_empty()).then(|| filter_select("placed_by", tr!(locale, "orders.placed_by"), tr!(locale, "catalog.any"), &dto.members, &placed_by))}
            <div class="field">
                <label for="f-po">{tr!(locale, "checkout.po_number")}</label>
                <input id="f-po" type="search" name="po" value=po.clone().unwrap_or_default() />
            </div>
            <button type="submit">{tr!(locale, "orders.apply")}</button>
        </form>
        {if dto.rows.is_empty() {
            view! { <p>{tr!(locale, if filtered { "orders.none_match" } else { "pages.orders.empty" })}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table order-list">
                    <caption class="visually-hidden">{tr!(locale, "nav.orders")}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(locale, "orders.number")}</th>
                        <th scope="col">{tr!(locale, "orders.placed_at")}</th>
                        <th scope="col">{tr!(locale, "orders.status_label")}</th>
                        <th scope="col">{tr!(locale, "checkout.po_number")}</th>
                        <th scope="col">{tr!(locale, "shell.location")}</th>
                        <th scope="col">{tr!(locale, "orders.placed_by")}</th>
                        <th scope="col" class="num">{tr!(locale, "cart.total")}</th>
                    </tr></thead>
                    <tbody>
                        {dto.rows.into_iter().map(|r| view! {
                            <tr>
                                <td><a href=format!("/orders/{}", r.number)>{r.number.clone()}</a></td>
                                <td>{r.placed_at}</td>
                                <td><span class=format!("status status-{}", r.status.code())>{status_label(locale, r.status)}</span></td>
                                <td>{r.po_number}</td>
                                <td>{r.location}</td>
                                <td>{r.placed_by}</td>
                                <td class="num">{r.total}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        {pager(locale, dto.page, (dto.page > 1).then(|| link(dto.page - 1)), dto.has_next.then(|| link(dto.page + 1)))}
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let order = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), get_order);
    view! {
        <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(dto) => view! { <OrderView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrderView(dto: OrderDto, locale: Locale) -> impl IntoView {
    let title = tr!(locale, "orders.title", number = dto.number);
    let placed_now = use_query_map().get_untracked().get("placed").is_some();
    let reorder = ServerAction::<Reorder>::new();
    let number = dto.number.clone();
    view! {
        <Title text=title.clone() />
        <article class="page order">
            <p class="muted"><a href="/orders">{tr!(locale, "nav.orders")}</a></p>
            {placed_now.then(|| view! { <p class="notice success" role="status">{tr!(locale, "orders.placed_notice", number = dto.number)}</p> })}
            <h1>{title}</h1>
            <dl class="order-facts">
                <div><dt>{tr!(locale, "orders.status_label")}</dt><dd data-testid="order-status">{status_label(locale, dto.status)}</dd></div>
                <div><dt>{tr!(locale, "orders.placed_at")}</dt><dd>{dto.placed_at.clone()}</dd></div>
                <div><dt>{tr!(locale, "orders.placed_by")}</dt><dd>{dto.placed_by.clone()}</dd></div>
                <div><dt>{tr!(locale, "checkout.po_number")}</dt><dd data-testid="order-po">{dto.po_number.clone()}</dd></div>
                <div><dt>{tr!(locale, "checkout.terms")}</dt><dd>{dto.terms.clone()}</dd></div>
                {dto.requested_date.clone().map(|d| view! { <div><dt>{tr!(locale, "checkout.requested_date")}</dt><dd>{d}</dd></div> })}
                <div><dt>{tr!(locale, "checkout.ship_to")}</dt><dd>{dto.ship_to.iter().map(|l| view! { <span class="block">{l.clone()}</span> }).collect_view()}</dd></div>
                {(!dto.note.is_empty()).then(|| view! { <div><dt>{tr!(locale, "checkout.note")}</dt><dd>{dto.note.clone()}</dd></div> })}
            </dl>
            <h2>{tr!(locale, "orders.timeline")}</h2>
            <ol class="timeline">
                {dto.timeline.iter().map(|(s, at)| view! { <li><strong>{status_label(locale, *s)}</strong>" · "{at.clone()}</li> }).collect_view()}
            </ol>
            {(!dto.invoices.is_empty()).then(|| view! {
                <p class="order-invoices">{tr!(locale, "nav.invoices")}": "
                    {dto.invoices.iter().map(|n| view! { <a href=format!("/invoices/{n}") data-testid="order-invoice">{n.clone()}</a>" " }).collect_view()}
                </p>
            })}
            {(!dto.shipments.is_empty()).then(|| view! {
                <h2>{tr!(locale, "orders.shipments")}</h2>
                <ul class="shipments">
                    {dto.shipments.iter().map(|s| view! {
                        <li>
                            {s.carrier.clone()}" · "<span class="sku">{s.tracking_number.clone()}</span>" · "
                            {tr!(locale, "orders.shipped_on", date = s.shipped_at)}
                            {s.delivered_at.clone().map(|d| format!(" · {}", tr!(locale, "orders.delivered_on", date = d)))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <h2>{tr!(locale, "orders.lines")}</h2>
            <ActionForm action=reorder>
                <input type="hidden" name="number" value=number />
                <div class="table-scroll"><table class="data-table order-lines">
                    <caption class="visually-hidden">{tr!(locale, "orders.lines")}</caption>
                    <thead><tr>
                        {dto.can_reorder.then(|| view! { <th scope="col"><span class="visually-hidden">{tr!(locale, "orders.pick")}</span></th> })}
                        <th scope="col">{tr!(locale, "product.sku")}</th>
                        <th scope="col">{tr!(locale, "cart.product")}</th>
                        <th scope="col" class="num">{tr!(locale, "product.quantity")}</th>
                        <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                        <th scope="col" class="num">{tr!(locale, "cart.line_total")}</th>
                    </tr></thead>
                    <tbody>
                        {dto.lines.iter().enumerate().map(|(i, l)| {
                            let pick = tr!(locale, "orders.pick_line", sku = l.sku);
                            view! {
                                <tr>
                                    {dto.can_reorder.then(|| view! { <td><input type="checkbox" name=format!("lines[{i}]") value=l.line_no.to_string() aria-label=pick /></td> })}
                                    <td class="sku">{l.sku.clone()}</td>
                                    <td>{crate::components::code_text::with_codes(&l.name)}</td>
                                    <td class="num">{l.quantity}</td>
                                    <td class="num">{l.unit_price.clone()}</td>
                                    <td class="num">{l.line_total.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr>
                        <th scope="row" colspan=if dto.can_reorder { "5" } else { "4" }>{tr!(locale, "cart.total")}</th>
                        <td class="num total">{dto.total.clone()}</td>
                    </tr></tfoot>
                </table></div>
                {dto.can_reorder.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="primary">{tr!(locale, "orders.reorder")}</button>
                        <span class="muted small">{tr!(locale, "orders.reorder_help")}</span>
                    </div>
                })}
            </ActionForm>
            {dto.can_reorder.then(|| view! { <SaveAsList source="order" number=dto.number.clone() locale /> })}
            <div role="status" aria-live="polite">
                {crate::components::outcome::posted::<Reorder>().map(|r| match r {
                    Ok(report) => reorder_report(report, locale).into_any(),
                    Err(e) => view! { <p class="field-error">{e.message(locale)}</p> }.into_any(),
                })}
            </div>
        </article>
    }
}

fn reorder_report(report: ReorderDto, locale: Locale) -> impl IntoView {
    view! {
        <div class="notice">
            <p>
                {tr!(locale, "cart.added", count = report.added)}" "
                <a href="/cart">{tr!(locale, "cart.view")}</a>
            </p>
            <ul class="reorder-report">
                {report.lines.into_iter().filter_map(|l| {
                    let note = match (l.problem, l.new_price) {
                        (Some(p), _) => Some(view! { <span class="field-error">{row_problem_message(locale, p)}</span> }.into_any()),
                        (None, Some(new)) => Some(view! { <span>{tr!(locale, "orders.price_changed", old = l.old_price, new = new)}</span> }.into_any()),
                        (None, None) => None,
                    };
                    let stock = l.stock.filter(|s| s.level != crate::api::catalog::StockLevel::InStock);
                    (note.is_some() || stock.is_some()).then(|| view! {
                        <li><span class="sku">{l.sku}</span>" "{l.name}" — "{note}" "{stock.map(|s| stock_badge(s, locale))}</li>
                    })
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn BuyAgainPage() -> impl IntoView {
    let locale = use_locale();
    let items = Resource::new(|| (), |_| buy_again());
    let add = ServerAction::<AddCartLines>::new();
    let added = crate::components::outcome::posted::<AddCartLines>();
    view! {
        <Title text=tr!(locale, "buy_again.title") />
        <section class="page buy-again">
            <h1>{tr!(locale, "buy_again.title")}</h1>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || { let added = added.clone(); Suspend::new(async move {
                    match items.await {
                        Ok(list) if list.is_empty() => view! { <p>{tr!(locale, "buy_again.empty")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ActionForm action=add>
                                <div class="table-scroll"><table class="data-table">
                                    <caption class="visually-hidden">{tr!(locale, "buy_again.title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{tr!(locale, "product.sku")}</th>
                                        <th scope="col">{tr!(locale, "cart.product")}</th>
                                        <th scope="col">{tr!(locale, "buy_again.last_ordered")}</th>
                                        <th scope="col" class="num">{tr!(locale, "buy_again.last_price")}</th>
                                        <th scope="col">{tr!(locale, "product.quantity")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().enumerate().map(|(i, p)| {
                                            let label = tr!(locale, "product.quantity_for", sku = p.sku);
                                            let last = tr!(locale, "buy_again.last_quantity", quantity = p.last_quantity);
                                            view! {
                                                <tr>
                                                    <td class="sku">{p.sku.clone()}</td>
                                                    <td>{crate::components::code_text::with_codes(&p.name)}</td>
                                                    <td>{p.last_ordered}</td>
                                                    <td class="num">{p.last_price}</td>
                                                    <td>
                                                        <input type="hidden" name=format!("lines[{i}][sku]") value=p.sku />
                                                        <input class="qty" type="text" inputmode="numeric" name=format!("lines[{i}][quantity]") aria-label=label placeholder=p.last_quantity.to_string() />
                                                        <div class="muted small">{last}</div>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                                <div class="form-actions">
                                    <button type="submit" class="primary">{tr!(locale, "cart.add")}</button>
                                    <AddReport result=added.clone() locale />
                                </div>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}}
            </Transition>
        </section>
    }
}
