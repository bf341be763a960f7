//! The cart of one member at one location, kept in the database and priced by the offer check
//! (`catalog::offer`) on every view, so tier prices follow quantities and stock is current.
//! Quick order, paste, CSV, reorder and lists add through `add`; every row and every line is
//! decided by the same `Offer`, so they say the same thing about the same input.

pub mod repo;

pub use repo::CompanyCart;

use super::catalog::offer::{CheckedRow, Offer, PricedLine, Requantified};
use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::money::{Currency, Money};
use crate::domain::order_entry::{normalize_sku, EnteredRow, QuantityInputProblem, RowProblem};
use crate::error::AppError;
use crate::i18n::Locale;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

fn location_key(actor: &Actor) -> i64 {
    actor.location_id.map(|l| l.0).unwrap_or(0)
}

#[derive(Clone, Debug)]
pub struct CartView {
    pub version: i64,
    pub currency: Currency,
    pub lines: Vec<PricedLine>,
    /// Of the lines that can be ordered.
    pub total: Money,
    /// Changes when anything the buyer reviewed changes: a line, a quantity, a price, a stock
    /// level or a problem. Checkout sends it back; placing refuses a different one.
    pub fingerprint: String,
}

impl CartView {
    pub fn orderable(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.problem.is_none())
    }
}

/// FNV-1a: the fingerprint must be the same on every app server and across releases, which
/// std's `DefaultHasher` does not promise.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The member's cart as it is now, priced for them now.
pub async fn view(state: &AppState, actor: &Actor, locale: Locale, now: i64) -> Result<CartView, AppError> {
    let offer = Offer::load(state, actor, now).await?;
    let (version, lines) =
        match repo::find(&state.pool, actor.company_id(), actor.member_id, location_key(actor)).await? {
            Some((id, version)) => (version, repo::lines(&state.pool, id).await?),
            None => (0, vec![]),
        };
    Ok(price_lines(&offer, version, &lines, locale))
}

/// Saved lines (variant, quantity) priced by the offer check now, with their total and the
/// fingerprint of what the buyer sees.
pub fn price_lines(offer: &Offer, version: i64, lines: &[(i64, i64)], locale: Locale) -> CartView {
    let currency = offer.currency();
    let mut total = Money::zero(currency);
    let mut hasher = Fnv64::default();
    version.hash(&mut hasher);
    let lines: Vec<PricedLine> = lines
        .iter()
        .map(|&(variant_id, quantity)| {
            let mut line = offer.line(variant_id, quantity, locale);
            if line.problem.is_none() {
                match line.line_total.map(|t| total.checked_add(t)) {
                    Some(Ok(sum)) => total = sum,
                    // Too large to add up: refused, never ordered at a wrong total.
                    _ => line.problem = Some(RowProblem::Quantity(QuantityInputProblem::TooLarge)),
                }
            }
            (variant_id, quantity, line.unit_price.map(|m| m.minor()), line.problem, line.stock).hash(&mut hasher);
            line
        })
        .collect();
    CartView { version, currency, lines, total, fingerprint: format!("{:016x}", hasher.finish()) }
}

/// An accepted quote's lines (variant, quantity, offered unit price) as checkout shows and places
/// them: the offered price holds whatever the price list says today and a quote-only variant is
/// fine (the merchant priced it); the catalog is asked only for the SKU, name and stock now. A
/// variant gone from the catalog cannot be ordered.
pub fn price_quoted(offer: &Offer, version: i64, lines: &[(i64, i64, i64)], locale: Locale) -> CartView {
    let currency = offer.currency();
    let mut total = Money::zero(currency);
    let mut hasher = Fnv64::default();
    version.hash(&mut hasher);
    let lines: Vec<PricedLine> = lines
        .iter()
        .map(|&(variant_id, quantity, unit_minor)| {
            let mut line = offer.line(variant_id, quantity, locale);
            let unit = Money::from_minor(unit_minor, currency);
            line.unit_price = Some(unit);
            line.line_total = quantity.checked_mul(unit_minor).map(|t| Money::from_minor(t, currency));
            line.tiers = vec![];
            line.next_tier = None;
            line.problem = match line.problem {
                Some(RowProblem::UnknownSku) => Some(RowProblem::UnknownSku),
                _ if line.line_total.is_none() => Some(RowProblem::Quantity(QuantityInputProblem::TooLarge)),
                _ => None,
            };
            if line.problem.is_none() {
                match line.line_total.map(|t| total.checked_add(t)) {
                    Some(Ok(sum)) => total = sum,
                    _ => line.problem = Some(RowProblem::Quantity(QuantityInputProblem::TooLarge)),
                }
            }
            (variant_id, quantity, unit_minor, line.problem, line.stock).hash(&mut hasher);
            line
        })
        .collect();
    CartView { version, currency, lines, total, fingerprint: format!("{:016x}", hasher.finish()) }
}

/// In a transaction that made a quote of cart lines: those lines leave the cart (they are on
/// the quote now, and ordering them at list price too would order them twice).
pub async fn take_lines(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    variants: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    let (cart, _) = repo::lock_for_change(tx, actor.company_id(), actor.member_id, location_key(actor), now).await?;
    for variant in variants {
        repo::remove_line(tx, cart, *variant).await?;
    }
    Ok(())
}

/// Rows checked against what the member may buy now, without touching the cart (quick order).
pub async fn check(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    rows: &[EnteredRow],
    now: i64,
) -> Result<Vec<CheckedRow>, AppError> {
    Ok(Offer::load(state, actor, now).await?.check_rows(rows, locale))
}

