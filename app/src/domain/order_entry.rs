//! What buyers type or paste when ordering by SKU: a quantity, a SKU, lines copied from a
//! spreadsheet or an email, and CSV files. Pure parsing with a reason for every bad row, so the
//! quick order page, the CSV report and the cart all say the same thing about the same input.

use serde::{Deserialize, Serialize};

/// No line of any cart goes above this many units (a typo guard; 10^20 is not an order).
pub const MAX_QUANTITY: i64 = 1_000_000_000;
/// SKUs are short codes; anything longer is a paste accident, not a SKU.
pub const MAX_SKU_CHARS: usize = 64;
/// Rows checked at once (a paste or a CSV file).
pub const MAX_ROWS: usize = 10_000;

/// Why a typed quantity is not a quantity. The quantity rule (minimum, increment) is checked
/// later, against the variant (`pricing::QuantityProblem`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuantityInputProblem {
    Missing,
    NotANumber,
    Fractional,
    NotPositive,
    TooLarge,
}

/// A whole number of units from what a buyer typed: spaces and digit-group separators
/// ("1,000", "1 000", "1.000" with three digits after) are allowed; "2.5", "1e3" and "ten" are not.
pub fn parse_quantity(raw: &str) -> Result<i64, QuantityInputProblem> {
    let s: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
    if s.is_empty() {
        return Err(QuantityInputProblem::Missing);
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() {
        return Err(QuantityInputProblem::NotANumber);
    }
    // Group separators: every group after the first has exactly three digits.
    let groups: Vec<&str> = digits.split([',', '.']).collect();
    let grouped = groups.len() > 1
        && groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && (digits.matches(',').count() == groups.len() - 1 || digits.matches('.').count() == groups.len() - 1);
    let plain: String = if grouped { groups.concat() } else { digits.to_string() };
    if !plain.bytes().all(|b| b.is_ascii_digit()) {
        // "2.5", "2,50": a decimal, which units never are.
        let decimal =
            groups.len() == 2 && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
        return Err(if decimal { QuantityInputProblem::Fractional } else { QuantityInputProblem::NotANumber });
    }
    if negative {
        return Err(QuantityInputProblem::NotPositive);
    }
    let trimmed = plain.trim_start_matches('0');
    if trimmed.len() > 10 {
        return Err(QuantityInputProblem::TooLarge);
    }
    let value: i64 =
        if trimmed.is_empty() { 0 } else { trimmed.parse().map_err(|_| QuantityInputProblem::TooLarge)? };
    match value {
        0 => Err(QuantityInputProblem::NotPositive),
        v if v > MAX_QUANTITY => Err(QuantityInputProblem::TooLarge),
        v => Ok(v),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SkuInputProblem {
    Missing,
    TooLong,
}

/// A SKU as looked up: trimmed, inner whitespace and invisible characters removed, upper case
/// (SKUs are stored upper case; buyers type them any way).
pub fn normalize_sku(raw: &str) -> Result<String, SkuInputProblem> {
    let sku: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
        .flat_map(char::to_uppercase)
        .collect();
    if sku.is_empty() {
        return Err(SkuInputProblem::Missing);
    }
    if sku.chars().count() > MAX_SKU_CHARS {
        return Err(SkuInputProblem::TooLong);
    }
    Ok(sku)
}

/// One row a buyer entered, before it is looked up: where it came from (1-based line or CSV
/// row), the SKU and quantity as typed, and what parsing already found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredRow {
    pub row: usize,
    pub sku: String,
    pub quantity: String,
}

/// Lines pasted from a spreadsheet or an email: "SKU<TAB>qty", "SKU,qty", "SKU;qty" or
/// "SKU qty" (the quantity is the last field). A line with only a SKU has quantity "" (the
/// caller decides whether that means the minimum). Blank lines are skipped but keep numbering.
pub fn parse_pasted(text: &str) -> Vec<EnteredRow> {
    let mut rows = vec![];
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            continue;
        }
        let (sku, quantity) = split_line(line);
        rows.push(EnteredRow { row: i + 1, sku: sku.trim().to_string(), quantity: quantity.trim().to_string() });
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    rows
}

fn split_line(line: &str) -> (&str, &str) {
    for separator in ['\t', ';'] {
        if let Some((sku, rest)) = line.split_once(separator) {
            // A trailing column (a price, a description) after the quantity is ignored.
            return (sku, rest.split(separator).next().unwrap_or(""));
        }
    }
    // A comma separates the SKU from the rest ("HB-1,1,000" is 1,000 of HB-1).
    if let Some((sku, rest)) = line.split_once(',') {
        return (sku, rest);
    }
    line.rsplit_once(char::is_whitespace).unwrap_or((line, ""))
}

/// Why one entered row cannot go to the cart, in the order it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RowProblem {
    Sku(SkuInputProblem),
    /// No variant has this SKU.
    UnknownSku,
    /// The SKU exists, but not in the catalogs this member buys from.
    NotInCatalog,
    /// Priced on request only: it goes to a quote, not the cart.
    QuoteOnly,
    /// In the catalog, but no price list of this member prices it.
    NoPrice,
    Quantity(QuantityInputProblem),
    Rule(crate::domain::pricing::QuantityProblem),
}

