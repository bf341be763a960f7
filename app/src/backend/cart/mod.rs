//! The cart of one member at one location, kept in the database, priced from the read model on
//! every view (so tier prices follow quantities and stock is current), and the checks every way
//! of ordering by SKU shares: quick order, paste, CSV, reorder and lists all go through
//! `check_rows` and `add`, so they say the same thing about the same row.

pub mod repo;

use super::catalog::store::{Product, Snapshot};
use super::catalog::{pricing, stock_level, Pricing, Stock};
use super::guard::Actor;
use super::state::AppState;
use crate::domain::money::{Currency, Money};
use crate::domain::order_entry::{normalize_sku, parse_quantity, EnteredRow, QuantityInputProblem, RowProblem};
use crate::domain::pricing::{QuantityRule, Tier};
use crate::error::AppError;
use crate::i18n::Locale;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A row that passed every check: what goes to the cart, and its price at that quantity.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub line_total: Money,
    pub stock: Stock,
    /// The rule the quantity was checked against (a sum with the cart is checked against it too).
    pub rule: QuantityRule,
}

#[derive(Clone, Debug)]
pub struct CheckedRow {
    pub entered: EnteredRow,
    pub outcome: Result<Accepted, RowProblem>,
}

/// What the member may buy, in this request's snapshot.
pub struct Buyer {
    pub pricing: Pricing,
    pub catalogs: Vec<i64>,
}

impl Buyer {
    pub async fn load(state: &AppState, actor: &Actor, now: i64) -> Result<Buyer, AppError> {
        let pricing = pricing(state, actor, now).await?;
        let catalogs = pricing.catalog().visible_catalogs(actor.company_id().0, actor.location_id.map(|l| l.0));
        Ok(Buyer { pricing, catalogs })
    }

    fn snapshot(&self) -> &Arc<Snapshot> {
        self.pricing.catalog()
    }

    /// One row checked in the order a buyer would fix it: the SKU, whether we sell it to them,
    /// the quantity as a number, then the quantity rule.
    pub fn check(&self, entered: &EnteredRow, locale: Locale) -> Result<Accepted, RowProblem> {
        let sku = normalize_sku(&entered.sku).map_err(RowProblem::Sku)?;
        let (product, at) = self.snapshot().variant_by_sku(&sku).ok_or(RowProblem::UnknownSku)?;
        if !product.visible_in(&self.catalogs) {
            return Err(RowProblem::NotInCatalog);
        }
        let variant = &product.variants[at];
        if variant.quote_only {
            return Err(RowProblem::QuoteOnly);
        }
        let price = self.pricing.price(variant).ok_or(RowProblem::NoPrice)?;
        let quantity = parse_quantity(&entered.quantity).map_err(RowProblem::Quantity)?;
        price.rule.check(quantity).map_err(RowProblem::Rule)?;
        let unit_price = price.unit_price(quantity).ok_or(RowProblem::NoPrice)?;
        let line_total = price
            .line_total(quantity)
            .ok_or(RowProblem::Quantity(crate::domain::order_entry::QuantityInputProblem::TooLarge))?;
        Ok(Accepted {
            variant_id: variant.id,
            sku: variant.sku.clone(),
            name: product.name(locale).to_string(),
            quantity,
            unit_price,
            line_total,
            stock: stock_level(variant.stock, variant.backorder),
            rule: price.rule,
        })
    }

    pub fn check_rows(&self, rows: &[EnteredRow], locale: Locale) -> Vec<CheckedRow> {
        rows.iter().map(|r| CheckedRow { entered: r.clone(), outcome: self.check(r, locale) }).collect()
    }

    /// The variant and its product, visible or not (a cart line may outlive its place in the
    /// member's catalogs; it is then shown with a reason, not hidden).
    fn variant(&self, id: i64) -> Option<(Arc<Product>, usize)> {
        let product = self.snapshot().product_of_variant(id)?;
        let at = product.variants.iter().position(|v| v.id == id)?;
        Some((product, at))
    }
}

