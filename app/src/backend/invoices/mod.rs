//! Invoices: written with the shipment they bill (`record_shipment`), listed with the company's
//! open and overdue totals, ageing and credit, and printed through the shared PDF machinery
//! (`pdf.rs`). Overdue is computed against today in the company's time zone, never stored.

pub mod pdf;
pub mod repo;

use super::platform::clock;
use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::ids::CompanyId;
use crate::domain::invoice::{ageing, days_overdue, due_day, Bucket, Credit, InvoiceStatus};
use crate::domain::order::PaymentTerms;
use crate::error::AppError;
pub use repo::{InvoiceFilter, InvoiceRow, LineRow};

/// Records a shipment of `shipped` (order line, quantity) and, in the same transaction, its
/// invoice: issued on the shipping day in the company's time zone, due by the order's terms. A
/// prepaid order has one invoice for all of it, written with its first shipment. With
/// `mail_from` (the portal's public URL) the invoice is mailed, PDF attached, to the company's
/// billing contact in the same transaction; the demo's past shipments pass `None`. `None` when
/// the order is not the company's, or a prepaid order is invoiced already.
#[allow(clippy::too_many_arguments)]
pub async fn record_shipment(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    mail_from: Option<&str>,
    company: CompanyId,
    order: i64,
    shipped: &[(i64, i64)],
    carrier: &str,
    tracking: &str,
    shipped_at: i64,
    delivered_at: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    let Some((currency, terms)) = repo::order_terms(&mut **tx, company, order).await? else { return Ok(None) };
    let shipment = repo::insert_shipment(tx, order, shipped, carrier, tracking, shipped_at, delivered_at).await?;
    let (time_zone, _, _) = repo::company_billing(&mut **tx, company).await?;
    let issued_on = clock::local_day(&time_zone, shipped_at);
    let terms_parsed = PaymentTerms::parse(&terms).unwrap_or(PaymentTerms::Prepaid);
    let whole_order;
    let billed = if terms_parsed == PaymentTerms::Prepaid {
        if repo::invoice_count(&mut **tx, company, order).await? > 0 {
            return Ok(None);
        }
        whole_order = repo::order_quantities(&mut **tx, company, order).await?;
        &whole_order[..]
    } else {
        shipped
    };
    let new = repo::NewInvoice {
        company,
        order,
        shipment: Some(shipment),
        currency: &currency,
        payment_terms: &terms,
        issued_on,
        due_on: due_day(terms_parsed, issued_on),
        now: shipped_at,
    };
    let Some(id) = repo::insert(tx, &new, billed).await? else { return Ok(None) };
    if let Some(public_url) = mail_from {
        mail_invoice(tx, public_url, company, id, shipped_at).await?;
    }
    Ok(Some(id))
}

/// Queues the invoice mail to the company's billing contact, in their language (a member's own,
/// else the company's), the PDF attached when sent (`attacher`). No contact set: no mail.
pub async fn mail_invoice(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    public_url: &str,
    company: CompanyId,
    id: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    use crate::i18n::tr;
    let Some((email, locale)) = repo::billing_contact(&mut **tx, company).await? else { return Ok(false) };
    let locale = locale.as_deref().and_then(crate::i18n::Locale::parse).unwrap_or_default();
    let Some(row) = repo::get(&mut **tx, company, id).await? else { return Ok(false) };
    let number = crate::domain::invoice::invoice_number(id);
    let merchant = super::platform::state::read_merchant_name(&mut **tx).await?;
    let subject = tr!(locale, "mail.invoice.subject", number = number.as_str(), merchant = merchant.as_str());
    let body = format!(
        "{}\n\n{}\n",
        tr!(
            locale,
            "mail.invoice.body",
            number = number.as_str(),
            amount = crate::format::money_minor(row.total_minor - row.paid_minor, &row.currency, locale).as_str(),
            date = crate::format::day(row.due_on, locale).as_str()
        ),
        format_args!("{public_url}/invoices/{number}")
    );
    let attachment = format!("invoice:{id}:{}", locale.tag());
    super::platform::mail::enqueue_with(tx, &email, &subject, &body, Some(&attachment), at).await?;
    Ok(true)
}