/// Why a CSV file as a whole cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CsvFileProblem {
    Empty,
    /// Not text: NUL bytes or a known binary signature (a spreadsheet saved as .xlsx, a PDF).
    Binary,
    /// Text, but not UTF-8 (an old "CSV (Windows)" export).
    NotUtf8,
    /// No header row naming a SKU column and a quantity column.
    NoHeader,
    TooManyRows,
    Malformed,
}

/// Header names a CSV file may use for its columns, lower case: English and the buyer's
/// language (the caller passes the translations).
pub struct CsvHeaders<'a> {
    pub sku: &'a [String],
    pub quantity: &'a [String],
}

/// The rows of an order CSV: UTF-8 with or without a BOM, comma or semicolon separated (whichever
/// the header row uses), quoted fields allowed, a header row naming the SKU and quantity columns
/// (other columns, as in our catalog export, are ignored). Rows whose quantity cell is empty are
/// skipped: an exported catalog with a few quantities filled in is an order for those.
pub fn parse_csv(bytes: &[u8], headers: &CsvHeaders) -> Result<Vec<EnteredRow>, CsvFileProblem> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CsvFileProblem::Empty);
    }
    let signatures: [&[u8]; 4] = [b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG"];
    if bytes.contains(&0) || signatures.iter().any(|s| bytes.starts_with(s)) {
        return Err(CsvFileProblem::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| CsvFileProblem::NotUtf8)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) => return Err(CsvFileProblem::Malformed),
        None => return Err(CsvFileProblem::Empty),
    };
    let find = |names: &[String]| {
        header.iter().position(|h| {
            let h = h.trim().to_lowercase();
            names.iter().any(|n| *n == h)
        })
    };
    let (Some(sku_col), Some(qty_col)) = (find(headers.sku), find(headers.quantity)) else {
        return Err(CsvFileProblem::NoHeader);
    };
    let mut rows = vec![];
    for (i, record) in records.enumerate() {
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let row = i + 2;
        let record = record.map_err(|_| CsvFileProblem::Malformed)?;
        let sku = record.get(sku_col).unwrap_or("").trim();
        let quantity = record.get(qty_col).unwrap_or("").trim();
        if quantity.is_empty() && (sku.is_empty() || record.len() > 2) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvFileProblem::TooManyRows);
        }
        rows.push(EnteredRow { row, sku: sku.to_string(), quantity: quantity.to_string() });
    }
    Ok(rows)
}

