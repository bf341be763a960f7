//! Money: an integer amount of minor units plus an ISO 4217 currency. Never floats.
//!
//! Mixing currencies is an error, never a sum: `checked_add` returns `MoneyError::CurrencyMismatch`
//! and `Add` is deliberately not implemented, so `a + b` does not compile.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The currencies the portal prices in. Each knows its ISO code and its number of minor-unit
/// digits (ISO 4217 exponent): JPY, VND and KRW have none, KWD and BHD have three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    Usd,
    Eur,
    Gbp,
    Jpy,
    Cny,
    Twd,
    Vnd,
    Krw,
    Sar,
    Aed,
    Chf,
    Inr,
    Kwd,
    Bhd,
}

impl Currency {
    pub const ALL: [Currency; 14] = [
        Currency::Usd,
        Currency::Eur,
        Currency::Gbp,
        Currency::Jpy,
        Currency::Cny,
        Currency::Twd,
        Currency::Vnd,
        Currency::Krw,
        Currency::Sar,
        Currency::Aed,
        Currency::Chf,
        Currency::Inr,
        Currency::Kwd,
        Currency::Bhd,
    ];

    /// The ISO 4217 alphabetic code, e.g. "USD".
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Jpy => "JPY",
            Currency::Cny => "CNY",
            Currency::Twd => "TWD",
            Currency::Vnd => "VND",
            Currency::Krw => "KRW",
            Currency::Sar => "SAR",
            Currency::Aed => "AED",
            Currency::Chf => "CHF",
            Currency::Inr => "INR",
            Currency::Kwd => "KWD",
            Currency::Bhd => "BHD",
        }
    }

    /// Digits after the decimal point in the ISO 4217 minor unit (the exponent).
    /// TWD is 2 in ISO 4217 even though cash rounds to whole dollars.
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::Jpy | Currency::Vnd | Currency::Krw => 0,
            Currency::Kwd | Currency::Bhd => 3,
            _ => 2,
        }
    }

    /// Parses an ISO code, case-insensitively; unknown codes are an error, not a default.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        Currency::ALL.into_iter().find(|c| c.code() == upper).ok_or(MoneyError::UnknownCurrency)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoneyError {
    #[error("amounts in different currencies cannot be combined")]
    CurrencyMismatch,
    #[error("amount out of range")]
    Overflow,
    #[error("unknown currency")]
    UnknownCurrency,
}