/// Renders what an invoice mail names (`invoice:<id>:<language>`): the invoice as it stands when
/// the mail is sent, as a PDF in the mail's language.
pub fn attacher(state: AppState) -> super::platform::mail::Attacher {
    std::sync::Arc::new(move |key: String| {
        let state = state.clone();
        Box::pin(async move {
            let mut parts = key.split(':');
            let (Some("invoice"), Some(id), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("unknown attachment {key}"));
            };
            let id: i64 = id.parse().map_err(|_| format!("unknown attachment {key}"))?;
            let locale = crate::i18n::Locale::parse(tag).unwrap_or_default();
            let company =
                repo::company_of(&state.pool, id).await.map_err(|e| e.to_string())?.ok_or("no such invoice")?;
            // Whatever catalog this server has: the names only need to be current enough.
            let seen = 0;
            let made = async {
                let d = detail_of(&state, company, seen, id, locale).await?;
                let merchant = super::platform::state::merchant_name(&state).await?;
                pdf::render(pdf::document(&d, &merchant, locale)?).await
            };
            let bytes = made.await.map_err(|e| format!("invoice pdf: {e:?}"))?;
            Ok(super::platform::mail::Attachment {
                file_name: format!("{}.pdf", crate::domain::invoice::invoice_number(id)),
                content_type: "application/pdf".into(),
                bytes,
            })
        })
    })
}

async fn time_zone(state: &AppState, company: CompanyId) -> Result<(String, String, i64), AppError> {
    Ok(repo::company_billing(&state.pool, company).await?)
}

/// The company's today (days since 1970-01-01 in its time zone).
pub async fn today(state: &AppState, company: CompanyId) -> Result<i64, AppError> {
    Ok(clock::local_day(&time_zone(state, company).await?.0, clock::now()))
}

/// What /invoices shows above the list, in the company's currency.
pub struct Overview {
    pub currency: String,
    pub today: i64,
    pub open: i64,
    pub overdue: i64,
    pub ageing: Vec<(Bucket, i64)>,
    pub credit: Credit,
}

pub async fn overview(state: &AppState, actor: &Actor) -> Result<Overview, AppError> {
    let company = actor.company_id();
    let (tz, currency, limit) = time_zone(state, company).await?;
    let today = clock::local_day(&tz, clock::now());
    // Only the company's currency counts: an invoice in another one is never summed in.
    let owing: Vec<(i64, i64)> = repo::owing(&state.pool, company)
        .await?
        .into_iter()
        .filter(|(c, _, _)| *c == currency)
        .map(|(_, due, open)| (days_overdue(InvoiceStatus::Open, due, today), open))
        .collect();
    let ageing = ageing(&owing).ok_or_else(|| AppError::internal("ageing overflow"))?;
    let open = ageing.iter().map(|(_, a)| *a).sum::<i64>();
    let overdue = ageing.iter().filter(|(b, _)| *b != Bucket::Current).map(|(_, a)| *a).sum::<i64>();
    // The same balance checkout and placing count against the limit.
    let balance = super::orders::repo::credit_balance(&state.pool, company, &currency).await?;
    Ok(Overview { currency, today, open, overdue, ageing, credit: Credit { limit, balance } })
}

pub async fn list(state: &AppState, actor: &Actor, filter: &InvoiceFilter) -> Result<Vec<InvoiceRow>, AppError> {
    Ok(repo::list(&state.pool, actor.company_id(), filter, 200).await?)
}

pub struct InvoiceDetail {
    pub row: InvoiceRow,
    pub lines: Vec<LineRow>,
    /// (received on, reference, amount applied)
    pub payments: Vec<(i64, String, i64)>,
    pub today: i64,
}

