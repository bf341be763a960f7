//! Shopping lists: see, make (empty, from the cart or from an order), fill from a product page,
//! share, delete, and put in the cart in one action.

use crate::api::cart::AddReportDto;
use crate::domain::ids::ListId;
use crate::domain::order_entry::RowProblem;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListSummaryDto {
    pub id: ListId,
    pub name: String,
    pub shared: bool,
    pub mine: bool,
    pub owner: String,
    pub lines: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListLineDto {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Option<String>,
    pub problem: Option<RowProblem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListDto {
    pub summary: ListSummaryDto,
    pub lines: Vec<ListLineDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedListDto {
    pub id: ListId,
    /// Rows of the source that could not be saved, with the reason (SKU, problem).
    pub skipped: Vec<(String, RowProblem)>,
}

#[cfg(feature = "ssr")]
fn summary(l: crate::backend::lists::ListRow, member: crate::domain::ids::MemberId) -> ListSummaryDto {
    ListSummaryDto {
        mine: l.owner_id == member,
        id: l.id,
        name: l.name,
        shared: l.shared,
        owner: l.owner_name,
        lines: l.line_count,
    }
}

#[server(endpoint = "lists/all")]
pub async fn get_lists() -> Result<Vec<ListSummaryDto>, AppError> {
    use crate::backend::{lists, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    Ok(lists::all(&state, &actor).await?.into_iter().map(|l| summary(l, actor.member_id)).collect())
}

#[server(endpoint = "lists/get")]
pub async fn get_list(id: ListId) -> Result<ListDto, AppError> {
    use crate::backend::{lists, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let (list, view) = lists::detail(&state, &actor, locale, id, clock::now()).await?;
    Ok(ListDto {
        summary: summary(list, actor.member_id),
        lines: view
            .lines
            .into_iter()
            .map(|l| ListLineDto {
                unit_price: l.unit_price.map(|m| crate::format::money(m, locale)),
                sku: l.sku,
                name: l.name,
                quantity: l.quantity,
                problem: l.problem,
            })
            .collect(),
    })
}

/// A new list named `name`; `source` "cart" fills it with the cart's lines, "order" with the
/// lines of order `number`; anything else makes it empty.
#[server(endpoint = "lists/create")]
pub async fn create_list(
    name: String,
    #[server(default)] shared: Option<String>,
    #[server(default)] source: String,
    #[server(default)] number: String,
) -> Result<CreatedListDto, AppError> {
    use crate::backend::{lists, platform::clock, platform::guard::authorize};
    use crate::domain::order::OrderNumber;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let source = match source.as_str() {
        "cart" => lists::Source::Cart,
        "order" => lists::Source::Order(OrderNumber::parse(&number).ok_or(AppError::NotFound)?),
        _ => lists::Source::Empty,
    };
    let shared = shared.is_some_and(|s| !s.is_empty() && s != "false");
    let (id, skipped) = lists::create_from(&state, &actor, locale, &name, shared, source, clock::now()).await?;
    Ok(CreatedListDto { id, skipped: skipped.into_iter().map(|(r, p)| (r.sku, p)).collect() })
}

/// Adds one SKU to the member's own list; the reason when it cannot be ordered.
#[server(endpoint = "lists/add")]
pub async fn add_to_list(list: ListId, sku: String, quantity: String) -> Result<Option<RowProblem>, AppError> {
    use crate::backend::{lists, platform::clock, platform::guard::authorize};
    use crate::domain::order_entry::EnteredRow;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    lists::add_line(&state, &actor, locale, list, EnteredRow { row: 1, sku, quantity }, clock::now()).await
}

#[server(endpoint = "lists/remove_line")]
pub async fn remove_list_line(list: ListId, sku: String) -> Result<(), AppError> {
    use crate::backend::{lists, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    lists::remove_line(&state, &actor, list, &sku).await
}

#[server(endpoint = "lists/share")]
pub async fn share_list(list: ListId, #[server(default)] shared: Option<String>) -> Result<(), AppError> {
    use crate::backend::{lists, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    lists::set_shared(&state, &actor, list, shared.is_some_and(|s| !s.is_empty() && s != "false")).await
}

#[server(endpoint = "lists/delete")]
pub async fn delete_list(list: ListId) -> Result<(), AppError> {
    use crate::backend::{lists, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    lists::delete(&state, &actor, list).await?;
    // A form post goes on to the lists (the list's own page is gone).
    leptos_axum::redirect("/lists");
    Ok(())
}

/// The whole list into the cart; every line that could not go in says why.
#[server(endpoint = "lists/to_cart")]
pub async fn list_to_cart(list: ListId) -> Result<AddReportDto, AppError> {
    use crate::backend::{lists, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let added = lists::to_cart(&state, &actor, locale, list, clock::now()).await?;
    Ok(AddReportDto::for_caller(AddReportDto {
        added: added.added,
        cart_lines: added.cart_lines,
        rows: added.rows.into_iter().map(|r| crate::api::cart::convert::row_dto(r, locale)).collect(),
    }))
}