fn location_key(actor: &Actor) -> i64 {
    actor.location_id.map(|l| l.0).unwrap_or(0)
}

#[derive(Clone, Debug)]
pub struct CartLine {
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub slug: String,
    pub unit: String,
    pub pack_size: i64,
    pub quantity: i64,
    pub rule: QuantityRule,
    pub tiers: Vec<Tier>,
    pub unit_price: Option<Money>,
    pub line_total: Option<Money>,
    /// Why this line cannot be ordered as it is; `None` = it can.
    pub problem: Option<RowProblem>,
    pub stock: Stock,
    /// Units on hand in all warehouses.
    pub available: i64,
    /// The next volume break above the quantity: (from quantity, unit price).
    pub next_tier: Option<(i64, Money)>,
}

#[derive(Clone, Debug)]
pub struct CartView {
    pub version: i64,
    pub currency: Currency,
    pub lines: Vec<CartLine>,
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
    let buyer = Buyer::load(state, actor, now).await?;
    let (version, lines) =
        match repo::find(&state.pool, actor.company_id(), actor.member_id.0, location_key(actor)).await? {
            Some((id, version)) => (version, repo::lines(&state.pool, id).await?),
            None => (0, vec![]),
        };
    Ok(price_lines(&buyer, version, &lines, locale))
}

pub fn price_lines(buyer: &Buyer, version: i64, lines: &[(i64, i64)], locale: Locale) -> CartView {
    let currency = buyer.pricing.currency;
    let mut total = Money::zero(currency);
    let mut hasher = Fnv64::default();
    version.hash(&mut hasher);
    let lines: Vec<CartLine> = lines
        .iter()
        .map(|&(variant_id, quantity)| {
            let mut line = price_line(buyer, variant_id, quantity, locale);
            if line.problem.is_none() {
                match line.line_total.map(|t| total.checked_add(t)) {
                    Some(Ok(sum)) => total = sum,
                    // Too large to price (or to add up): refused, never ordered at a wrong total.
                    _ => line.problem = Some(RowProblem::Quantity(QuantityInputProblem::TooLarge)),
                }
            }
            (variant_id, quantity, line.unit_price.map(|m| m.minor()), line.problem, line.stock).hash(&mut hasher);
            line
        })
        .collect();
    CartView { version, currency, lines, total, fingerprint: format!("{:016x}", hasher.finish()) }
}

fn price_line(buyer: &Buyer, variant_id: i64, quantity: i64, locale: Locale) -> CartLine {
    let Some((product, at)) = buyer.variant(variant_id) else {
        return CartLine {
            variant_id,
            sku: String::new(),
            name: String::new(),
            slug: String::new(),
            unit: String::new(),
            pack_size: 1,
            quantity,
            rule: QuantityRule::default(),
            tiers: vec![],
            unit_price: None,
            line_total: None,
            problem: Some(RowProblem::UnknownSku),
            stock: Stock::Out { backorder: None },
            available: 0,
            next_tier: None,
        };
    };
    let v = &product.variants[at];
    let price = if v.quote_only { None } else { buyer.pricing.price(v) };
    let problem = if !product.visible_in(&buyer.catalogs) {
        Some(RowProblem::NotInCatalog)
    } else if v.quote_only {
        Some(RowProblem::QuoteOnly)
    } else {
        match &price {
            None => Some(RowProblem::NoPrice),
            Some(p) => p.rule.check(quantity).err().map(RowProblem::Rule),
        }
    };
    let visible = problem != Some(RowProblem::NotInCatalog);
    let price = price.filter(|_| visible);
    CartLine {
        variant_id,
        sku: v.sku.clone(),
        name: product.name(locale).to_string(),
        slug: product.slug.clone(),
        unit: v.unit.clone(),
        pack_size: v.pack_size,
        quantity,
        rule: price.as_ref().map(|p| p.rule).unwrap_or_default(),
        tiers: price.as_ref().map(|p| p.tiers.clone()).unwrap_or_default(),
        unit_price: price.as_ref().and_then(|p| p.unit_price(quantity)),
        line_total: price.as_ref().and_then(|p| p.line_total(quantity)),
        next_tier: price.as_ref().and_then(|p| {
            let t = p.tiers.iter().find(|t| t.min_quantity > quantity)?;
            Some((t.min_quantity, Money::from_minor(t.unit_minor, p.currency)))
        }),
        problem,
        stock: stock_level(v.stock, v.backorder),
        available: v.stock.max(0),
    }
}