/// One invoice of the caller's company, its product names in the reader's language where the
/// catalog still has the SKU (the stored name, as billed, otherwise).
pub async fn detail(
    state: &AppState,
    actor: &Actor,
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<InvoiceDetail, AppError> {
    detail_of(state, actor.company_id(), actor.seen, id, locale).await
}

async fn detail_of(
    state: &AppState,
    company: CompanyId,
    seen: i64,
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<InvoiceDetail, AppError> {
    let row = repo::get(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    let catalog = state.read.catalog(&state.pool, seen).await?;
    let mut lines = repo::lines(&state.pool, company, id).await?;
    for line in &mut lines {
        if let Some((product, _)) = catalog.variant_by_sku(&line.sku) {
            line.name = product.name(locale).to_string();
        }
    }
    Ok(InvoiceDetail {
        lines,
        payments: repo::payments(&state.pool, company, id).await?,
        today: today(state, company).await?,
        row,
    })
}

/// What the desk records: an amount as typed (in the company's currency), the day it was
/// received (YYYY-MM-DD), a reference, and the invoices it pays, in the order given.
pub struct PaymentForm {
    pub amount: String,
    pub received_on: String,
    pub reference: String,
    pub invoices: Vec<i64>,
}

/// Records a payment against one or several invoices of one company: all or nothing. Refused:
/// nothing picked, an amount that is not a positive amount of the company's currency, an invoice
/// in another currency or void, or more than the picked invoices owe.
pub async fn record_payment(
    state: &AppState,
    staff: &super::platform::guard::Staff,
    company: CompanyId,
    form: PaymentForm,
    now: i64,
) -> Result<i64, AppError> {
    use crate::domain::invoice::{allocate, PaymentProblem};
    use crate::error::FieldError;
    let (tz, currency, _) = time_zone(state, company).await.map_err(|_| AppError::NotFound)?;
    let mut errors = vec![];
    let code = crate::domain::money::Currency::parse(&currency).map_err(|_| AppError::internal("company currency"))?;
    let amount = crate::domain::money::Money::parse_decimal(&form.amount, code).map(|m| m.minor());
    if amount.is_none() {
        errors.push(FieldError { field: "amount".into(), key: "invoices.amount_invalid".into() });
    }
    let today = clock::local_day(&tz, now);
    let received_on = match crate::domain::order::parse_iso_date(&form.received_on) {
        Some(day) if day <= today && day > today - 366 => Some(day),
        _ => {
            errors.push(FieldError { field: "received_on".into(), key: "invoices.received_invalid".into() });
            None
        }
    };
    let reference = form.reference.trim().to_string();
    if reference.is_empty() || reference.chars().count() > 80 || reference.chars().any(char::is_control) {
        errors.push(FieldError { field: "reference".into(), key: "invoices.reference_invalid".into() });
    }
    let mut picked = vec![];
    for id in &form.invoices {
        match repo::get(&state.pool, company, *id).await? {
            Some(row) => picked.push(row),
            None => return Err(AppError::NotFound),
        }
    }
    if picked.is_empty() {
        errors.push(FieldError { field: "invoices".into(), key: "invoices.none_picked".into() });
    }
    let (Some(amount), Some(received_on), true) = (amount, received_on, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let owed: Vec<(&str, i64, bool)> = picked
        .iter()
        .map(|r| (r.currency.as_str(), r.total_minor - r.paid_minor, r.status == InvoiceStatus::Void.code()))
        .collect();
    let parts = allocate(amount, &currency, &owed).map_err(|p| {
        AppError::invalid(
            "amount",
            match p {
                PaymentProblem::NotPositive => "invoices.amount_invalid",
                PaymentProblem::OtherCurrency => "invoices.other_currency",
                PaymentProblem::MoreThanOpen => "invoices.more_than_open",
                PaymentProblem::Void => "invoices.void_picked",
            },
        )
    })?;
    let allocations: Vec<(i64, i64)> = picked.iter().map(|r| r.id).zip(parts).collect();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let id = repo::insert_payment(
        &mut tx,
        company,
        &currency,
        amount,
        received_on,
        &reference,
        Some(staff.user_id.0),
        &allocations,
        now,
    )
    .await?;
    let Some(id) = id else {
        // Another payment got there first: nothing of this one is kept.
        tx.rollback().await?;
        return Err(AppError::invalid("amount", "invoices.more_than_open"));
    };
    tx.commit().await?;
    Ok(id)
}

/// An accounts statement for a period: what was owed before it, each invoice (debit) and payment
/// (credit) in it by day, and what is owed at its end; the company's currency only.
pub struct Statement {
    pub company: CompanyId,
    pub currency: String,
    pub from: i64,
    pub until: i64,
    pub opening: i64,
    /// (day, "invoice" or "payment", number or reference, debit, credit)
    pub entries: Vec<(i64, &'static str, String, i64, i64)>,
    pub closing: i64,
}

impl Statement {
    /// Every row as the CSV and the PDF print it, with the balance after it: the opening
    /// balance, each entry, the closing balance. (day, kind: `opening`, `invoice`, `payment` or
    /// `closing` (an `invoices.statement.*` key), reference, debit, credit, balance)
    pub fn rows(&self) -> Vec<(i64, &'static str, &str, i64, i64, i64)> {
        let mut balance = self.opening;
        let mut rows = vec![(self.from, "opening", "", 0, 0, balance)];
        for (day, kind, reference, debit, credit) in &self.entries {
            balance += debit - credit;
            rows.push((*day, *kind, reference.as_str(), *debit, *credit, balance));
        }
        rows.push((self.until, "closing", "", 0, 0, self.closing));
        rows
    }
}

pub async fn statement(state: &AppState, actor: &Actor, from: i64, until: i64) -> Result<Statement, AppError> {
    let company = actor.company_id();
    let (_, currency, _) = time_zone(state, company).await?;
    let (billed_before, paid_before) = repo::totals_before(&state.pool, company, &currency, from).await?;
    let invoices = repo::invoices_between(&state.pool, company, &currency, from, until).await?;
    let payments = repo::payments_between(&state.pool, company, &currency, from, until).await?;
    let mut entries: Vec<(i64, &'static str, String, i64, i64)> = invoices
        .into_iter()
        .map(|(day, id, total)| (day, "invoice", crate::domain::invoice::invoice_number(id), total, 0))
        .chain(payments.into_iter().map(|(day, reference, amount)| (day, "payment", reference, 0, amount)))
        .collect();
    entries.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let opening = billed_before - paid_before;
    let closing = entries.iter().fold(opening, |balance, e| balance + e.3 - e.4);
    Ok(Statement { company, currency, from, until, opening, entries, closing })
}

/// The company's name, as the statement heads it.
pub async fn company_name(state: &AppState, company: CompanyId) -> Result<String, AppError> {
    let (name,): (String,) =
        sqlx::query_as("SELECT name FROM companies WHERE id = $1").bind(company.0).fetch_one(&state.pool).await?;
    Ok(name)
}

/// The company's billing settings: where invoices are mailed, and whether an order above the
/// available credit is refused or sent for approval.
pub struct Billing {
    pub email: Option<String>,
    pub over_credit_approval: bool,
}

pub async fn billing(state: &AppState, actor: &Actor) -> Result<Billing, AppError> {
    let (email, over_credit) = repo::billing_settings(&state.pool, actor.company_id()).await?;
    Ok(Billing { email, over_credit_approval: over_credit == "approval" })
}

/// Sets them (who holds `team.manage`; the caller checked), audited. An empty address means no
/// invoice mail.
pub async fn set_billing(
    state: &AppState,
    actor: &Actor,
    email: &str,
    over_credit_approval: bool,
) -> Result<(), AppError> {
    use super::team::audit::{self, Action, Who};
    let email = match email.trim() {
        "" => None,
        typed => Some(
            crate::domain::email::Email::parse(typed)
                .map_err(|_| AppError::invalid("billing_email", "invoices.billing.email_invalid"))?
                .as_str()
                .to_string(),
        ),
    };
    let company = actor.company_id();
    let over_credit = if over_credit_approval { "approval" } else { "refuse" };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    sqlx::query("UPDATE companies SET billing_email = $1, over_credit = $2 WHERE id = $3")
        .bind(email.as_deref())
        .bind(over_credit)
        .bind(company.0)
        .execute(&mut *tx)
        .await?;
    let who = Who::user(&mut tx, actor.user_id).await?;
    let detail = format!("{} · {over_credit}", email.as_deref().unwrap_or("-"));
    audit::record(&mut tx, company, &who, Action::BillingChanged, "", &detail, clock::now()).await?;
    tx.commit().await?;
    Ok(())
}
