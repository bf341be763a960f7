//! Checkout, placing orders, order history, one order, reorder and "buy again".

use crate::api::cart::CartDto;
use crate::api::catalog::{FilterOption, StockDto};
use crate::domain::order::OrderStatus;
use crate::domain::order_entry::RowProblem;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShipToDto {
    pub id: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutDto {
    pub cart: CartDto,
    pub ship_to: Vec<ShipToDto>,
    pub default_ship_to: Option<i64>,
    /// Translated, e.g. "Net 30".
    pub terms: String,
    pub po_required: bool,
    pub credit_available: Option<String>,
    pub can_place: bool,
    /// Who must approve this checkout, in order (translated role names, "an approver" for any);
    /// empty: it is placed at once.
    pub approval_by: Vec<String>,
    /// Why it needs approval, translated.
    pub approval_reasons: Vec<String>,
    /// One per checkout view: a retry or double click of this form places one order.
    pub idempotency_key: String,
    /// Today, `YYYY-MM-DD`, the earliest delivery date.
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PlaceDto {
    Placed {
        number: String,
    },
    Changed {
        cart: CartDto,
    },
    /// It needs approval: this purchase request (`R-10001`) now holds what was reviewed.
    Requested {
        number: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRowDto {
    pub number: String,
    pub placed_at: String,
    pub status: OrderStatus,
    pub po_number: String,
    pub location: String,
    pub placed_by: String,
    pub total: String,
    pub line_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrdersDto {
    pub rows: Vec<OrderRowDto>,
    pub page: i64,
    pub has_next: bool,
    pub locations: Vec<FilterOption>,
    /// Colleagues to filter by; empty without `orders.view_all`.
    pub members: Vec<FilterOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLineDto {
    pub line_no: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: String,
    pub line_total: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShipmentDto {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: String,
    pub delivered_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDto {
    pub number: String,
    pub status: OrderStatus,
    pub placed_at: String,
    pub placed_by: String,
    pub po_number: String,
    pub note: String,
    pub requested_date: Option<String>,
    pub terms: String,
    pub ship_to: Vec<String>,
    pub total: String,
    pub lines: Vec<OrderLineDto>,
    /// (status, when) oldest first.
    pub timeline: Vec<(OrderStatus, String)>,
    pub shipments: Vec<ShipmentDto>,
    pub can_reorder: bool,
    /// Its invoices' numbers, for who may see invoices (`invoices.view`); empty otherwise.
    pub invoices: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReorderLineDto {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub old_price: String,
    /// Today's price, when it differs from the order's.
    pub new_price: Option<String>,
    pub problem: Option<RowProblem>,
    pub stock: Option<StockDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReorderDto {
    pub lines: Vec<ReorderLineDto>,
    pub added: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchasedDto {
    pub sku: String,
    pub name: String,
    pub last_price: String,
    pub last_quantity: i64,
    pub last_ordered: String,
    pub times: i64,
}

/// A checkout in the page's shape: the lines (a cart, or an accepted quote at its prices),
/// where it may ship, terms and credit, and a fresh idempotency key. Placing is allowed and no
/// approval is announced unless the caller says otherwise.
#[cfg(feature = "ssr")]
fn checkout_dto(
    cart: crate::backend::cart::CartView,
    ship_to: Vec<crate::backend::orders::ShipTo>,
    default_ship_to: Option<crate::domain::ids::LocationId>,
    terms: crate::domain::order::PaymentTerms,
    po_required: bool,
    credit_available: Option<crate::domain::money::Money>,
    locale: crate::i18n::Locale,
) -> CheckoutDto {
    use rand::Rng;
    let now = crate::backend::platform::clock::now();
    CheckoutDto {
        approval_by: vec![],
        approval_reasons: vec![],
        cart: crate::api::cart::convert::cart_dto(cart, locale),
        ship_to: ship_to
            .into_iter()
            .map(|s| ShipToDto { id: s.id.0, label: format!("{} — {}, {}", s.name, s.address, s.city) })
            .collect(),
        default_ship_to: default_ship_to.map(|l| l.0),
        terms: crate::format::terms(terms, locale),
        po_required,
        credit_available: credit_available.map(|m| crate::format::money(m, locale)),
        can_place: true,
        idempotency_key: format!("{:032x}", rand::thread_rng().gen::<u128>()),
        today: crate::domain::order::iso_date(now.div_euclid(86_400)),
    }
}

/// An accepted quote's checkout (placing it may still become a purchase request when approval
/// rules apply: `orders::place_quote`).
#[cfg(feature = "ssr")]
pub fn quote_checkout_dto(c: crate::backend::orders::QuoteCheckout, locale: crate::i18n::Locale) -> CheckoutDto {
    checkout_dto(c.view, c.ship_to, c.default_ship_to, c.terms, c.po_required, c.credit_available, locale)
}

#[server(endpoint = "orders/checkout")]
pub async fn get_checkout() -> Result<CheckoutDto, AppError> {
    use crate::backend::{orders, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let c = orders::checkout(&state, &actor, locale, clock::now()).await?;
    let (approval_by, approval_reasons) =
        crate::api::approvals::describe_verdict(&state, &actor, &c.verdict, locale).await?;
    Ok(CheckoutDto {
        approval_by,
        approval_reasons,
        can_place: c.can_place,
        ..checkout_dto(c.cart, c.ship_to, c.default_ship_to, c.terms, c.po_required, c.credit_available, locale)
    })
}

/// Places the reviewed cart as an order, exactly once per `idempotency_key`.
#[server(endpoint = "orders/place")]
pub async fn place_order(
    idempotency_key: String,
    fingerprint: String,
    #[server(default)] ship_to: String,
    #[server(default)] po_number: String,
    #[server(default)] note: String,
    #[server(default)] requested_date: String,
    // The checkout page's summary of what the buyer saw (JSON, `pages::checkout::SeenLine`),
    // handed back to the page when the cart changed meanwhile; API clients leave it out.
    #[server(default)] seen: String,
) -> Result<PlaceDto, AppError> {
    use crate::backend::{orders, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let form_post = crate::api::form_post();
    // A plain form post that did not place comes back to the checkout with what was typed.
    let back = |extra: &str| {
        let mut url = format!(
            "/checkout?ship_to={}&po_number={}&note={}&requested_date={}",
            crate::url::encode_component(&ship_to),
            crate::url::encode_component(&po_number),
            crate::url::encode_component(&note),
            crate::url::encode_component(&requested_date)
        );
        url.push_str(extra);
        url
    };
    let placed = async {
        let (state, actor) = authorize(Permission::CartManage).await?;
        let locale = crate::i18n::request_locale();
        let form = orders::PlaceForm {
            idempotency_key: idempotency_key.clone(),
            fingerprint: fingerprint.clone(),
            ship_to: ship_to.clone(),
            po_number: po_number.clone(),
            note: note.clone(),
            requested_date: requested_date.clone(),
        };
        Ok::<_, AppError>((orders::place(&state, &actor, locale, form, clock::now()).await?, locale))
    }
    .await;
    match placed {
        Ok((orders::Placed::Order(number), _)) => {
            // A form post lands on its order.
            leptos_axum::redirect(&format!("/orders/{number}?placed=1"));
            Ok(PlaceDto::Placed { number: number.to_string() })
        }
        Ok((orders::Placed::Changed(view), locale)) => {
            if form_post {
                // What the buyer saw rides along, so the page can list what changed (a huge cart
                // gets the notice without the list rather than an oversized URL).
                let seen = if seen.len() <= 16 * 1024 { seen.as_str() } else { "[]" };
                leptos_axum::redirect(&back(&format!("&seen={}", crate::url::encode_component(seen))));
            }
            Ok(PlaceDto::Changed { cart: crate::api::cart::convert::cart_dto(view, locale) })
        }
        Ok((orders::Placed::Requested(id), _)) => {
            let number = crate::domain::approval::request_number(id);
            // A form post lands on its request, which says who must approve it.
            leptos_axum::redirect(&format!("/requests/{number}?sent=1"));
            Ok(PlaceDto::Requested { number })
        }
        Err(error) => {
            if form_post {
                // server_fn would send the error back without what was typed.
                use leptos::server_fn::ServerFn;
                let encoded = leptos::server_fn::error::ServerFnUrlError::new(PlaceOrder::PATH, error.clone())
                    .to_url(&format!("http://portal{}", back("")))
                    .map(|url| url.to_string().trim_start_matches("http://portal").to_string());
                if let Ok(url) = encoded {
                    leptos_axum::redirect(&url);
                }
            }
            Err(error)
        }
    }
}

pub const ORDERS_PAGE_SIZE: i64 = 25;

/// The order history, filtered by the page's URL parameters (raw; bad values are ignored).
#[server(endpoint = "orders/list")]
pub async fn list_orders(
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    location: Option<String>,
    po: Option<String>,
    placed_by: Option<String>,
    page: Option<String>,
) -> Result<OrdersDto, AppError> {
    use crate::api::catalog::{parse_filter, parse_page};
    use crate::backend::{orders, platform::guard::authorize, team};
    use crate::domain::order::parse_iso_date;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = crate::i18n::request_locale();
    let page = parse_page(page.as_deref()).min(10_000);
    let int = |v: Option<String>| parse_filter(v).and_then(|v| v.parse::<i64>().ok());
    let day = |v: Option<String>| parse_filter(v).and_then(|v| parse_iso_date(&v)).map(|d| d * 86_400);
    let filter = orders::OrderFilter {
        status: parse_filter(status).and_then(|s| OrderStatus::parse(&s)).map(|s| s.code().to_string()),
        from: day(from),
        // Up to and including the day picked.
        to: day(to).map(|t| t + 86_400),
        location: int(location).map(crate::domain::ids::LocationId),
        po: parse_filter(po),
        placed_by: int(placed_by).map(crate::domain::ids::MemberId),
        offset: (page - 1) * ORDERS_PAGE_SIZE,
        limit: ORDERS_PAGE_SIZE + 1,
    };
    let mut rows = orders::list(&state, &actor, filter).await?;
    let has_next = rows.len() as i64 > ORDERS_PAGE_SIZE;
    rows.truncate(ORDERS_PAGE_SIZE as usize);
    let locations = team::list_locations(&state, &actor).await?;
    let members = if actor.permissions.allows(Permission::OrdersViewAll) {
        team::member_names(&state, &actor).await?
    } else {
        vec![]
    };
    Ok(OrdersDto {
        rows: rows
            .into_iter()
            .map(|r| OrderRowDto {
                number: crate::domain::order::OrderNumber::from_id(r.id).to_string(),
                placed_at: crate::format::date(r.placed_at, locale),
                status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Placed),
                po_number: r.po_number,
                location: r.location,
                placed_by: r.placed_by,
                total: crate::format::money_minor(r.total_minor, &r.currency, locale),
                line_count: r.line_count,
            })
            .collect(),
        page,
        has_next,
        locations: locations
            .into_iter()
            .map(|l| FilterOption { code: l.id.0.to_string(), label: l.name, nested: false })
            .collect(),
        members: members
            .into_iter()
            .map(|(id, name)| FilterOption { code: id.0.to_string(), label: name, nested: false })
            .collect(),
    })
}

#[server(endpoint = "orders/get")]
pub async fn get_order(number: String) -> Result<OrderDto, AppError> {
    use crate::backend::{orders, platform::guard::authorize};
    use crate::domain::order::{OrderNumber, PaymentTerms};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = crate::i18n::request_locale();
    let number = OrderNumber::parse(&number).ok_or(AppError::NotFound)?;
    let d = orders::detail(&state, &actor, number).await?;
    let invoices = if actor.permissions.allows(Permission::InvoicesView) {
        crate::backend::invoices::repo::of_order(&state.pool, actor.company_id(), number.id().0)
            .await?
            .into_iter()
            .map(|(id, _, _)| crate::domain::invoice::invoice_number(id))
            .collect()
    } else {
        vec![]
    };
    let currency = d.header.row.currency.clone();
    let date = |t: i64| crate::format::date(t, locale);
    Ok(OrderDto {
        invoices,
        number: number.to_string(),
        status: OrderStatus::parse(&d.header.row.status).unwrap_or(OrderStatus::Placed),
        placed_at: date(d.header.row.placed_at),
        placed_by: d.header.row.placed_by.clone(),
        po_number: d.header.row.po_number.clone(),
        note: d.header.note.clone(),
        requested_date: d.header.requested_date.map(date),
        terms: crate::format::terms(
            PaymentTerms::parse(&d.header.payment_terms).unwrap_or(PaymentTerms::Prepaid),
            locale,
        ),
        ship_to: vec![
            d.header.ship_to.name.clone(),
            d.header.ship_to.address.clone(),
            format!("{} {}", d.header.ship_to.city, d.header.ship_to.country),
        ],
        total: crate::format::money_minor(d.header.row.total_minor, &currency, locale),
        lines: d
            .lines
            .into_iter()
            .map(|l| OrderLineDto {
                line_no: l.line_no,
                unit_price: crate::format::money_minor(l.unit_price_minor, &currency, locale),
                line_total: crate::format::money_minor(l.line_total_minor, &currency, locale),
                sku: l.sku,
                name: l.name,
                quantity: l.quantity,
            })
            .collect(),
        timeline: d.events.into_iter().map(|(s, at)| (s, date(at))).collect(),
        shipments: d
            .shipments
            .into_iter()
            .map(|(carrier, tracking_number, shipped, delivered)| ShipmentDto {
                carrier,
                tracking_number,
                shipped_at: date(shipped),
                delivered_at: delivered.map(date),
            })
            .collect(),
        can_reorder: actor.permissions.allows(Permission::CartManage),
    })
}

/// Puts an order's lines (all, or the picked line numbers) in the cart at today's prices.
#[server(endpoint = "orders/reorder")]
pub async fn reorder(number: String, #[server(default)] lines: Vec<i64>) -> Result<ReorderDto, AppError> {
    use crate::backend::{orders, platform::clock, platform::guard::authorize};
    use crate::domain::order::OrderNumber;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let number = OrderNumber::parse(&number).ok_or(AppError::NotFound)?;
    if lines.len() > 10_000 {
        return Err(AppError::invalid("lines", "error.bad_request"));
    }
    let picked: Option<std::collections::HashSet<i64>> = (!lines.is_empty()).then(|| lines.into_iter().collect());
    let (report, added) = orders::reorder(&state, &actor, locale, number, picked.as_ref(), clock::now()).await?;
    let money = |m: crate::domain::money::Money| crate::format::money(m, locale);
    let mut dto = ReorderDto {
        added,
        lines: report
            .into_iter()
            .map(|l| {
                let (new_price, problem, stock) = match l.outcome {
                    Ok((price, stock)) => (
                        (price != l.old_unit).then(|| money(price)),
                        None,
                        Some(crate::api::catalog::stock_dto(stock, locale)),
                    ),
                    Err(p) => (None, Some(p), None),
                };
                ReorderLineDto {
                    sku: l.sku,
                    name: l.name,
                    quantity: l.quantity,
                    old_price: money(l.old_unit),
                    new_price,
                    problem,
                    stock,
                }
            })
            .collect(),
    };
    if crate::api::form_post() {
        // The order page lists only lines with something to say (a problem, a new price, low stock).
        dto.lines.retain(|l| {
            l.problem.is_some()
                || l.new_price.is_some()
                || l.stock.as_ref().is_some_and(|s| s.level != crate::api::catalog::StockLevel::InStock)
        });
    }
    Ok(dto)
}

#[server(endpoint = "orders/buy_again")]
pub async fn buy_again() -> Result<Vec<PurchasedDto>, AppError> {
    use crate::backend::{orders, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = crate::i18n::request_locale();
    Ok(orders::buy_again(&state, &actor)
        .await?
        .into_iter()
        .take(500)
        .map(|p| PurchasedDto {
            last_price: crate::format::money_minor(p.unit_price_minor, &p.currency, locale),
            last_ordered: crate::format::date(p.placed_at, locale),
            sku: p.sku,
            name: p.name,
            last_quantity: p.last_quantity,
            times: p.times,
        })
        .collect())
}