/// Rows checked against what the member may buy now, without touching the cart (quick order).
pub async fn check(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    rows: &[EnteredRow],
    now: i64,
) -> Result<Vec<CheckedRow>, AppError> {
    Ok(Buyer::load(state, actor, now).await?.check_rows(rows, locale))
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
    let buyer = Buyer::load(state, actor, now).await?;
    let mut checked = buyer.check_rows(rows, locale);
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id.0, location_key(actor), now).await?;
    let mut wanted: Vec<i64> = checked.iter().filter_map(|r| r.outcome.as_ref().ok().map(|a| a.variant_id)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut quantities: HashMap<i64, i64> = if wanted.len() <= 100 {
        repo::quantities(&mut tx, cart, &wanted).await?.into_iter().collect()
    } else {
        repo::lines(&mut *tx, cart).await?.into_iter().collect()
    };
    let mut added = 0;
    for row in checked.iter_mut() {
        let Ok(accepted) = &row.outcome else { continue };
        let current = quantities.get(&accepted.variant_id).copied().unwrap_or(0);
        let sum = current.saturating_add(accepted.quantity);
        if let Err(problem) = accepted.rule.check(sum) {
            row.outcome = Err(RowProblem::Rule(problem));
            continue;
        }
        if sum > crate::domain::order_entry::MAX_QUANTITY {
            row.outcome = Err(RowProblem::Quantity(crate::domain::order_entry::QuantityInputProblem::TooLarge));
            continue;
        }
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
    let buyer = Buyer::load(state, actor, now).await?;
    let Ok(sku) = normalize_sku(sku) else { return Ok(LineChange::Gone) };
    // A product outside the member's catalogs answers like an unknown SKU, before its quantity
    // rule could say it exists (tests/api/leaks.rs).
    let visible = |(product, _): &(Arc<Product>, usize)| product.visible_in(&buyer.catalogs);
    let Some((product, at)) = buyer.snapshot().variant_by_sku(&sku).filter(visible) else {
        return Ok(LineChange::Gone);
    };
    let quantity = match parse_quantity(quantity) {
        Ok(q) => q,
        Err(p) => return Ok(LineChange::Refused(RowProblem::Quantity(p))),
    };
    if let Some(price) = buyer.pricing.price(&product.variants[at]) {
        if let Err(p) = price.rule.check(quantity) {
            return Ok(LineChange::Refused(RowProblem::Rule(p)));
        }
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id.0, location_key(actor), now).await?;
    let found = repo::update_line(&mut tx, cart, product.variants[at].id, quantity).await?;
    tx.commit().await?;
    Ok(if found { LineChange::Done } else { LineChange::Gone })
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
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id.0, location_key(actor), now).await?;
    repo::remove_line(&mut tx, cart, product.variants[at].id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn clear(state: &AppState, actor: &Actor, now: i64) -> Result<(), AppError> {
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let (cart, _) =
        repo::lock_for_change(&mut tx, actor.company_id(), actor.member_id.0, location_key(actor), now).await?;
    repo::clear(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(())
}

/// The cart id and version as the member's cart is now (for checkout).
pub async fn current(state: &AppState, actor: &Actor) -> Result<Option<(i64, i64)>, AppError> {
    Ok(repo::find(&state.pool, actor.company_id(), actor.member_id.0, location_key(actor)).await?)
}
