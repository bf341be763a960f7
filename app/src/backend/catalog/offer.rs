//! The one offer check: may this member order this SKU at this quantity here, at what price, and
//! if not, why (`RowProblem`). Every way of ordering goes through it: cart add, quantity change
//! and view, shopping lists, reorder, quick order, paste, CSV (and quotes next). Nothing else
//! decides visibility, quote-only, the price or the quantity rule, so the same input gets the
//! same answer (and, through `components/problems.rs`, the same sentence) on every page.
//!
//! The decision is made in one order, the order a buyer would fix it: the SKU, whether the
//! member's catalogs hold it, quote-only, priced, the typed quantity, then the quantity rule
//! and a line total that fits.

use super::store::{Product, Snapshot, Variant};
use super::{pricing, stock_level, Pricing, Stock};
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::domain::money::{Currency, Money};
use crate::domain::order_entry::{
    normalize_sku, parse_quantity, EnteredRow, QuantityInputProblem, RowProblem, MAX_QUANTITY,
};
use crate::domain::pricing::{QuantityRule, ResolvedPrice, Tier};
use crate::error::AppError;
use crate::i18n::Locale;
use std::sync::Arc;

/// What one member may order, in this request's catalog snapshot, at their prices now.
pub struct Offer {
    pricing: Pricing,
    catalogs: Vec<i64>,
}

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
    /// The rule the quantity was checked against (see `plus`).
    rule: QuantityRule,
}

impl Accepted {
    /// The quantity when this row is added to `already` units of the same variant (a cart that
    /// holds some): the sum is checked against the same rule and the same ceiling.
    pub fn plus(&self, already: i64) -> Result<i64, RowProblem> {
        let sum = already.saturating_add(self.quantity);
        self.rule.check(sum).map_err(RowProblem::Rule)?;
        if sum > MAX_QUANTITY {
            return Err(RowProblem::Quantity(QuantityInputProblem::TooLarge));
        }
        Ok(sum)
    }
}

/// An entered row and what the offer check said of it.
#[derive(Clone, Debug)]
pub struct CheckedRow {
    pub entered: EnteredRow,
    pub outcome: Result<Accepted, RowProblem>,
}

/// A line already saved (a cart or list line: a variant and a quantity), priced for the member
/// now, with what it shows even when it cannot be ordered as it is.
#[derive(Clone, Debug)]
pub struct PricedLine {
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

/// What became of a quantity typed for a saved line.
pub enum Requantified {
    /// The line's variant and the new quantity, which the offer accepts.
    Accepted(i64, i64),
    /// No variant has this SKU any more: the line cannot be there.
    Gone,
    /// The variant the SKU names, and why the quantity is refused.
    Refused(i64, RowProblem),
}

impl Offer {
    pub async fn load(state: &AppState, actor: &Actor, now: i64) -> Result<Offer, AppError> {
        let pricing = pricing(state, actor, now).await?;
        let catalogs = pricing.catalog().visible_catalogs(actor.company_id(), actor.location_id);
        Ok(Offer { pricing, catalogs })
    }

    pub fn snapshot(&self) -> &Arc<Snapshot> {
        self.pricing.catalog()
    }

    /// The catalogs the member sees (for listing products, not for deciding an order line).
    pub fn catalogs(&self) -> &[i64] {
        &self.catalogs
    }

    pub fn currency(&self) -> Currency {
        self.pricing.currency
    }

    /// The price a listing shows for a variant: `None` for quote-only and unpriced ones.
    pub fn listed_price(&self, variant: &Variant) -> Option<ResolvedPrice> {
        self.pricing.price(variant)
    }

    /// Whether the member may order this variant at all, and at which prices.
    fn terms(&self, product: &Product, variant: &Variant) -> Result<ResolvedPrice, RowProblem> {
        if !product.visible_in(&self.catalogs) {
            return Err(RowProblem::NotInCatalog);
        }
        if variant.quote_only {
            return Err(RowProblem::QuoteOnly);
        }
        self.pricing.price(variant).ok_or(RowProblem::NoPrice)
    }

    /// The quantity rule, then a unit price and a line total that fit in an amount.
    fn at_quantity(price: &ResolvedPrice, quantity: i64) -> Result<(Money, Money), RowProblem> {
        price.rule.check(quantity).map_err(RowProblem::Rule)?;
        let unit = price.unit_price(quantity).ok_or(RowProblem::NoPrice)?;
        let total = price.line_total(quantity).ok_or(RowProblem::Quantity(QuantityInputProblem::TooLarge))?;
        Ok((unit, total))
    }

    fn by_sku(&self, raw: &str) -> Result<(Arc<Product>, usize), RowProblem> {
        let sku = normalize_sku(raw).map_err(RowProblem::Sku)?;
        self.snapshot().variant_by_sku(&sku).ok_or(RowProblem::UnknownSku)
    }

    /// One entered row (SKU and quantity as typed, pasted or read from a file).
    pub fn check(&self, entered: &EnteredRow, locale: Locale) -> Result<Accepted, RowProblem> {
        let (product, at) = self.by_sku(&entered.sku)?;
        let variant = &product.variants[at];
        let price = self.terms(&product, variant)?;
        let quantity = parse_quantity(&entered.quantity).map_err(RowProblem::Quantity)?;
        let (unit_price, line_total) = Self::at_quantity(&price, quantity)?;
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

    /// Every variant the member may order (visible, not quote-only, priced) with its price.
    pub fn orderable(&self) -> impl Iterator<Item = (&Arc<Product>, &Variant, ResolvedPrice)> + '_ {
        self.snapshot()
            .products()
            .flat_map(move |p| p.variants.iter().filter_map(move |v| Some((p, v, self.terms(p, v).ok()?))))
    }

    pub fn check_rows(&self, rows: &[EnteredRow], locale: Locale) -> Vec<CheckedRow> {
        rows.iter().map(|r| CheckedRow { entered: r.clone(), outcome: self.check(r, locale) }).collect()
    }

    /// A new quantity typed for a saved line (identified by its SKU).
    pub fn requantify(&self, sku: &str, quantity: &str) -> Requantified {
        let Ok((product, at)) = self.by_sku(sku) else { return Requantified::Gone };
        let variant = &product.variants[at];
        let decided = self.terms(&product, variant).and_then(|price| {
            let quantity = parse_quantity(quantity).map_err(RowProblem::Quantity)?;
            Self::at_quantity(&price, quantity).map(|_| quantity)
        });
        match decided {
            Ok(quantity) => Requantified::Accepted(variant.id, quantity),
            Err(problem) => Requantified::Refused(variant.id, problem),
        }
    }

    /// A saved line priced now. A line may outlive its place in the member's catalogs: it is
    /// then shown with its reason (and without a price), never hidden.
    pub fn line(&self, variant_id: i64, quantity: i64, locale: Locale) -> PricedLine {
        let found = self
            .snapshot()
            .product_of_variant(variant_id)
            .and_then(|p| p.variants.iter().position(|v| v.id == variant_id).map(|at| (p, at)));
        let Some((product, at)) = found else {
            return PricedLine {
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
        let (price, problem) = match self.terms(&product, v) {
            Ok(price) => {
                let problem = Self::at_quantity(&price, quantity).err();
                (Some(price), problem)
            }
            Err(problem) => (None, Some(problem)),
        };
        PricedLine {
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
}