/// A cell as our CSV export writes it: text that a spreadsheet would run as a formula
/// (=, +, -, @, tab, carriage return first) gets a leading apostrophe, so a name like
/// "=HYPERLINK(…)" stays text (OWASP CSV injection).
pub fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{value}")),
        _ => std::borrow::Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantities_are_whole_positive_numbers_with_optional_grouping() {
        assert_eq!(parse_quantity("12"), Ok(12));
        assert_eq!(parse_quantity(" 12 "), Ok(12));
        assert_eq!(parse_quantity("1,000"), Ok(1000));
        assert_eq!(parse_quantity("1.000"), Ok(1000));
        assert_eq!(parse_quantity("1 000"), Ok(1000));
        assert_eq!(parse_quantity("+5"), Ok(5));
        assert_eq!(parse_quantity("007"), Ok(7));
        assert_eq!(parse_quantity(""), Err(QuantityInputProblem::Missing));
        assert_eq!(parse_quantity("0"), Err(QuantityInputProblem::NotPositive));
        assert_eq!(parse_quantity("-3"), Err(QuantityInputProblem::NotPositive));
        assert_eq!(parse_quantity("2.5"), Err(QuantityInputProblem::Fractional));
        assert_eq!(parse_quantity("2,5"), Err(QuantityInputProblem::Fractional));
        assert_eq!(parse_quantity("100000000000000000000"), Err(QuantityInputProblem::TooLarge));
        assert_eq!(parse_quantity("1000000001"), Err(QuantityInputProblem::TooLarge));
        assert_eq!(parse_quantity("ten"), Err(QuantityInputProblem::NotANumber));
        assert_eq!(parse_quantity("1e3"), Err(QuantityInputProblem::NotANumber));
        assert_eq!(parse_quantity("-"), Err(QuantityInputProblem::NotANumber));
        assert_eq!(parse_quantity("١٢"), Err(QuantityInputProblem::NotANumber));
    }

    #[test]
    fn skus_are_trimmed_upper_cased_and_bounded() {
        assert_eq!(normalize_sku("  hb-m8x20-zn \t"), Ok("HB-M8X20-ZN".into()));
        assert_eq!(normalize_sku("HB-M8X20\u{200b}-ZN"), Ok("HB-M8X20-ZN".into()));
        assert_eq!(normalize_sku("   "), Err(SkuInputProblem::Missing));
        assert_eq!(normalize_sku(&"A".repeat(1000)), Err(SkuInputProblem::TooLong));
        assert_eq!(normalize_sku("ÄÖ-1"), Ok("ÄÖ-1".into()));
    }

    #[test]
    fn pasted_lines_take_every_common_separator() {
        let rows = parse_pasted("HB-1\t10\nHB-2,20\r\nHB-3;30\n\nHB-4 40\nHB-5\n\u{feff}HB-6\t1,000\tbolts\n");
        let got: Vec<(usize, &str, &str)> = rows.iter().map(|r| (r.row, r.sku.as_str(), r.quantity.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (1, "HB-1", "10"),
                (2, "HB-2", "20"),
                (3, "HB-3", "30"),
                (5, "HB-4", "40"),
                (6, "HB-5", ""),
                (7, "HB-6", "1,000"),
            ]
        );
    }

    fn headers() -> (Vec<String>, Vec<String>) {
        (vec!["sku".into(), "artikelnummer".into()], vec!["quantity".into(), "menge".into()])
    }

    #[test]
    fn csv_with_bom_semicolons_quotes_and_a_localized_header() {
        let (sku, quantity) = headers();
        let h = CsvHeaders { sku: &sku, quantity: &quantity };
        let file = "\u{feff}Artikelnummer;Name;Menge\n\"HB-1\";\"Bolt; hex\";5\nHB-2;x;\nHB-3;\"a \"\"b\"\"\";7\n";
        let rows = parse_csv(file.as_bytes(), &h).unwrap();
        assert_eq!(rows.len(), 2, "the row without a quantity is skipped");
        assert_eq!((rows[0].row, rows[0].sku.as_str(), rows[0].quantity.as_str()), (2, "HB-1", "5"));
        assert_eq!((rows[1].row, rows[1].sku.as_str(), rows[1].quantity.as_str()), (4, "HB-3", "7"));
    }

    #[test]
    fn csv_files_that_cannot_be_read_say_why() {
        let (sku, quantity) = headers();
        let h = CsvHeaders { sku: &sku, quantity: &quantity };
        assert_eq!(parse_csv(b"", &h), Err(CsvFileProblem::Empty));
        assert_eq!(parse_csv(b"\xef\xbb\xbf \n", &h), Err(CsvFileProblem::Empty));
        assert_eq!(parse_csv(b"PK\x03\x04rest", &h), Err(CsvFileProblem::Binary));
        assert_eq!(parse_csv(b"sku,quantity\nA\x00,1", &h), Err(CsvFileProblem::Binary));
        assert_eq!(parse_csv(b"sku,quantity\nM\xfcller,1", &h), Err(CsvFileProblem::NotUtf8));
        assert_eq!(parse_csv(b"code,amount\nA,1", &h), Err(CsvFileProblem::NoHeader));
        let big = format!("sku,quantity\n{}", "A,1\n".repeat(MAX_ROWS + 1));
        assert_eq!(parse_csv(big.as_bytes(), &h), Err(CsvFileProblem::TooManyRows));
    }

    #[test]
    fn formula_looking_cells_stay_text() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@cmd"), "'@cmd");
        assert_eq!(safe_cell("HB-1"), "HB-1");
    }

    proptest! {
        #[test]
        fn any_text_gives_a_quantity_or_a_reason_never_a_panic(raw in ".{0,40}") {
            if let Ok(q) = parse_quantity(&raw) {
                prop_assert!((1..=MAX_QUANTITY).contains(&q));
            }
        }

        #[test]
        fn every_whole_number_in_range_round_trips(q in 1i64..=MAX_QUANTITY) {
            prop_assert_eq!(parse_quantity(&q.to_string()), Ok(q));
        }

        #[test]
        fn pasting_never_panics(text in "(.{0,30}\n){0,10}") {
            let _ = parse_pasted(&text);
        }
    }
}
