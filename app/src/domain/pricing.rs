//! Price resolution: which price list applies, the unit price at a quantity (volume tiers),
//! percentage lists derived from a base list (half-even rounding in minor units), validity
//! dates, priorities, and quantity rules. Pure: the backend loads rows, this decides.

use super::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// One volume break: from `min_quantity` units on, each unit costs `unit_minor` (minor units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub min_quantity: i64,
    pub unit_minor: i64,
}

/// Minimum, maximum and step a quantity must respect (per variant and price list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantityRule {
    pub min: i64,
    pub max: Option<i64>,
    pub increment: i64,
}

impl Default for QuantityRule {
    fn default() -> Self {
        QuantityRule { min: 1, max: None, increment: 1 }
    }
}

/// Why a quantity is not allowed; each maps to a translated message that says what to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuantityProblem {
    NotPositive,
    BelowMinimum { min: i64 },
    AboveMaximum { max: i64 },
    NotMultiple { increment: i64 },
}

impl QuantityRule {
    /// A rule from stored values, repaired to something usable: min and increment at least 1,
    /// max never below min.
    pub fn new(min: i64, max: Option<i64>, increment: i64) -> QuantityRule {
        let min = min.max(1);
        let increment = increment.max(1);
        QuantityRule { min, max: max.map(|m| m.max(min)), increment }
    }

    pub fn check(&self, quantity: i64) -> Result<(), QuantityProblem> {
        if quantity <= 0 {
            return Err(QuantityProblem::NotPositive);
        }
        if quantity < self.min {
            return Err(QuantityProblem::BelowMinimum { min: self.min });
        }
        if let Some(max) = self.max {
            if quantity > max {
                return Err(QuantityProblem::AboveMaximum { max });
            }
        }
        // Steps count from the minimum: min 10, increment 5 allows 10, 15, 20…
        if (quantity - self.min) % self.increment != 0 {
            return Err(QuantityProblem::NotMultiple { increment: self.increment });
        }
        Ok(())
    }
}

/// How a price list gets its prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Its own price rows.
    Fixed,
    /// The base list's rows adjusted by `adjustment_bp` basis points (−1000 = 10 % off). When
    /// the currencies differ, the percentage carries the agreed exchange rate.
    Percent { base: i64, adjustment_bp: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceList {
    pub id: i64,
    pub currency: Currency,
    pub kind: ListKind,
    /// Unix seconds; `None` = open-ended.
    pub valid_from: Option<i64>,
    pub valid_to: Option<i64>,
    /// Higher wins.
    pub priority: i64,
    /// Assigned to the member's location (beats a company-wide list of equal priority).
    pub location_specific: bool,
}

impl PriceList {
    pub fn valid_at(&self, now: i64) -> bool {
        self.valid_from.is_none_or(|from| from <= now) && self.valid_to.is_none_or(|to| now < to)
    }
}

/// Orders the lists assigned to a company/location for use at `now`: only valid ones in the
/// company's currency, highest priority first, location-specific before company-wide, then by id
/// (so equal settings resolve the same way every time).
pub fn applicable_lists(assigned: &[PriceList], currency: Currency, now: i64) -> Vec<PriceList> {
    let mut lists: Vec<PriceList> =
        assigned.iter().copied().filter(|l| l.currency == currency && l.valid_at(now)).collect();
    lists.sort_by(|a, b| {
        b.priority.cmp(&a.priority).then(b.location_specific.cmp(&a.location_specific)).then(a.id.cmp(&b.id))
    });
    lists
}

/// `minor` scaled by (10000 + bp) / 10000 and by 10^(to − from) digits, rounded half to even.
/// `None` on overflow or a negative factor.
pub fn adjust_half_even(minor: i64, adjustment_bp: i64, from_digits: u32, to_digits: u32) -> Option<i64> {
    let factor = 10_000i128 + adjustment_bp as i128;
    if factor < 0 {
        return None;
    }
    let mut numerator = (minor as i128).checked_mul(factor)?;
    let mut denominator: i128 = 10_000;
    if to_digits >= from_digits {
        numerator = numerator.checked_mul(10i128.checked_pow(to_digits - from_digits)?)?;
    } else {
        denominator = denominator.checked_mul(10i128.checked_pow(from_digits - to_digits)?)?;
    }
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    let twice = remainder * 2;
    let rounded =
        if twice > denominator || (twice == denominator && quotient % 2 != 0) { quotient + 1 } else { quotient };
    i64::try_from(rounded).ok()
}

/// The unit price for `quantity`: the tier with the highest `min_quantity` not above it.
/// Below the first tier the first tier applies (a rule's minimum is checked separately).
pub fn unit_price_at(tiers: &[Tier], quantity: i64) -> Option<i64> {
    tiers
        .iter()
        .filter(|t| t.min_quantity <= quantity)
        .max_by_key(|t| t.min_quantity)
        .or_else(|| tiers.iter().min_by_key(|t| t.min_quantity))
        .map(|t| t.unit_minor)
}

/// A variant's price as resolved for a member: the list it came from, its tiers in the list's
/// currency, and the quantity rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedPrice {
    pub list_id: i64,
    pub currency: Currency,
    pub tiers: Vec<Tier>,
    pub rule: QuantityRule,
}

