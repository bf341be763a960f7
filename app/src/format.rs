//! Locale formatting of money, numbers and dates with ICU4X's CLDR data (server only).
//!
//! Formatting happens on the server and the browser receives finished strings: the CLDR data for
//! nine locales would otherwise be shipped in the WASM to every buyer's phone, and formatting in
//! one place means the server render and the hydrated page always agree.

use crate::domain::money::Money;
use crate::i18n::Locale;
use fixed_decimal::Decimal;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::currency::CurrencyType;

fn icu_locale(locale: Locale) -> icu_locale_core::Locale {
    locale.tag().parse().unwrap_or(icu_locale_core::Locale::UNKNOWN)
}

/// `Money` as the viewer's locale writes it: "$1,234.50", "1.234,50 €", "¥1,200", "12.500 ₫".
/// Falls back to "1234.50 USD" if CLDR has no data (it has for every shipped locale; tested).
pub fn money(amount: Money, locale: Locale) -> String {
    let plain = || format!("{} {}", amount.to_decimal_string(), amount.currency().code());
    let Ok(value) = Decimal::try_from_str(&amount.to_decimal_string()) else { return plain() };
    let Ok(code) = CurrencyType::try_from_str(amount.currency().code()) else { return plain() };
    thread_local! {
        // Building a formatter loads CLDR data; a catalog page formats dozens of prices.
        static FORMATTERS: std::cell::RefCell<std::collections::HashMap<(Locale, crate::domain::money::Currency), Option<CurrencyFormatter<icu_decimal::DecimalFormatter>>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    FORMATTERS.with(|cell| {
        let mut map = cell.borrow_mut();
        let formatter = map.entry((locale, amount.currency())).or_insert_with(|| {
            CurrencyFormatter::try_new_symbol((&icu_locale(locale)).into(), code, Default::default()).ok()
        });
        match formatter {
            Some(formatter) => formatter.format_fixed_decimal(&value).to_string(),
            None => plain(),
        }
    })
}

/// An amount stored as minor units beside its currency code (a row's `currency` column); a code
/// the portal does not know is written plainly ("1234 XYZ"), never as another currency.
pub fn money_minor(minor: i64, currency: &str, locale: Locale) -> String {
    match crate::domain::money::Currency::parse(currency) {
        Ok(c) => money(Money::from_minor(minor, c), locale),
        Err(_) => format!("{minor} {currency}"),
    }
}

/// Payment terms in words: "Net 30 days", "Payment in advance".
pub fn terms(terms: crate::domain::order::PaymentTerms, locale: Locale) -> String {
    use crate::domain::order::PaymentTerms;
    match terms {
        PaymentTerms::Prepaid => crate::i18n::tr!(locale, "checkout.terms_prepaid"),
        PaymentTerms::Net(days) => crate::i18n::tr!(locale, "checkout.terms_net", count = days),
    }
}

/// A company-local date stored as days since 1970-01-01 (invoice issue and due days).
pub fn day(days: i64, locale: Locale) -> String {
    date(days * 86_400, locale)
}

/// An integer as the viewer's locale groups it ("12,500", "12.500", "١٢٬٥٠٠").
pub fn number(value: i64, locale: Locale) -> String {
    match icu_decimal::DecimalFormatter::try_new((&icu_locale(locale)).into(), Default::default()) {
        Ok(formatter) => writeable::Writeable::write_to_string(&formatter.format(&Decimal::from(value))).into_owned(),
        Err(_) => value.to_string(),
    }
}

/// A calendar date (from unix seconds, UTC) in the locale's medium style ("Nov 23, 2026",
/// "23.11.2026", "2026/11/23").
pub fn date(unix_secs: i64, locale: Locale) -> String {
    use icu_datetime::{fieldsets, DateTimeFormatter};
    let (y, m, d) = civil_from_days(unix_secs.div_euclid(86_400));
    let fallback = || format!("{y:04}-{m:02}-{d:02}");
    let Ok(date) = icu_calendar::Date::try_new_iso(y, m, d) else { return fallback() };
    match DateTimeFormatter::try_new((&icu_locale(locale)).into(), fieldsets::YMD::medium()) {
        Ok(formatter) => formatter.format(&date).to_string(),
        Err(_) => fallback(),
    }
}

/// A date and a 24-hour UTC time (audit entries, sessions): the date in the locale's way, the
/// time as digits every locale reads.
pub fn date_time(unix_secs: i64, locale: Locale) -> String {
    let secs = unix_secs.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", date(unix_secs, locale), secs / 3600, secs % 3600 / 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day): calendar arithmetic
/// (H. Hinnant's algorithm), not locale data.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn m(minor: i64, c: Currency) -> Money {
        Money::from_minor(minor, c)
    }

    // Expected strings are CLDR's (narrow no-break spaces and all), checked against ICU.
    #[test]
    fn money_follows_each_locale() {
        assert_eq!(money(m(123_450, Currency::Usd), Locale::En), "$1,234.50");
        assert_eq!(money(m(120_000, Currency::Jpy), Locale::Ja), "￥120,000");
        assert_eq!(money(m(123_456, Currency::Eur), Locale::Es), "1234,56\u{a0}€");
        assert_eq!(money(m(123_456, Currency::Eur), Locale::De), "1.234,56\u{a0}€");
        assert_eq!(money(m(12_500, Currency::Vnd), Locale::Vi), "12.500\u{a0}₫");
        // Plain `ar` writes Western digits since CLDR 46 (GLOSSARY.md), with RTL marks around.
        assert_eq!(money(m(345_000, Currency::Sar), Locale::Ar), "\u{200f}3,450.00\u{a0}ر.س.\u{200f}");
        assert_eq!(money(m(1_234_567, Currency::Kwd), Locale::En), "KWD\u{a0}1,234.567");
    }

    #[test]
    fn every_shipped_locale_formats_every_currency_without_falling_back() {
        for locale in Locale::ALL {
            for currency in Currency::ALL {
                let s = money(m(1_000_000, currency), locale);
                assert!(!s.ends_with(currency.code()) || s.contains('\u{a0}'), "{locale:?} {currency}: {s}");
            }
        }
    }

    #[test]
    fn numbers_and_dates_are_localised() {
        assert_eq!(number(12_500, Locale::En), "12,500");
        assert_eq!(number(12_500, Locale::De), "12.500");
        assert_eq!(number(12_500, Locale::Ar), "12,500");
        assert_eq!(number(12_500, Locale::Fr), "12\u{202f}500");
        // 2026-11-23T10:00:00Z
        let t = 1_795_428_000;
        assert_eq!(date(t, Locale::En), "Nov 23, 2026");
        assert_eq!(date(t, Locale::De), "23.11.2026");
        assert_eq!(date(t, Locale::Ja), "2026/11/23");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
