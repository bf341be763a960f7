//! A quote revision as a PDF in the reader's language: merchant and company, number, revision,
//! dates, the last valid day, lines, total and terms, through the shared machinery
//! (`backend::pdf`). Offered revisions only (the request itself has no prices to print).

use super::QuoteDetail;
use crate::backend::pdf::{self, Align, Column, Document, Table};
use crate::domain::money::{Currency, Money};
use crate::domain::quote::quote_number;
use crate::error::AppError;
use crate::i18n::{tr, Locale};

/// The document of revision `revision` of `d`; NotFound when it has no such offer.
pub fn document(d: &QuoteDetail, revision: i64, merchant: &str, locale: Locale) -> Result<Document, AppError> {
    let q = &d.row;
    let r = d.revisions.iter().find(|r| r.revision == revision).ok_or(AppError::NotFound)?;
    let currency = Currency::parse(&q.currency).map_err(|_| AppError::internal("quote currency"))?;
    let money = |minor: i64| crate::format::money(Money::from_minor(minor, currency), locale);
    let number = quote_number(q.id);
    let heading = tr!(locale, "quotes.pdf_doc.heading", number = number.as_str(), n = revision);
    let rows: Vec<Vec<String>> = d
        .lines
        .iter()
        .filter(|l| l.revision == revision)
        .map(|l| {
            let price = l.offered_price_minor.unwrap_or(0);
            vec![
                l.sku.clone(),
                l.name.clone(),
                crate::format::number(l.quantity, locale),
                money(price),
                l.quantity.checked_mul(price).map(money).unwrap_or_default(),
            ]
        })
        .collect();
    let message = d
        .messages
        .iter()
        .find(|m| m.kind == "offered" && m.revision == revision)
        .map(|m| m.body.clone())
        .filter(|b| !b.is_empty());
    let valid_until = crate::format::date(r.expires_at - 1, locale);
    let mut notes = vec![tr!(locale, "quotes.pdf_doc.terms", date = valid_until.as_str())];
    notes.extend(message);
    Ok(Document {
        title: heading.clone(),
        lang: locale.tag().to_string(),
        rtl: locale == Locale::Ar,
        heading,
        parties: vec![
            (tr!(locale, "quotes.pdf_doc.from"), vec![merchant.to_string()]),
            (
                tr!(locale, "quotes.pdf_doc.for"),
                vec![q.company_name.clone(), q.location_name.clone(), q.requester_name.clone()],
            ),
        ],
        facts: vec![
            (tr!(locale, "quotes.quote"), number.clone()),
            (tr!(locale, "quotes.revision"), revision.to_string()),
            (tr!(locale, "quotes.requested"), crate::format::date(q.created_at, locale)),
            (tr!(locale, "quotes.pdf_doc.offered_on"), crate::format::date(r.offered_at, locale)),
            (tr!(locale, "quotes.valid_until"), valid_until.clone()),
            (tr!(locale, "shell.currency"), q.currency.clone()),
        ],
        table: Table {
            columns: vec![
                Column::new(tr!(locale, "product.sku"), 1.4, Align::Start),
                Column::new(tr!(locale, "cart.product"), 3.2, Align::Start),
                Column::new(tr!(locale, "product.quantity"), 0.9, Align::End),
                Column::new(tr!(locale, "quotes.offered_price"), 1.3, Align::End),
                Column::new(tr!(locale, "cart.line_total"), 1.4, Align::End),
            ],
            rows,
        },
        totals: vec![(tr!(locale, "cart.total"), money(r.total_minor))],
        notes,
        footer: format!("{merchant} · {number}"),
        page_label: tr!(locale, "quotes.pdf_doc.page"),
    })
}

/// The PDF bytes (rendered off the async workers).
pub async fn render(doc: Document) -> Result<Vec<u8>, AppError> {
    pdf::render_off_thread(doc).await.map_err(|e| AppError::internal(format!("pdf: {e}")))
}
