//! The cart and ordering by SKU: view, add (from anywhere: product grid, search, quick order,
//! paste), change, remove, and the check of pasted lines before they go to the cart.

use crate::api::catalog::StockDto;
use crate::domain::order_entry::RowProblem;
use crate::domain::pricing::QuantityRule;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line as a form or a script sends it: the SKU and the quantity exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineInput {
    pub sku: String,
    #[serde(default)]
    pub quantity: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLineDto {
    pub sku: String,
    pub name: String,
    pub slug: String,
    pub unit: String,
    pub pack_size: i64,
    pub quantity: i64,
    pub rule: QuantityRule,
    pub unit_price: Option<String>,
    pub line_total: Option<String>,
    pub problem: Option<RowProblem>,
    pub stock: StockDto,
    /// On hand, when fewer than the quantity (the rest is backordered).
    pub short_of: Option<i64>,
    /// (from quantity, unit price) of the next volume break.
    pub next_tier: Option<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartDto {
    pub version: i64,
    pub currency: String,
    pub lines: Vec<CartLineDto>,
    pub total: String,
    pub fingerprint: String,
    pub orderable: bool,
}

/// One entered row after checking: good (with its price) or with the reason it is not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowReportDto {
    pub row: usize,
    pub sku: String,
    pub quantity: String,
    pub name: Option<String>,
    pub unit_price: Option<String>,
    pub line_total: Option<String>,
    pub problem: Option<RowProblem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddReportDto {
    /// Every row, good and bad, in the order sent.
    pub rows: Vec<RowReportDto>,
    pub added: usize,
    pub cart_lines: usize,
}

impl AddReportDto {
    /// A page's form post gets only the refused rows (what the page lists); an API client every row.
    #[cfg(feature = "ssr")]
    pub(crate) fn for_caller(mut self) -> Self {
        if crate::api::form_post() {
            self.rows.retain(|r| r.problem.is_some());
        }
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetQuantityDto {
    pub cart: CartDto,
    /// Why the new quantity was refused (the line keeps its old one).
    pub refused: Option<RowProblem>,
    /// The line is no longer in the cart (changed in another tab).
    pub gone: bool,
    /// The SKU and quantity as sent, so a refused quantity stays in the field to be fixed.
    pub sku: String,
    pub typed: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use super::*;
    use crate::backend::{cart::CartView, catalog::offer::CheckedRow};
    use crate::i18n::Locale;

    pub fn cart_dto(view: CartView, locale: Locale) -> CartDto {
        let money = |m: crate::domain::money::Money| crate::format::money(m, locale);
        CartDto {
            version: view.version,
            currency: view.currency.code().to_string(),
            total: money(view.total),
            orderable: view.orderable(),
            fingerprint: view.fingerprint.clone(),
            lines: view
                .lines
                .into_iter()
                .map(|l| CartLineDto {
                    short_of: (l.problem.is_none() && l.quantity > l.available).then_some(l.available),
                    next_tier: l.next_tier.map(|(q, m)| (q, money(m))),
                    unit_price: l.unit_price.map(money),
                    line_total: l.line_total.map(money),
                    stock: crate::api::catalog::stock_dto(l.stock, locale),
                    sku: l.sku,
                    name: l.name,
                    slug: l.slug,
                    unit: l.unit,
                    pack_size: l.pack_size,
                    quantity: l.quantity,
                    rule: l.rule,
                    problem: l.problem,
                })
                .collect(),
        }
    }

    pub fn row_dto(row: CheckedRow, locale: Locale) -> RowReportDto {
        let money = |m: crate::domain::money::Money| crate::format::money(m, locale);
        let (name, unit_price, line_total, problem) = match row.outcome {
            Ok(a) => (Some(a.name), Some(money(a.unit_price)), Some(money(a.line_total)), None),
            Err(p) => (None, None, None, Some(p)),
        };
        RowReportDto {
            row: row.entered.row,
            sku: row.entered.sku,
            quantity: row.entered.quantity,
            name,
            unit_price,
            line_total,
            problem,
        }
    }
}

/// The member's cart at the location they buy for, priced now.
#[server(endpoint = "cart/get")]
pub async fn get_cart() -> Result<CartDto, AppError> {
    use crate::backend::{cart, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    Ok(convert::cart_dto(cart::view(&state, &actor, locale, clock::now()).await?, locale))
}

/// What every function taking entered rows starts with: the caller, who must be allowed to fill
/// the cart, and the rows `keep` accepts (at most `MAX_ROWS`), numbered by their place in `lines`.
#[cfg(feature = "ssr")]
async fn entered_rows(
    lines: Vec<LineInput>,
    keep: impl Fn(&LineInput) -> bool,
) -> Result<
    (
        crate::backend::platform::state::AppState,
        crate::backend::platform::guard::Actor,
        crate::i18n::Locale,
        Vec<crate::domain::order_entry::EnteredRow>,
    ),
    AppError,
> {
    use crate::domain::order_entry::{EnteredRow, MAX_ROWS};
    let (state, actor) =
        crate::backend::platform::guard::authorize(crate::domain::permission::Permission::CartManage).await?;
    if lines.len() > MAX_ROWS {
        return Err(AppError::invalid("lines", "quick_order.too_many_rows"));
    }
    let rows = lines
        .into_iter()
        .enumerate()
        .filter(|(_, l)| keep(l))
        .map(|(i, l)| EnteredRow { row: i + 1, sku: l.sku, quantity: l.quantity })
        .collect();
    Ok((state, actor, crate::i18n::request_locale(), rows))
}

/// Quick order with these (SKU, quantity) rows, as typed: the page checks them when it renders.
#[cfg(feature = "ssr")]
pub(crate) fn quick_order_url<'a>(rows: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let params: Vec<String> = rows
        .enumerate()
        .map(|(i, (sku, quantity))| {
            format!(
                "lines[{i}][sku]={}&lines[{i}][quantity]={}",
                crate::url::encode_component(sku),
                crate::url::encode_component(quantity)
            )
        })
        .collect();
    format!("/quick-order?{}", params.join("&"))
}

/// Adds lines to the cart. Rows with an empty quantity are skipped (a grid with a few
/// quantities filled in); every other row is added or reported with its reason.
#[server(endpoint = "cart/add")]
pub async fn add_cart_lines(#[server(default)] lines: Vec<LineInput>) -> Result<AddReportDto, AppError> {
    use crate::backend::{cart, platform::clock};
    let (state, actor, locale, rows) = entered_rows(lines, |l| !l.quantity.trim().is_empty()).await?;
    let added = cart::add(&state, &actor, locale, &rows, clock::now()).await?;
    Ok(AddReportDto::for_caller(AddReportDto {
        added: added.added,
        cart_lines: added.cart_lines,
        rows: added.rows.into_iter().map(|r| convert::row_dto(r, locale)).collect(),
    }))
}

/// Quick order's "add ready lines": every typed row goes to the offer check; the good ones go in,
/// the refused ones are answered (and, for the page's plain form post, sent back to the quick
/// order page as its rows, to be fixed). Blank rows are ignored.
#[server(endpoint = "cart/quick_add")]
pub async fn quick_order_add(#[server(default)] lines: Vec<LineInput>) -> Result<AddReportDto, AppError> {
    use crate::backend::{cart, platform::clock};
    let (state, actor, locale, rows) =
        entered_rows(lines, |l| !l.sku.trim().is_empty() || !l.quantity.trim().is_empty()).await?;
    let added = cart::add(&state, &actor, locale, &rows, clock::now()).await?;
    let refused: Vec<RowReportDto> =
        added.rows.into_iter().filter(|r| r.outcome.is_err()).map(|r| convert::row_dto(r, locale)).collect();
    let report = AddReportDto { added: added.added, cart_lines: added.cart_lines, rows: refused };
    if crate::api::form_post() {
        use leptos::server_fn::ServerFn;
        // The report rides along for the page to show (`components::outcome::posted`).
        let answer = crate::backend::platform::http::answer_query(
            QuickOrderAdd::PATH,
            &serde_json::to_string(&report).unwrap_or_default(),
        );
        let rows = quick_order_url(report.rows.iter().map(|r| (r.sku.as_str(), r.quantity.as_str())));
        leptos_axum::redirect(&format!("{rows}&{answer}"));
    }
    Ok(report)
}

/// One quick order row's verdict as HTML, for the page's live check (an island): `[ok, html]`.
#[server(endpoint = "cart/check_row_html", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_row_html(sku: String, quantity: String) -> Result<(bool, String), AppError> {
    use crate::backend::{cart, platform::clock, platform::guard::authorize};
    use crate::domain::order_entry::EnteredRow;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let row = EnteredRow { row: 1, sku, quantity };
    let checked = cart::check(&state, &actor, locale, std::slice::from_ref(&row), clock::now()).await?;
    let Some(report) = checked.into_iter().next().map(|r| convert::row_dto(r, locale)) else {
        return Err(AppError::invalid("lines", "error.bad_request"));
    };
    Ok((report.problem.is_none(), crate::components::row_verdict::row_verdict(&report, locale).to_html()))
}

/// Checks rows without touching the cart: quick order shows every row with its price or its
/// problem before anything is added. Row numbers are positions in `lines`, from 1.
#[server(endpoint = "cart/check")]
pub async fn check_lines(#[server(default)] lines: Vec<LineInput>) -> Result<Vec<RowReportDto>, AppError> {
    use crate::backend::{cart, platform::clock};
    let (state, actor, locale, rows) = entered_rows(lines, |_| true).await?;
    let checked = cart::check(&state, &actor, locale, &rows, clock::now()).await?;
    Ok(checked.into_iter().map(|r| convert::row_dto(r, locale)).collect())
}

#[server(endpoint = "cart/set_quantity")]
pub async fn set_cart_quantity(sku: String, quantity: String) -> Result<SetQuantityDto, AppError> {
    use crate::backend::cart::{self, LineChange};
    use crate::backend::{platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let change = cart::set_quantity(&state, &actor, &sku, &quantity, now).await?;
    let view = cart::view(&state, &actor, locale, now).await?;
    let mut cart = convert::cart_dto(view, locale);
    if crate::api::form_post() {
        // The cart page renders the cart afresh after the redirect; the answer needs only the verdict.
        cart.lines.clear();
    }
    Ok(SetQuantityDto {
        cart,
        refused: match change {
            LineChange::Refused(p) => Some(p),
            _ => None,
        },
        gone: matches!(change, LineChange::Gone),
        sku,
        typed: quantity,
    })
}

#[server(endpoint = "cart/remove")]
pub async fn remove_cart_line(sku: String) -> Result<CartDto, AppError> {
    use crate::backend::{cart, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    cart::remove(&state, &actor, &sku, now).await?;
    Ok(convert::cart_dto(cart::view(&state, &actor, locale, now).await?, locale))
}

#[server(endpoint = "cart/clear")]
pub async fn clear_cart() -> Result<(), AppError> {
    use crate::backend::{cart, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    cart::clear(&state, &actor, clock::now()).await
}
