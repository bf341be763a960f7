//! A purchase request's state badge and the table of requests, shared by /approvals and /orders.

use crate::api::approvals::RequestSummaryDto;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// A request's state, translated, as a badge.
pub fn status_badge(locale: Locale, status: &str) -> impl IntoView {
    view! { <span class=format!("status request-{status}")>{tr!(locale, &format!("approvals.status.{status}"))}</span> }
}

/// A table of requests (the queue, the requester's list on /orders).
pub fn request_table(locale: Locale, rows: Vec<RequestSummaryDto>, caption: String) -> impl IntoView {
    view! {
        <div class="table-scroll"><table class="data-table request-list">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>
                <th scope="col">{tr!(locale, "approvals.request")}</th>
                <th scope="col">{tr!(locale, "orders.placed_at")}</th>
                <th scope="col">{tr!(locale, "orders.status_label")}</th>
                <th scope="col">{tr!(locale, "orders.placed_by")}</th>
                <th scope="col">{tr!(locale, "approvals.waiting_for")}</th>
                <th scope="col" class="num">{tr!(locale, "cart.total")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-testid="request-row">
                        <td><a href=format!("/requests/{}", r.number)>{r.number.clone()}</a></td>
                        <td>{r.requested}</td>
                        <td>{status_badge(locale, &r.status)}</td>
                        <td dir="auto">{r.requester}</td>
                        <td>{r.waiting_for}</td>
                        <td class="num">{r.total}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}
