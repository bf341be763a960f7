//! CSV in and out. Upload: a file of SKU and quantity rows (our export with quantities filled
//! in, or any spreadsheet with those two columns) is checked row by row and reported: good rows
//! ready for the cart, bad rows with their row number and reason, to download and fix. Export:
//! the member's whole catalog, streamed in chunks so memory stays flat however large it is.

use crate::api::cart::{LineInput, RowReportDto};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use leptos::server_fn::codec::MultipartData;

/// Larger files are refused before they are read to the end (10,000 rows of our export are
/// about 1.5 MB).
pub const MAX_CSV_BYTES: usize = 5 * 1024 * 1024;
/// How much of a too-large upload is read (and dropped) before the connection is cut.
#[cfg(feature = "ssr")]
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvReportDto {
    pub rows: usize,
    /// Ready for the cart, SKU as stored.
    pub good: Vec<LineInput>,
    pub bad: Vec<RowReportDto>,
}

#[cfg(feature = "ssr")]
fn file_problem_key(problem: crate::domain::order_entry::CsvFileProblem) -> &'static str {
    use crate::domain::order_entry::CsvFileProblem::*;
    match problem {
        Empty => "csv.empty",
        Binary => "csv.binary",
        NotUtf8 => "csv.not_utf8",
        NoHeader => "csv.no_header",
        TooManyRows => "csv.too_many_rows",
        Malformed => "csv.malformed",
    }
}

/// Header names accepted for a column: the English word and its name in every shipped language
/// (a file made by a colleague in another language still reads).
#[cfg(feature = "ssr")]
fn header_names(key: &str, extra: &[&str]) -> Vec<String> {
    let mut names: Vec<String> =
        crate::i18n::Locale::ALL.iter().map(|l| crate::i18n::tr!(*l, key).trim().to_lowercase()).collect();
    names.extend(extra.iter().map(|s| s.to_string()));
    names.sort();
    names.dedup();
    names
}

/// Checks an uploaded order CSV (multipart field `file`) against the member's catalog.
#[server(endpoint = "cart/upload_csv", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_csv(data: MultipartData) -> Result<CsvReportDto, AppError> {
    check_upload(data).await
}

/// The same check, answered as the report's HTML for quick order's CSV island; a file problem
/// is part of that HTML (a message where the report would be).
#[server(endpoint = "cart/upload_csv_html", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_csv_html(data: MultipartData) -> Result<String, AppError> {
    let locale = crate::i18n::request_locale();
    match check_upload(data).await {
        Ok(report) => Ok(crate::components::csv_report::csv_report_html(&report, locale)),
        Err(error @ AppError::Invalid(_)) => {
            let message = error.field_message("file", locale).unwrap_or_else(|| error.message(locale));
            Ok(view! { <p class="field-error">{message}</p> }.to_html())
        }
        Err(error) => Err(error),
    }
}

/// Without JavaScript: the file's rows (at most 1,000) become quick order's rows, checked there
/// like typed ones; the refused ones can be fixed in place.
#[server(endpoint = "cart/upload_csv_form", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_csv_form(data: MultipartData) -> Result<(), AppError> {
    const PLAIN_ROWS: usize = 1_000;
    let report = check_upload(data).await?;
    if report.good.len() + report.bad.len() > PLAIN_ROWS {
        return Err(AppError::invalid("file", "csv.too_many_rows_plain"));
    }
    let good = report.good.iter().map(|l| (l.sku.as_str(), l.quantity.as_str()));
    let bad = report.bad.iter().map(|r| (r.sku.as_str(), r.quantity.as_str()));
    leptos_axum::redirect(&crate::api::cart::quick_order_url(good.chain(bad)));
    Ok(())
}

#[cfg(feature = "ssr")]
async fn check_upload(data: MultipartData) -> Result<CsvReportDto, AppError> {
    use crate::backend::{cart, platform::clock, platform::guard::authorize};
    use crate::domain::order_entry::{parse_csv, CsvHeaders};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let mut multipart = data.into_inner().ok_or_else(|| AppError::invalid("file", "error.bad_request"))?;
    let mut bytes: Vec<u8> = vec![];
    // Past the limit the rest is read and dropped (up to a hard cap), so the client gets the
    // answer instead of a connection closed while it is still sending.
    let mut received: usize = 0;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let wanted = field.name() == Some("file");
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    received += chunk.len();
                    if received > DRAIN_LIMIT {
                        return Err(AppError::invalid("file", "csv.too_large"));
                    }
                    if wanted && received <= MAX_CSV_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(None) => break,
                Err(_) => return Err(AppError::invalid("file", "error.bad_request")),
            }
        }
    }
    if received > MAX_CSV_BYTES {
        return Err(AppError::invalid("file", "csv.too_large"));
    }
    let sku = header_names("csv.sku", &["sku"]);
    let quantity = header_names("csv.quantity", &["quantity", "qty"]);
    let rows = parse_csv(&bytes, &CsvHeaders { sku: &sku, quantity: &quantity })
        .map_err(|p| AppError::invalid("file", file_problem_key(p)))?;
    let checked = cart::check(&state, &actor, locale, &rows, clock::now()).await?;
    let mut report = CsvReportDto { rows: checked.len(), good: vec![], bad: vec![] };
    for row in checked {
        match &row.outcome {
            Ok(a) => report.good.push(LineInput { sku: a.sku.clone(), quantity: a.quantity.to_string() }),
            Err(_) => report.bad.push(crate::api::cart::convert::row_dto(row, locale)),
        }
    }
    Ok(report)
}