/// The outcome of adding rows: each row checked (a row whose sum with what the cart already
/// holds breaks the quantity rule is refused with that reason), and how many lines changed.
pub struct Added {
    pub rows: Vec<CheckedRow>,
    pub added: usize,
    pub cart_lines: usize,
}

/// Adds every good row to the cart in one transaction; bad rows are reported, never dropped
/// silently, and never block the good ones. Rows for the same SKU add up.
pub async fn add(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    rows: &[EnteredRow],
    now: i64,
) -> Result<Added, AppError> {
    let offer = Offer::load(state, actor, now).await?;
    let mut checked = offer.check_rows(rows, locale);
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id, location_key(actor), now).await?;
    let mut wanted: Vec<i64> = checked.iter().filter_map(|r| r.outcome.as_ref().ok().map(|a| a.variant_id)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut quantities: HashMap<i64, i64> = if wanted.len() <= 100 {
        repo::quantities(&mut *tx, cart, &wanted).await?.into_iter().collect()
    } else {
        repo::lines(&mut *tx, cart).await?.into_iter().collect()
    };
    let mut added = 0;
    for row in checked.iter_mut() {
        let Ok(accepted) = &row.outcome else { continue };
        let sum = match accepted.plus(quantities.get(&accepted.variant_id).copied().unwrap_or(0)) {
            Ok(sum) => sum,
            Err(problem) => {
                row.outcome = Err(problem);
                continue;
            }
        };
        repo::set_line(&mut tx, cart, accepted.variant_id, sum).await?;
        quantities.insert(accepted.variant_id, sum);
        added += 1;
    }
    let cart_lines = repo::count(&mut tx, cart).await? as usize;
    tx.commit().await?;
    Ok(Added { rows: checked, added, cart_lines })
}

/// What became of a quantity change.
pub enum LineChange {
    Done,
    /// The line is no longer in the cart (removed in another tab or placed meanwhile).
    Gone,
    Refused(RowProblem),
}

/// Sets one line's quantity, checked against its rule.
pub async fn set_quantity(
    state: &AppState,
    actor: &Actor,
    sku: &str,
    quantity: &str,
    now: i64,
) -> Result<LineChange, AppError> {
    let offer = Offer::load(state, actor, now).await?;
    let (variant, quantity) = match offer.requantify(sku, quantity) {
        Requantified::Accepted(variant, quantity) => (variant, quantity),
        Requantified::Gone => return Ok(LineChange::Gone),
        // A SKU outside the member's catalogs that is not in their cart answers like an unknown
        // one (tests/api/leaks.rs); a line already in the cart that left the catalog says why.
        Requantified::Refused(variant, RowProblem::NotInCatalog) if !in_cart(state, actor, variant).await? => {
            return Ok(LineChange::Gone)
        }
        Requantified::Refused(_, problem) => return Ok(LineChange::Refused(problem)),
    };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id, location_key(actor), now).await?;
    let found = repo::update_line(&mut tx, cart, variant, quantity).await?;
    tx.commit().await?;
    Ok(if found { LineChange::Done } else { LineChange::Gone })
}

async fn in_cart(state: &AppState, actor: &Actor, variant: i64) -> Result<bool, AppError> {
    let Some((cart, _)) = repo::find(&state.pool, actor.company_id(), actor.member_id, location_key(actor)).await?
    else {
        return Ok(false);
    };
    Ok(!repo::quantities(&state.pool, cart, &[variant]).await?.is_empty())
}

/// Removes one line (by SKU); removing a line that is already gone is fine.
pub async fn remove(state: &AppState, actor: &Actor, sku: &str, now: i64) -> Result<(), AppError> {
    let catalog = state.read.catalog(&state.pool, actor.seen).await?;
    let Some((product, at)) = normalize_sku(sku).ok().and_then(|s| catalog.variant_by_sku(&s)) else {
        return Ok(());
    };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id, location_key(actor), now).await?;
    repo::remove_line(&mut tx, cart, product.variants[at].id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn clear(state: &AppState, actor: &Actor, now: i64) -> Result<(), AppError> {
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id, location_key(actor), now).await?;
    repo::clear(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(())
}

/// How many lines the member's cart here holds.
pub async fn line_count(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    Ok(repo::line_count(&state.pool, actor.company_id(), actor.member_id, location_key(actor)).await?)
}

/// The member's cart as it is now, for placing: its id, version and (variant, quantity) lines;
/// `None` when the member has no cart here.
pub async fn current(state: &AppState, actor: &Actor) -> Result<Option<(CompanyCart, i64, Vec<(i64, i64)>)>, AppError> {
    let Some((cart, version)) =
        repo::find(&state.pool, actor.company_id(), actor.member_id, location_key(actor)).await?
    else {
        return Ok(None);
    };
    Ok(Some((cart, version, repo::lines(&state.pool, cart).await?)))
}

/// In a placing transaction: takes the cart at the version the buyer reviewed (a compare-and-set,
/// which also takes the write lock on SQLite and the cart row's lock on PostgreSQL). False when
/// it changed or was placed meanwhile.
pub async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cart: CompanyCart,
    version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    repo::claim_version(tx, cart, version, now).await
}

/// In a placing transaction: the cart's lines became an order.
pub async fn end(tx: &mut sqlx::Transaction<'_, sqlx::Any>, cart: CompanyCart) -> Result<(), sqlx::Error> {
    repo::clear(tx, cart).await
}