impl ResolvedPrice {
    pub fn unit_price(&self, quantity: i64) -> Option<Money> {
        unit_price_at(&self.tiers, quantity).map(|m| Money::from_minor(m, self.currency))
    }

    pub fn line_total(&self, quantity: i64) -> Option<Money> {
        self.unit_price(quantity)?.checked_mul(quantity).ok()
    }
}

/// Where one variant's tiers and rules come from (the in-memory catalog on the server).
pub trait VariantPrices {
    /// The variant's tiers in `list`, ascending by `min_quantity`; `None` if the list has none.
    fn tiers(&self, list: i64) -> Option<&[Tier]>;
    fn rule(&self, list: i64) -> Option<QuantityRule>;
}

/// The price of one variant: the first applicable list (in the order `applicable_lists` gives)
/// that prices it. A percentage list prices a variant when its base list does. `None` = no list
/// prices it (the view shows it as unavailable, never as free).
pub fn resolve_variant(
    lists: &[PriceList],
    list_currency: impl Fn(i64) -> Option<Currency>,
    prices: &impl VariantPrices,
) -> Option<ResolvedPrice> {
    for list in lists {
        match list.kind {
            ListKind::Fixed => {
                if let Some(tiers) = prices.tiers(list.id).filter(|t| !t.is_empty()) {
                    let rule = prices.rule(list.id).unwrap_or_default();
                    return Some(ResolvedPrice {
                        list_id: list.id,
                        currency: list.currency,
                        tiers: tiers.to_vec(),
                        rule,
                    });
                }
            }
            ListKind::Percent { base, adjustment_bp } => {
                let Some(base_tiers) = prices.tiers(base).filter(|t| !t.is_empty()) else { continue };
                let Some(base_currency) = list_currency(base) else { continue };
                let tiers: Option<Vec<Tier>> = base_tiers
                    .iter()
                    .map(|t| {
                        adjust_half_even(
                            t.unit_minor,
                            adjustment_bp,
                            base_currency.minor_digits(),
                            list.currency.minor_digits(),
                        )
                        .map(|unit_minor| Tier { min_quantity: t.min_quantity, unit_minor })
                    })
                    .collect();
                let Some(tiers) = tiers else { continue };
                let rule = prices.rule(list.id).or_else(|| prices.rule(base)).unwrap_or_default();
                return Some(ResolvedPrice { list_id: list.id, currency: list.currency, tiers, rule });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The fixture the resolution tests price against: tiers and rules per (list, variant), and
    /// the currency of every list (including bases not assigned to the company themselves).
    #[derive(Default, Debug)]
    struct PriceRows {
        tiers: HashMap<(i64, i64), Vec<Tier>>,
        rules: HashMap<(i64, i64), QuantityRule>,
        list_currency: HashMap<i64, Currency>,
    }

    impl PriceRows {
        fn add_tier(&mut self, list: i64, variant: i64, tier: Tier) {
            let tiers = self.tiers.entry((list, variant)).or_default();
            tiers.push(tier);
            tiers.sort_by_key(|t| t.min_quantity);
        }
    }

    struct RowsOf<'a> {
        rows: &'a PriceRows,
        variant: i64,
    }

    impl VariantPrices for RowsOf<'_> {
        fn tiers(&self, list: i64) -> Option<&[Tier]> {
            self.rows.tiers.get(&(list, self.variant)).map(|t| t.as_slice())
        }
        fn rule(&self, list: i64) -> Option<QuantityRule> {
            self.rows.rules.get(&(list, self.variant)).copied()
        }
    }

    /// `resolve_variant` over rows loaded for a few variants.
    fn resolve(lists: &[PriceList], rows: &PriceRows, variant: i64) -> Option<ResolvedPrice> {
        resolve_variant(lists, |id| rows.list_currency.get(&id).copied(), &RowsOf { rows, variant })
    }

    fn list(id: i64, currency: Currency, priority: i64) -> PriceList {
        PriceList {
            id,
            currency,
            kind: ListKind::Fixed,
            valid_from: None,
            valid_to: None,
            priority,
            location_specific: false,
        }
    }

    #[test]
    fn half_even_rounding_in_minor_units() {
        // 10 % off 1.25 = 1.125 → 1.12 (2 is even); 10 % off 1.35 = 1.215 → 1.22.
        assert_eq!(adjust_half_even(125, -1000, 2, 2), Some(112));
        assert_eq!(adjust_half_even(135, -1000, 2, 2), Some(122));
        // 50 % of 5 = 2.5 → 2; of 7 = 3.5 → 4; negatives mirror.
        assert_eq!(adjust_half_even(5, -5000, 2, 2), Some(2));
        assert_eq!(adjust_half_even(7, -5000, 2, 2), Some(4));
        assert_eq!(adjust_half_even(-7, -5000, 2, 2), Some(-4));
        // Currency exponents: USD cents → JPY yen at 150 × rate expressed in bp (x150 = +1,490,000 bp).
        assert_eq!(adjust_half_even(1_050, 1_490_000, 2, 0), Some(1_575));
        // USD → KWD (3 digits) at par: 1.05 → 1.050.
        assert_eq!(adjust_half_even(105, 0, 2, 3), Some(1_050));
        assert_eq!(adjust_half_even(100, -10_001, 2, 2), None);
        assert_eq!(adjust_half_even(i64::MAX, 10_000, 2, 2), None);
    }

    #[test]
    fn tiers_pick_the_highest_break_not_above_the_quantity() {
        let tiers = [
            Tier { min_quantity: 1, unit_minor: 500 },
            Tier { min_quantity: 10, unit_minor: 450 },
            Tier { min_quantity: 100, unit_minor: 400 },
        ];
        assert_eq!(unit_price_at(&tiers, 1), Some(500));
        assert_eq!(unit_price_at(&tiers, 9), Some(500));
        assert_eq!(unit_price_at(&tiers, 10), Some(450));
        assert_eq!(unit_price_at(&tiers, 99), Some(450));
        assert_eq!(unit_price_at(&tiers, 1000), Some(400));
        assert_eq!(unit_price_at(&[], 5), None);
        let from_five = [Tier { min_quantity: 5, unit_minor: 90 }];
        assert_eq!(unit_price_at(&from_five, 1), Some(90));
    }

    #[test]
    fn quantity_rules_say_what_to_fix() {
        let rule = QuantityRule::new(10, Some(100), 5);
        assert_eq!(rule.check(10), Ok(()));
        assert_eq!(rule.check(15), Ok(()));
        assert_eq!(rule.check(0), Err(QuantityProblem::NotPositive));
        assert_eq!(rule.check(-5), Err(QuantityProblem::NotPositive));
        assert_eq!(rule.check(5), Err(QuantityProblem::BelowMinimum { min: 10 }));
        assert_eq!(rule.check(12), Err(QuantityProblem::NotMultiple { increment: 5 }));
        assert_eq!(rule.check(105), Err(QuantityProblem::AboveMaximum { max: 100 }));
        assert_eq!(QuantityRule::new(0, Some(-3), 0), QuantityRule { min: 1, max: Some(1), increment: 1 });
    }

    #[test]
    fn priorities_dates_and_currency_choose_the_list() {
        let now = 1_000;
        let mut expired = list(1, Currency::Usd, 100);
        expired.valid_to = Some(1_000);
        let mut future = list(2, Currency::Usd, 100);
        future.valid_from = Some(1_001);
        let eur = list(3, Currency::Eur, 100);
        let low = list(4, Currency::Usd, 1);
        let mut located = list(5, Currency::Usd, 1);
        located.location_specific = true;
        let ordered = applicable_lists(&[expired, future, eur, low, located], Currency::Usd, now);
        assert_eq!(ordered.iter().map(|l| l.id).collect::<Vec<_>>(), vec![5, 4]);
    }

    #[test]
    fn the_first_list_that_prices_a_variant_wins_and_percent_lists_derive_from_their_base() {
        let base = list(1, Currency::Usd, 0);
        let contract = list(2, Currency::Usd, 10);
        let mut eur = list(3, Currency::Eur, 0);
        eur.kind = ListKind::Percent { base: 1, adjustment_bp: -800 };
        let mut rows = PriceRows::default();
        rows.list_currency.extend([(1, Currency::Usd), (2, Currency::Usd), (3, Currency::Eur)]);
        rows.add_tier(1, 7, Tier { min_quantity: 10, unit_minor: 900 });
        rows.add_tier(1, 7, Tier { min_quantity: 1, unit_minor: 1_000 });
        rows.add_tier(2, 8, Tier { min_quantity: 1, unit_minor: 555 });
        rows.rules.insert((1, 7), QuantityRule::new(5, None, 5));

        let usd = applicable_lists(&[base, contract], Currency::Usd, 0);
        assert_eq!(resolve(&usd, &rows, 8).unwrap().list_id, 2);
        let v7 = resolve(&usd, &rows, 7).unwrap();
        assert_eq!(v7.list_id, 1);
        assert_eq!(v7.unit_price(12), Some(Money::from_minor(900, Currency::Usd)));

        let derived = resolve(&[eur], &rows, 7).unwrap();
        assert_eq!(derived.currency, Currency::Eur);
        assert_eq!(
            derived.tiers,
            vec![Tier { min_quantity: 1, unit_minor: 920 }, Tier { min_quantity: 10, unit_minor: 828 }]
        );
        assert_eq!(derived.rule, QuantityRule::new(5, None, 5), "a derived list inherits the base rule");
        assert_eq!(resolve(&usd, &rows, 99), None);
    }

    proptest! {
        #[test]
        fn zero_adjustment_is_identity(minor in -1_000_000_000_000i64..1_000_000_000_000) {
            prop_assert_eq!(adjust_half_even(minor, 0, 2, 2), Some(minor));
        }

        #[test]
        fn rounding_error_is_at_most_half_a_minor_unit(minor in 0i64..10_000_000_000, bp in -9_999i64..50_000) {
            let got = adjust_half_even(minor, bp, 2, 2).unwrap() as i128;
            let exact_times_10000 = minor as i128 * (10_000 + bp as i128);
            prop_assert!((got * 10_000 - exact_times_10000).abs() <= 5_000);
        }

        #[test]
        fn tier_price_never_increases_with_quantity_when_tiers_decrease(q1 in 1i64..10_000, q2 in 1i64..10_000) {
            let tiers = [Tier { min_quantity: 1, unit_minor: 500 }, Tier { min_quantity: 10, unit_minor: 450 }, Tier { min_quantity: 100, unit_minor: 400 }];
            let (a, b) = (q1.min(q2), q1.max(q2));
            prop_assert!(unit_price_at(&tiers, b).unwrap() <= unit_price_at(&tiers, a).unwrap());
        }

        #[test]
        fn allowed_quantities_are_exactly_the_steps(min in 1i64..50, inc in 1i64..20, q in -10i64..500) {
            let rule = QuantityRule::new(min, None, inc);
            prop_assert_eq!(rule.check(q).is_ok(), q >= min && (q - min) % inc == 0);
        }
    }
}