/// GET /catalog/export.csv: every product the member may buy, one row per variant, in name
/// order, priced for them. Written in chunks as the client reads, from the in-memory catalog,
/// so memory does not grow with the catalog. Cells a spreadsheet would run as formulas are
/// neutralised (`order_entry::safe_cell`).
#[cfg(feature = "ssr")]
pub async fn export_catalog(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::backend::{catalog::offer::Offer, platform::clock, platform::guard};
    use crate::domain::permission::Permission;
    use axum::response::IntoResponse;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let offer = async {
        let actor = guard::authorize_parts(&state, &parts, Permission::CatalogView).await?;
        Offer::load(&state, &actor, clock::now()).await
    }
    .await;
    let offer = match offer {
        Ok(b) => std::sync::Arc::new(b),
        Err(e) => {
            let status =
                axum::http::StatusCode::from_u16(e.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            return (status, e.message(locale)).into_response();
        }
    };
    const CHUNK: usize = 500;
    let total = offer.snapshot().product_count();
    let pages = total.div_ceil(CHUNK) + 1;
    let header = export_header(locale);
    use futures_util::StreamExt as _;
    let stream = futures_util::stream::iter(0..pages).map(move |page| {
        let bytes = if page == 0 { header.clone() } else { export_chunk(&offer, locale, (page - 1) * CHUNK, CHUNK) };
        Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes))
    });
    axum::response::Response::builder()
        .header(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"catalog.csv\"")
        .body(axum::body::Body::from_stream(stream))
        .unwrap_or_else(|_| axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(feature = "ssr")]
const EXPORT_COLUMNS: [&str; 10] = [
    "csv.sku",
    "csv.name",
    "csv.unit",
    "csv.pack_size",
    "csv.price",
    "csv.tiers",
    "csv.minimum",
    "csv.increment",
    "csv.stock",
    "csv.quantity",
];

#[cfg(feature = "ssr")]
fn export_header(locale: crate::i18n::Locale) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(b"\xef\xbb\xbf".to_vec());
    let _ = writer.write_record(EXPORT_COLUMNS.iter().map(|k| crate::i18n::tr!(locale, k)));
    writer.into_inner().unwrap_or_default()
}

/// One chunk of rows: products `offset..offset + limit` in name order that the member sees.
#[cfg(feature = "ssr")]
fn export_chunk(
    offer: &crate::backend::catalog::offer::Offer,
    locale: crate::i18n::Locale,
    offset: usize,
    limit: usize,
) -> Vec<u8> {
    use crate::backend::catalog::store::ListFilter;
    use crate::domain::money::Money;
    use crate::domain::order_entry::safe_cell;
    let catalog = offer.snapshot();
    let filter = ListFilter { categories: None, material: None, colour: None, descending: false, offset, limit };
    let (products, _) = catalog.list(offer.catalogs(), locale, &filter);
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(limit * 200));
    for p in products {
        let name = p.name(locale);
        for v in &p.variants {
            // Quote-only variants are listed without a price (it never leaves the server).
            let price = offer.listed_price(v);
            let money = |minor: i64, currency| Money::from_minor(minor, currency).to_decimal_string();
            let (unit_price, tiers, min, increment) = match &price {
                Some(pr) => (
                    pr.tiers.first().map(|t| money(t.unit_minor, pr.currency)).unwrap_or_default(),
                    pr.tiers
                        .iter()
                        .skip(1)
                        .map(|t| format!("{}: {}", t.min_quantity, money(t.unit_minor, pr.currency)))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    pr.rule.min.to_string(),
                    pr.rule.increment.to_string(),
                ),
                None => (String::new(), String::new(), String::new(), String::new()),
            };
            let _ = writer.write_record([
                safe_cell(&v.sku).as_ref(),
                safe_cell(name).as_ref(),
                safe_cell(&v.unit).as_ref(),
                &v.pack_size.to_string(),
                &unit_price,
                safe_cell(&tiers).as_ref(),
                &min,
                &increment,
                &v.stock.max(0).to_string(),
                "",
            ]);
        }
    }
    writer.into_inner().unwrap_or_default()
}
