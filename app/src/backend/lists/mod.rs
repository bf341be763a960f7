//! Shopping lists: named sets of SKUs and quantities a buyer orders again and again. Private to
//! the member who made it, or shared with the whole company (colleagues see it and put it in
//! their cart; only the owner changes it). Lines are checked like any other entered row, and a
//! list goes to the cart through `cart::add`, so it says what changed since it was saved.

pub mod repo;

use super::cart::{self, Added};
use super::catalog::offer::Offer;
use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::ids::ListId;
use crate::domain::order_entry::{EnteredRow, RowProblem};
use crate::error::AppError;
use crate::i18n::Locale;
pub use repo::{ListRow, MAX_LINES};

pub const MAX_NAME_CHARS: usize = 80;

fn clean_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "lists.name_required"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::invalid("name", "lists.name_invalid"));
    }
    Ok(name.to_string())
}

pub async fn all(state: &AppState, actor: &Actor) -> Result<Vec<ListRow>, AppError> {
    Ok(repo::visible(&state.pool, actor.company_id(), actor.member_id).await?)
}

/// A list the member may see; NotFound otherwise (another company's, a colleague's private one).
pub async fn get(state: &AppState, actor: &Actor, id: ListId) -> Result<ListRow, AppError> {
    repo::one(&state.pool, actor.company_id(), actor.member_id, id).await?.ok_or(AppError::NotFound)
}

/// A list the member may change: their own.
async fn own(state: &AppState, actor: &Actor, id: ListId) -> Result<ListRow, AppError> {
    let list = get(state, actor, id).await?;
    if list.owner_id != actor.member_id {
        return Err(AppError::Forbidden);
    }
    Ok(list)
}

/// (variant id, quantity) of a visible list, in the order added.
pub async fn lines(state: &AppState, actor: &Actor, id: ListId) -> Result<Vec<(i64, i64)>, AppError> {
    get(state, actor, id).await?;
    Ok(repo::lines(&state.pool, actor.company_id(), id).await?)
}

/// Creates a list, filled with `rows` (the cart's lines or an order's), checked like any entry:
/// only rows that could be ordered today are saved; the others are returned with their reason.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    name: &str,
    shared: bool,
    rows: &[EnteredRow],
    now: i64,
) -> Result<(ListId, Vec<(EnteredRow, RowProblem)>), AppError> {
    let name = clean_name(name)?;
    if rows.len() > MAX_LINES {
        return Err(AppError::invalid("", "lists.full"));
    }
    let offer = Offer::load(state, actor, now).await?;
    let (good, bad) = split(&offer, rows, locale);
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let id = repo::insert(&mut tx, actor.company_id(), actor.member_id, &name, shared, now).await?;
    for (variant, quantity) in &good {
        repo::set_line(&mut tx, actor.company_id(), id, *variant, *quantity).await?;
    }
    tx.commit().await?;
    Ok((id, bad))
}

fn split(offer: &Offer, rows: &[EnteredRow], locale: Locale) -> (Vec<(i64, i64)>, Vec<(EnteredRow, RowProblem)>) {
    let mut good = vec![];
    let mut bad = vec![];
    for row in offer.check_rows(rows, locale) {
        match row.outcome {
            Ok(a) => good.push((a.variant_id, a.quantity)),
            Err(p) => bad.push((row.entered, p)),
        }
    }
    (good, bad)
}

/// Adds (or sets) one line on the member's own list.
pub async fn add_line(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    id: ListId,
    row: EnteredRow,
    now: i64,
) -> Result<Option<RowProblem>, AppError> {
    own(state, actor, id).await?;
    let offer = Offer::load(state, actor, now).await?;
    let (good, bad) = split(&offer, std::slice::from_ref(&row), locale);
    if let Some((_, problem)) = bad.into_iter().next() {
        return Ok(Some(problem));
    }
    if repo::lines(&state.pool, actor.company_id(), id).await?.len() >= MAX_LINES {
        return Err(AppError::invalid("", "lists.full"));
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    for (variant, quantity) in good {
        repo::set_line(&mut tx, actor.company_id(), id, variant, quantity).await?;
    }
    tx.commit().await?;
    Ok(None)
}

/// Removes the line with this SKU from the member's own list (a SKU that is not there is fine).
pub async fn remove_line(state: &AppState, actor: &Actor, id: ListId, sku: &str) -> Result<(), AppError> {
    own(state, actor, id).await?;
    let catalog = state.read.catalog(&state.pool, actor.seen).await?;
    let Some((product, at)) =
        crate::domain::order_entry::normalize_sku(sku).ok().and_then(|s| catalog.variant_by_sku(&s))
    else {
        return Ok(());
    };
    Ok(repo::remove_line(&state.pool, actor.company_id(), id, product.variants[at].id).await?)
}

/// A visible list with its lines priced as the cart would price them today.
pub async fn detail(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    id: ListId,
    now: i64,
) -> Result<(ListRow, cart::CartView), AppError> {
    let list = get(state, actor, id).await?;
    let lines = repo::lines(&state.pool, actor.company_id(), id).await?;
    let offer = Offer::load(state, actor, now).await?;
    Ok((list, cart::price_lines(&offer, 0, &lines, locale)))
}

/// What a new list starts with.
pub enum Source {
    Empty,
    Cart,
    Order(crate::domain::order::OrderNumber),
}

/// Creates a list from its source's lines (see `create`).
pub async fn create_from(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    name: &str,
    shared: bool,
    source: Source,
    now: i64,
) -> Result<(ListId, Vec<(EnteredRow, RowProblem)>), AppError> {
    let rows: Vec<EnteredRow> = match source {
        Source::Empty => vec![],
        Source::Cart => cart::view(state, actor, locale, now)
            .await?
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| EnteredRow { row: i + 1, sku: l.sku, quantity: l.quantity.to_string() })
            .collect(),
        Source::Order(number) => super::orders::detail(state, actor, number)
            .await?
            .lines
            .into_iter()
            .map(|l| EnteredRow { row: l.line_no as usize, sku: l.sku, quantity: l.quantity.to_string() })
            .collect(),
    };
    create(state, actor, locale, name, shared, &rows, now).await
}

pub async fn set_shared(state: &AppState, actor: &Actor, id: ListId, shared: bool) -> Result<(), AppError> {
    own(state, actor, id).await?;
    Ok(repo::set_shared(&state.pool, actor.company_id(), id, shared).await?)
}

pub async fn delete(state: &AppState, actor: &Actor, id: ListId) -> Result<(), AppError> {
    own(state, actor, id).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    repo::delete(&mut tx, actor.company_id(), id).await?;
    tx.commit().await?;
    Ok(())
}

/// The whole list into the cart in one action, at today's prices and rules.
pub async fn to_cart(state: &AppState, actor: &Actor, locale: Locale, id: ListId, now: i64) -> Result<Added, AppError> {
    let lines = lines(state, actor, id).await?;
    let catalog = state.read.catalog(&state.pool, actor.seen).await?;
    let rows: Vec<EnteredRow> = lines
        .iter()
        .enumerate()
        .map(|(i, (variant, quantity))| EnteredRow {
            row: i + 1,
            sku: catalog
                .product_of_variant(*variant)
                .and_then(|p| p.variants.iter().find(|v| v.id == *variant).map(|v| v.sku.clone()))
                .unwrap_or_default(),
            quantity: quantity.to_string(),
        })
        .collect();
    cart::add(state, actor, locale, &rows, now).await
}
