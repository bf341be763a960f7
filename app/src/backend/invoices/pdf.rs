//! An invoice as a PDF in the reader's language, through the shared machinery (`backend::pdf`):
//! merchant and bill-to, numbers, dates, terms, lines, totals and the amount due, formatted by
//! the same `format` module as the pages.

use super::InvoiceDetail;
use crate::backend::pdf::{Align, Column, Document, Table};
use crate::domain::invoice::invoice_number;
use crate::domain::money::{Currency, Money};
use crate::domain::order::{OrderNumber, PaymentTerms};
use crate::error::AppError;
use crate::i18n::{tr, Locale};

pub fn document(d: &InvoiceDetail, merchant: &str, locale: Locale) -> Result<Document, AppError> {
    let r = &d.row;
    let currency = Currency::parse(&r.currency).map_err(|_| AppError::internal("invoice currency"))?;
    let money = |minor: i64| crate::format::money(Money::from_minor(minor, currency), locale);
    let number = invoice_number(r.id);
    let order = OrderNumber::from_id(crate::domain::ids::OrderId(r.order_id)).to_string();
    let heading = tr!(locale, "invoices.pdf.heading", number = number.as_str());
    let mut facts = vec![
        (tr!(locale, "invoices.number"), number.clone()),
        (tr!(locale, "invoices.issued"), crate::format::day(r.issued_on, locale)),
        (tr!(locale, "invoices.due"), crate::format::day(r.due_on, locale)),
        (
            tr!(locale, "checkout.terms"),
            crate::format::terms(PaymentTerms::parse(&r.payment_terms).unwrap_or(PaymentTerms::Prepaid), locale),
        ),
        (tr!(locale, "orders.number"), order),
        (tr!(locale, "shell.currency"), r.currency.clone()),
    ];
    if !r.po_number.is_empty() {
        facts.push((tr!(locale, "checkout.po_number"), r.po_number.clone()));
    }
    Ok(Document {
        title: heading.clone(),
        lang: locale.tag().to_string(),
        rtl: locale == Locale::Ar,
        heading,
        parties: vec![
            (tr!(locale, "quotes.pdf_doc.from"), vec![merchant.to_string()]),
            (
                tr!(locale, "invoices.pdf.bill_to"),
                vec![
                    r.company_name.clone(),
                    r.location_name.clone(),
                    r.location_address.clone(),
                    format!("{} {}", r.location_city, r.location_country),
                ],
            ),
        ],
        facts,
        table: Table {
            columns: vec![
                Column::new(tr!(locale, "product.sku"), 1.4, Align::Start),
                Column::new(tr!(locale, "cart.product"), 3.2, Align::Start),
                Column::new(tr!(locale, "product.quantity"), 0.9, Align::End),
                Column::new(tr!(locale, "product.unit_price"), 1.3, Align::End),
                Column::new(tr!(locale, "cart.line_total"), 1.4, Align::End),
            ],
            rows: d
                .lines
                .iter()
                .map(|l| {
                    vec![
                        l.sku.clone(),
                        l.name.clone(),
                        crate::format::number(l.quantity, locale),
                        money(l.unit_price_minor),
                        money(l.line_total_minor),
                    ]
                })
                .collect(),
        },
        totals: vec![
            (tr!(locale, "cart.total"), money(r.total_minor)),
            (tr!(locale, "invoices.paid"), money(r.paid_minor)),
            (tr!(locale, "invoices.amount_due"), money(r.total_minor - r.paid_minor)),
        ],
        notes: vec![tr!(locale, "invoices.pdf.note", date = crate::format::day(r.due_on, locale))],
        footer: format!("{merchant} · {number}"),
        page_label: tr!(locale, "quotes.pdf_doc.page"),
    })
}

/// The statement of account as a PDF: the same entries and balances as the CSV, in the reader's
/// language, amounts formatted as on the pages.
pub fn statement_document(
    s: &super::Statement,
    company: &str,
    merchant: &str,
    locale: Locale,
) -> Result<Document, AppError> {
    use crate::domain::order::iso_date;
    let currency = Currency::parse(&s.currency).map_err(|_| AppError::internal("statement currency"))?;
    let money = |minor: i64| crate::format::money(Money::from_minor(minor, currency), locale);
    let day = |d: i64| crate::format::day(d, locale);
    let heading = tr!(locale, "invoices.statement.heading", company = company);
    let rows = s
        .rows()
        .into_iter()
        .map(|(on, kind, reference, debit, credit, balance)| {
            vec![
                day(on),
                tr!(locale, &format!("invoices.statement.{kind}")),
                reference.to_string(),
                if debit > 0 { money(debit) } else { String::new() },
                if credit > 0 { money(credit) } else { String::new() },
                money(balance),
            ]
        })
        .collect();
    let (invoiced, paid) = s.entries.iter().fold((0, 0), |(d, c), e| (d + e.3, c + e.4));
    Ok(Document {
        title: heading.clone(),
        lang: locale.tag().to_string(),
        rtl: locale == Locale::Ar,
        heading,
        parties: vec![
            (tr!(locale, "quotes.pdf_doc.from"), vec![merchant.to_string()]),
            (tr!(locale, "invoices.pdf.bill_to"), vec![company.to_string()]),
        ],
        facts: vec![
            (tr!(locale, "invoices.statement.from"), day(s.from)),
            (tr!(locale, "invoices.statement.until"), day(s.until)),
            (tr!(locale, "shell.currency"), s.currency.clone()),
        ],
        table: Table {
            columns: vec![
                Column::new(tr!(locale, "invoices.statement.date"), 1.3, Align::Start),
                Column::new(tr!(locale, "invoices.statement.kind"), 1.5, Align::Start),
                Column::new(tr!(locale, "invoices.statement.reference"), 1.7, Align::Start),
                Column::new(tr!(locale, "invoices.statement.debit"), 1.3, Align::End),
                Column::new(tr!(locale, "invoices.statement.credit"), 1.3, Align::End),
                Column::new(tr!(locale, "invoices.balance_short"), 1.4, Align::End),
            ],
            rows,
        },
        totals: vec![
            (tr!(locale, "invoices.statement.opening"), money(s.opening)),
            (tr!(locale, "invoices.statement.debit"), money(invoiced)),
            (tr!(locale, "invoices.statement.credit"), money(paid)),
            (tr!(locale, "invoices.statement.closing"), money(s.closing)),
        ],
        notes: vec![],
        footer: format!("{merchant} · {company} · {}–{}", iso_date(s.from), iso_date(s.until)),
        page_label: tr!(locale, "quotes.pdf_doc.page"),
    })
}

/// The PDF bytes (rendered off the async workers).
pub async fn render(doc: Document) -> Result<Vec<u8>, AppError> {
    crate::backend::pdf::render_off_thread(doc).await.map_err(|e| AppError::internal(format!("pdf: {e}")))
}