/// An amount of money. The fields are private: the only ways to get one are `from_minor` and
/// arithmetic that checks currency and overflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// `minor` is in minor units of `currency` (cents for USD, yen for JPY, fils for KWD).
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// Unit price times a quantity (quantities are whole units).
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(quantity).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, currency: self.currency })
    }

    /// Sums amounts that must all be in `currency`; an empty list is zero.
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<Money, MoneyError> {
        items.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }

    /// A non-negative amount typed in major units: digits, optional `,` or space grouping and a
    /// `.` decimal part of at most the currency's minor digits ("25,000", "12.5"). `None` for
    /// anything else (text, a negative, too many decimals, out of range). No floating point.
    pub fn parse_decimal(raw: &str, currency: Currency) -> Option<Money> {
        let cleaned: String = raw.trim().chars().filter(|c| *c != ',' && *c != ' ' && *c != '\u{a0}').collect();
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits = currency.minor_digits() as usize;
        if whole.is_empty() || whole.len() > 15 || fraction.len() > digits || cleaned.matches('.').count() > 1 {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<digits$}").parse().ok()? };
        let minor = whole.checked_mul(10i64.checked_pow(digits as u32)?)?.checked_add(fraction)?;
        Some(Money { minor, currency })
    }

    /// The amount as an exact decimal string in major units ("12.50", "1200", "-0.005"),
    /// the input a locale formatter takes. No floating point is involved.
    pub fn to_decimal_string(self) -> String {
        let digits = self.currency.minor_digits();
        let negative = self.minor < 0;
        let abs = self.minor.unsigned_abs();
        let sign = if negative { "-" } else { "" };
        if digits == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(digits);
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_parse_exactly_or_not_at_all() {
        let usd = Currency::parse("USD").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::parse_decimal("25,000", usd).map(Money::minor), Some(2_500_000));
        assert_eq!(Money::parse_decimal(" 12.5 ", usd).map(Money::minor), Some(1_250));
        assert_eq!(Money::parse_decimal("0.01", usd).map(Money::minor), Some(1));
        assert_eq!(Money::parse_decimal("300000", jpy).map(Money::minor), Some(300_000));
        for bad in ["", "-5", "1.234", "1.2.3", "abc", "1e5", ".5", "9999999999999999", "5.5"] {
            let currency = if bad == "5.5" { jpy } else { usd };
            assert_eq!(Money::parse_decimal(bad, currency), None, "{bad}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn minor_digits_follow_iso_4217() {
        assert_eq!(Currency::Jpy.minor_digits(), 0);
        assert_eq!(Currency::Vnd.minor_digits(), 0);
        assert_eq!(Currency::Krw.minor_digits(), 0);
        assert_eq!(Currency::Kwd.minor_digits(), 3);
        assert_eq!(Currency::Bhd.minor_digits(), 3);
        for c in [
            Currency::Usd,
            Currency::Eur,
            Currency::Gbp,
            Currency::Cny,
            Currency::Twd,
            Currency::Sar,
            Currency::Aed,
            Currency::Chf,
            Currency::Inr,
        ] {
            assert_eq!(c.minor_digits(), 2, "{c}");
        }
    }

    #[test]
    fn adding_different_currencies_is_an_error_not_a_sum() {
        let usd = Money::from_minor(100, Currency::Usd);
        let eur = Money::from_minor(100, Currency::Eur);
        assert_eq!(usd.checked_add(eur), Err(MoneyError::CurrencyMismatch));
        assert_eq!(usd.checked_sub(eur), Err(MoneyError::CurrencyMismatch));
        assert_eq!(Money::sum(Currency::Usd, [usd, eur]), Err(MoneyError::CurrencyMismatch));
    }

    #[test]
    fn overflow_is_an_error() {
        let max = Money::from_minor(i64::MAX, Currency::Usd);
        assert_eq!(max.checked_add(Money::from_minor(1, Currency::Usd)), Err(MoneyError::Overflow));
        assert_eq!(max.checked_mul(2), Err(MoneyError::Overflow));
    }

    #[test]
    fn decimal_string_uses_the_currency_exponent() {
        assert_eq!(Money::from_minor(1250, Currency::Usd).to_decimal_string(), "12.50");
        assert_eq!(Money::from_minor(1200, Currency::Jpy).to_decimal_string(), "1200");
        assert_eq!(Money::from_minor(5, Currency::Kwd).to_decimal_string(), "0.005");
        assert_eq!(Money::from_minor(-5, Currency::Usd).to_decimal_string(), "-0.05");
        assert_eq!(Money::from_minor(i64::MIN, Currency::Usd).to_decimal_string(), "-92233720368547758.08");
    }

    #[test]
    fn currency_codes_parse_case_insensitively_and_reject_unknown() {
        assert_eq!(Currency::parse("jpy"), Ok(Currency::Jpy));
        assert_eq!(Currency::parse(" KWD "), Ok(Currency::Kwd));
        assert_eq!(Currency::parse("XYZ"), Err(MoneyError::UnknownCurrency));
        assert_eq!(Currency::parse(""), Err(MoneyError::UnknownCurrency));
    }

    fn currency() -> impl Strategy<Value = Currency> {
        prop::sample::select(Currency::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn addition_is_exact_and_commutative(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000, c in currency()) {
            let x = Money::from_minor(a, c);
            let y = Money::from_minor(b, c);
            prop_assert_eq!(x.checked_add(y).unwrap().minor(), a + b);
            prop_assert_eq!(x.checked_add(y), y.checked_add(x));
            prop_assert_eq!(x.checked_add(y).unwrap().checked_sub(y), Ok(x));
        }

        #[test]
        fn mixed_currencies_never_sum(a in any::<i64>(), b in any::<i64>(), c1 in currency(), c2 in currency()) {
            prop_assume!(c1 != c2);
            prop_assert_eq!(Money::from_minor(a, c1).checked_add(Money::from_minor(b, c2)), Err(MoneyError::CurrencyMismatch));
        }

        #[test]
        fn decimal_string_round_trips_to_minor_units(a in any::<i64>(), c in currency()) {
            let s = Money::from_minor(a, c).to_decimal_string();
            let digits: String = s.chars().filter(|ch| ch.is_ascii_digit()).collect();
            let parsed: i128 = digits.parse().unwrap();
            let signed = if s.starts_with('-') { -parsed } else { parsed };
            prop_assert_eq!(signed, a as i128);
            let frac = s.split('.').nth(1).map(|f| f.len()).unwrap_or(0);
            prop_assert_eq!(frac as u32, c.minor_digits());
        }

        #[test]
        fn parse_round_trips_every_code(c in currency()) {
            prop_assert_eq!(Currency::parse(c.code()), Ok(c));
            prop_assert_eq!(Currency::parse(&c.code().to_lowercase()), Ok(c));
        }
    }
}
