//! Invoices for who holds `invoices.view` (Finance, Admin): the list with open and overdue totals,
//! ageing and credit, one invoice with its lines and payments, and its PDF. An invoice is named
//! by its number (`INV-200001`); another company's is NotFound like a missing one.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRowDto {
    pub number: String,
    pub order_number: String,
    pub po_number: String,
    pub location: String,
    /// `open`, `partly_paid`, `paid`, `void`.
    pub status: String,
    pub issued: String,
    pub due: String,
    /// Days past due today (0: not overdue).
    pub days_overdue: i64,
    pub total: String,
    pub open: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoicesDto {
    pub rows: Vec<InvoiceRowDto>,
    pub currency: String,
    pub open: String,
    pub overdue: String,
    /// (bucket code, amount) from current to over 90 days.
    pub ageing: Vec<(String, String)>,
    pub credit_limit: String,
    pub balance: String,
    pub available: String,
    /// The member's locations, for the filter: (id, name).
    pub locations: Vec<(i64, String)>,
    /// Billing settings, shown to who may change them (`team.manage`).
    pub billing: Option<BillingDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingDto {
    pub email: String,
    pub over_credit_approval: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLineDto {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: String,
    pub line_total: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDto {
    pub row: InvoiceRowDto,
    pub terms: String,
    pub paid: String,
    pub lines: Vec<InvoiceLineDto>,
    /// (received on, reference, amount applied)
    pub payments: Vec<(String, String, String)>,
    pub pdf: String,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use crate::backend::invoices::InvoiceRow;
    use crate::domain::invoice::{days_overdue, invoice_number, InvoiceStatus};
    use crate::i18n::Locale;

    pub fn row(r: &InvoiceRow, today: i64, locale: Locale) -> InvoiceRowDto {
        let status = InvoiceStatus::parse(&r.status).unwrap_or(InvoiceStatus::Open);
        InvoiceRowDto {
            number: invoice_number(r.id),
            order_number: crate::domain::order::OrderNumber::from_id(crate::domain::ids::OrderId(r.order_id))
                .to_string(),
            po_number: r.po_number.clone(),
            location: r.location_name.clone(),
            status: r.status.clone(),
            issued: crate::format::day(r.issued_on, locale),
            due: crate::format::day(r.due_on, locale),
            days_overdue: days_overdue(status, r.due_on, today),
            total: crate::format::money_minor(r.total_minor, &r.currency, locale),
            open: crate::format::money_minor(
                if status.owing() { r.total_minor - r.paid_minor } else { 0 },
                &r.currency,
                locale,
            ),
        }
    }
}

/// Filters as the URL carries them: `status`, `overdue`, `from`/`until` (YYYY-MM-DD),
/// `location` (id), `q` (an order number or part of a PO number).
#[server(endpoint = "invoices/list")]
pub async fn list_invoices(
    #[server(default)] status: String,
    #[server(default)] overdue: bool,
    #[server(default)] from: String,
    #[server(default)] until: String,
    #[server(default)] location: i64,
    #[server(default)] q: String,
) -> Result<InvoicesDto, AppError> {
    use crate::backend::invoices::{self, InvoiceFilter};
    use crate::backend::platform::guard::authorize;
    use crate::domain::invoice::InvoiceStatus;
    use crate::domain::order::parse_iso_date;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::InvoicesView).await?;
    let locale = crate::i18n::request_locale();
    let o = invoices::overview(&state, &actor).await?;
    let q = q.trim();
    let order = crate::domain::order::OrderNumber::parse(q).map(|n| n.id().0);
    let filter = InvoiceFilter {
        status: InvoiceStatus::parse(&status).map(|s| s.code().to_string()),
        overdue_on: overdue.then_some(o.today),
        from_day: parse_iso_date(&from),
        until_day: parse_iso_date(&until),
        location: (location > 0).then_some(location),
        order,
        po: (order.is_none() && !q.is_empty()).then(|| q.chars().take(35).collect()),
    };
    let rows = invoices::list(&state, &actor, &filter).await?;
    let locations = crate::backend::orders::repo::ship_to_locations(&state.pool, actor.company_id(), actor.member_id)
        .await?
        .into_iter()
        .map(|s| (s.id.0, s.name))
        .collect();
    let m = |minor: i64| crate::format::money_minor(minor, &o.currency, locale);
    Ok(InvoicesDto {
        rows: rows.iter().map(|r| convert::row(r, o.today, locale)).collect(),
        open: m(o.open),
        overdue: m(o.overdue),
        ageing: o.ageing.iter().map(|(b, a)| (b.code().to_string(), m(*a))).collect(),
        credit_limit: m(o.credit.limit),
        balance: m(o.credit.balance),
        available: m(o.credit.available()),
        currency: o.currency,
        locations,
        billing: match actor.permissions.allows(Permission::TeamManage) {
            true => {
                let b = invoices::billing(&state, &actor).await?;
                Some(BillingDto { email: b.email.unwrap_or_default(), over_credit_approval: b.over_credit_approval })
            }
            false => None,
        },
    })
}

/// Sets where invoices are mailed and what happens to an order above the available credit.
/// Answers `true` (a plain form post's page shows the answer: `components::outcome`).
#[server(endpoint = "invoices/billing")]
pub async fn set_billing(
    #[server(default)] email: String,
    #[server(default)] over_credit_approval: bool,
) -> Result<bool, AppError> {
    use crate::backend::platform::guard::authorize;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    crate::backend::invoices::set_billing(&state, &actor, &email, over_credit_approval).await?;
    Ok(true)
}

#[server(endpoint = "invoices/get")]
pub async fn get_invoice(number: String) -> Result<InvoiceDto, AppError> {
    use crate::backend::platform::guard::authorize;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::InvoicesView).await?;
    let locale = crate::i18n::request_locale();
    let id = crate::domain::invoice::parse_invoice_number(&number).ok_or(AppError::NotFound)?;
    let d = crate::backend::invoices::detail(&state, &actor, id, locale).await?;
    let r = &d.row;
    let row = convert::row(r, d.today, locale);
    Ok(InvoiceDto {
        terms: crate::format::terms(
            crate::domain::order::PaymentTerms::parse(&r.payment_terms)
                .unwrap_or(crate::domain::order::PaymentTerms::Prepaid),
            locale,
        ),
        paid: crate::format::money_minor(r.paid_minor, &r.currency, locale),
        lines: d
            .lines
            .iter()
            .map(|l| InvoiceLineDto {
                sku: l.sku.clone(),
                name: l.name.clone(),
                quantity: l.quantity,
                unit_price: crate::format::money_minor(l.unit_price_minor, &r.currency, locale),
                line_total: crate::format::money_minor(l.line_total_minor, &r.currency, locale),
            })
            .collect(),
        payments: d
            .payments
            .iter()
            .map(|(on, reference, amount)| {
                (
                    crate::format::day(*on, locale),
                    reference.clone(),
                    crate::format::money_minor(*amount, &r.currency, locale),
                )
            })
            .collect(),
        pdf: format!("/invoices/{}/pdf", row.number),
        row,
    })
}

/// GET /invoices/{number}/pdf: the invoice as a PDF in the reader's language.
#[cfg(feature = "ssr")]
pub async fn download_pdf(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Path(number): axum::extract::Path<String>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::backend::platform::guard::authorize_parts;
    use crate::domain::permission::Permission;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let made = async {
        let actor = authorize_parts(&state, &parts, Permission::InvoicesView).await?;
        let id = crate::domain::invoice::parse_invoice_number(&number).ok_or(AppError::NotFound)?;
        let d = crate::backend::invoices::detail(&state, &actor, id, locale).await?;
        let merchant = crate::backend::platform::state::merchant_name(&state).await?;
        let doc = crate::backend::invoices::pdf::document(&d, &merchant, locale)?;
        let bytes = crate::backend::invoices::pdf::render(doc).await?;
        Ok::<_, AppError>((crate::domain::invoice::invoice_number(id), bytes))
    }
    .await;
    match made {
        Ok((number, bytes)) => {
            crate::backend::platform::http::file_response("application/pdf", "inline", &format!("{number}.pdf"), bytes)
        }
        Err(e) => crate::backend::platform::http::error_response(&e, locale),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskInvoicesDto {
    /// Companies that owe something: (id, name).
    pub companies: Vec<(i64, String)>,
    /// The chosen company's, when one is chosen.
    pub company: Option<i64>,
    pub currency: String,
    pub invoices: Vec<InvoiceRowDto>,
    /// Today at the company, YYYY-MM-DD (the default day a payment was received).
    pub today: String,
}

/// The merchant's payments desk: companies owing money, and the chosen one's open invoices.
#[server(endpoint = "staff/invoices")]
pub async fn desk_invoices(#[server(default)] company: i64) -> Result<DeskInvoicesDto, AppError> {
    use crate::backend::invoices::{self, repo};
    use crate::backend::platform::guard::authorize_staff;
    let (state, staff) = authorize_staff().await?;
    let locale = crate::i18n::request_locale();
    let companies = repo::owing_companies(&state.pool, staff.desk).await?;
    let chosen = companies.iter().find(|(id, _, _)| *id == company).cloned();
    let (invoices, currency, today) = match &chosen {
        Some((id, _, currency)) => {
            let company = crate::domain::ids::CompanyId(*id);
            let today = invoices::today(&state, company).await?;
            let rows = repo::owing_of(&state.pool, staff.desk, company).await?;
            (rows.iter().map(|r| convert::row(r, today, locale)).collect(), currency.clone(), today)
        }
        None => (vec![], String::new(), crate::backend::platform::clock::now().div_euclid(86_400)),
    };
    Ok(DeskInvoicesDto {
        companies: companies.into_iter().map(|(id, name, _)| (id, name)).collect(),
        company: chosen.map(|c| c.0),
        currency,
        invoices,
        today: crate::domain::order::iso_date(today),
    })
}

/// Records a payment (amount in the company's currency, day received, reference) against the
/// picked invoices (`invoices[0]=INV-200001`…), in the order given. Answers true.
#[server(endpoint = "staff/record_payment")]
pub async fn record_payment(
    company: i64,
    amount: String,
    received_on: String,
    reference: String,
    #[server(default)] invoices: Vec<String>,
) -> Result<bool, AppError> {
    use crate::backend::invoices::{self, PaymentForm};
    use crate::backend::platform::{clock, guard::authorize_staff};
    let (state, staff) = authorize_staff().await?;
    let mut ids = vec![];
    for number in invoices.iter().filter(|n| !n.trim().is_empty()) {
        ids.push(crate::domain::invoice::parse_invoice_number(number).ok_or(AppError::NotFound)?);
    }
    let form = PaymentForm { amount, received_on, reference, invoices: ids };
    invoices::record_payment(&state, &staff, crate::domain::ids::CompanyId(company), form, clock::now()).await?;
    Ok(true)
}

/// The statement a download asks for: `from`/`until` (YYYY-MM-DD; default the last 90 days to
/// today at the company), for who holds `invoices.view`.
#[cfg(feature = "ssr")]
async fn load_statement(
    state: &crate::backend::platform::state::AppState,
    params: &std::collections::HashMap<String, String>,
    parts: &axum::http::request::Parts,
) -> Result<crate::backend::invoices::Statement, AppError> {
    use crate::backend::platform::guard::authorize_parts;
    use crate::domain::order::parse_iso_date;
    use crate::domain::permission::Permission;
    let actor = authorize_parts(state, parts, Permission::InvoicesView).await?;
    let today = crate::backend::invoices::today(state, actor.company_id()).await?;
    let day = |k: &str| params.get(k).and_then(|v| parse_iso_date(v));
    let until = day("until").unwrap_or(today);
    let from = day("from").unwrap_or(until - 90).min(until);
    crate::backend::invoices::statement(state, &actor, from, until).await
}

/// GET /invoices/statement.pdf?from=…&until=…: the same statement as a PDF in the reader's
/// language.
#[cfg(feature = "ssr")]
pub async fn statement_pdf(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::domain::order::iso_date;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let made = async {
        let s = load_statement(&state, &params, &parts).await?;
        let company = crate::backend::invoices::company_name(&state, s.company).await?;
        let merchant = crate::backend::platform::state::merchant_name(&state).await?;
        let doc = crate::backend::invoices::pdf::statement_document(&s, &company, &merchant, locale)?;
        let bytes = crate::backend::invoices::pdf::render(doc).await?;
        Ok::<_, AppError>((format!("statement-{}-{}.pdf", iso_date(s.from), iso_date(s.until)), bytes))
    }
    .await;
    match made {
        Ok((name, bytes)) => crate::backend::platform::http::file_response("application/pdf", "inline", &name, bytes),
        Err(e) => crate::backend::platform::http::error_response(&e, locale),
    }
}

/// GET /invoices/statement.csv?from=YYYY-MM-DD&until=YYYY-MM-DD (default: the last 90 days):
/// opening balance, every invoice and payment of the period with the running balance, closing
/// balance; amounts as plain decimals for accounting imports, labels in the reader's language.
#[cfg(feature = "ssr")]
pub async fn export_statement(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::domain::money::{Currency, Money};
    use crate::domain::order::iso_date;
    use crate::domain::order_entry::safe_cell;
    use crate::i18n::tr;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let s = match load_statement(&state, &params, &parts).await {
        Ok(s) => s,
        Err(e) => return crate::backend::platform::http::error_response(&e, locale),
    };
    let amount = |minor: i64| {
        Currency::parse(&s.currency).map(|c| Money::from_minor(minor, c).to_decimal_string()).unwrap_or_default()
    };
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(s.entries.len() * 60 + 200));
    let _ = writer.write_record([
        tr!(locale, "invoices.statement.date"),
        tr!(locale, "invoices.statement.kind"),
        tr!(locale, "invoices.statement.reference"),
        tr!(locale, "invoices.statement.debit"),
        tr!(locale, "invoices.statement.credit"),
        tr!(locale, "invoices.balance_short"),
        tr!(locale, "shell.currency"),
    ]);
    for (day, kind, reference, debit, credit, balance) in s.rows() {
        let _ = writer.write_record([
            iso_date(day),
            tr!(locale, &format!("invoices.statement.{kind}")),
            safe_cell(reference).to_string(),
            if debit > 0 { amount(debit) } else { String::new() },
            if credit > 0 { amount(credit) } else { String::new() },
            amount(balance),
            s.currency.clone(),
        ]);
    }
    let body = writer.into_inner().unwrap_or_default();
    let name = format!("statement-{}-{}.csv", iso_date(s.from), iso_date(s.until));
    crate::backend::platform::http::file_response("text/csv; charset=utf-8", "attachment", &name, body)
}
