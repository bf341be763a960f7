//! A history of past orders for every demo company, in every status, with shipments: priced by
//! the same read model and pricing as real orders (each demo buyer's own prices), written by
//! the same repository. Idempotent: an order is keyed by `demo-…` and made only when missing.

use crate::backend::catalog::offer::Offer;
use crate::backend::orders::repo::{self, NewLine, NewOrder};
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::backend::read_model::log;
use crate::domain::ids::{CompanyId, MemberId, UserId};
use crate::domain::order::OrderStatus;
use crate::domain::permission::{Permission, PermissionSet};
use crate::error::AppError;
use crate::i18n::Locale;

const DAY: i64 = 86_400;
/// Orders per demo buyer, newest first: (days ago, status, lines).
const HISTORY: [(i64, OrderStatus, usize); 9] = [
    (1, OrderStatus::Placed, 4),
    (3, OrderStatus::Confirmed, 7),
    (6, OrderStatus::PartlyShipped, 12),
    (9, OrderStatus::Shipped, 5),
    (16, OrderStatus::Delivered, 9),
    (23, OrderStatus::Cancelled, 3),
    (37, OrderStatus::Delivered, 15),
    (58, OrderStatus::Delivered, 6),
    (91, OrderStatus::Delivered, 24),
];

fn carrier(country: &str) -> &'static str {
    match country {
        "DE" => "DHL",
        "JP" => "Yamato",
        "VN" => "Giao Hàng Nhanh",
        "SA" => "Aramex",
        _ => "UPS",
    }
}

pub async fn seed_history(state: &AppState, now: i64) -> Result<(), AppError> {
    let buyers: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT m.id, m.user_id, m.company_id, c.default_locale, r.code FROM members m \
         JOIN roles r ON r.id = m.role_id JOIN companies c ON c.id = m.company_id \
         JOIN users u ON u.id = m.user_id WHERE r.code IN ('admin', 'buyer') AND u.email NOT LIKE $1 ORDER BY m.id",
    )
    .bind(format!("{}%", super::team::GENERATED))
    .fetch_all(&state.pool)
    .await?;
    let head = log::head(&state.pool).await?;
    for (member, user, company, locale, _) in buyers {
        let actor = Actor {
            user_id: UserId(user),
            member_id: MemberId(member),
            company_id: CompanyId(company),
            location_id: None,
            permissions: PermissionSet::new(Permission::ALL.to_vec()),
            session_hash: String::new(),
            seen: head,
        };
        // Every start-up runs this: a member whose history is complete costs one query.
        let (made,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM orders WHERE placed_by = $1 AND idempotency_key LIKE 'demo-%'")
                .bind(member)
                .fetch_one(&state.pool)
                .await?;
        if made as usize >= HISTORY.len() {
            continue;
        }
        let locale = Locale::parse(&locale).unwrap_or(Locale::En);
        let ship_to = repo::ship_to_locations(&state.pool, actor.company_id, actor.member_id).await?;
        // Orders carry the company's terms (prepaid ones are invoiced once, whole).
        let (terms,): (String,) = sqlx::query_as("SELECT payment_terms FROM companies WHERE id = $1")
            .bind(actor.company_id.0)
            .fetch_one(&state.pool)
            .await?;
        let Some(ship) = ship_to.first() else { continue };
        let offered = Offer::load(state, &actor, now).await?;
        // Every seventh priced variant the member can buy, so histories differ between companies.
        let mut offer = vec![];
        for (product, v, price) in offered.orderable() {
            offer.push((v.clone(), product.name(locale).to_string(), price));
            if offer.len() > 400 {
                break;
            }
        }
        if offer.len() < 30 {
            continue;
        }
        for (n, (days_ago, status, line_count)) in HISTORY.iter().enumerate() {
            let key = format!("demo-{member}-{n}");
            if repo::by_idempotency_key(&state.pool, actor.company_id, actor.member_id, &key).await?.is_some() {
                continue;
            }
            let placed_at = now - days_ago * DAY - 3_600 * (n as i64 + 2);
            let lines: Vec<NewLine> = (0..*line_count)
                .map(|i| {
                    let (v, name, price) = &offer[(member as usize * 13 + n * 29 + i * 7) % offer.len()];
                    let quantity = price.rule.min + price.rule.increment * ((i as i64 * 3 + n as i64) % 4);
                    NewLine {
                        variant_id: v.id,
                        sku: &v.sku,
                        name,
                        unit: &v.unit,
                        quantity,
                        unit_price_minor: price.unit_price(quantity).map(|m| m.minor()).unwrap_or(0),
                        line_total_minor: price.line_total(quantity).map(|m| m.minor()).unwrap_or(0),
                    }
                })
                .collect();
            // One variant twice in an order is one line.
            let mut seen = std::collections::HashSet::new();
            let lines: Vec<NewLine> = lines.into_iter().filter(|l| seen.insert(l.variant_id)).collect();
            let total: i64 = lines.iter().map(|l| l.line_total_minor).sum();
            let po = format!("PO-{}-{:04}", 2026, member * 100 + n as i64);
            let mut tx = state.pool.begin().await?;
            let order = NewOrder {
                company: actor.company_id,
                placed_by: actor.member_id,
                location_id: ship.id,
                status: status.code(),
                po_number: &po,
                note: "",
                requested_date: None,
                payment_terms: &terms,
                currency: offered.currency().code(),
                total_minor: total,
                line_count: lines.len() as i64,
                idempotency_key: &key,
                placed_at,
                paid_at: (*status == OrderStatus::Delivered && *days_ago > 30).then_some(placed_at + 30 * DAY),
            };
            let id = repo::insert(&mut tx, &order, &lines).await?;
            let path: &[(OrderStatus, i64)] = match status {
                OrderStatus::Placed => &[],
                OrderStatus::Confirmed => &[(OrderStatus::Confirmed, 1)],
                OrderStatus::PartlyShipped => &[(OrderStatus::Confirmed, 1), (OrderStatus::PartlyShipped, 2)],
                OrderStatus::Shipped => &[(OrderStatus::Confirmed, 1), (OrderStatus::Shipped, 2)],
                OrderStatus::Delivered => {
                    &[(OrderStatus::Confirmed, 1), (OrderStatus::Shipped, 2), (OrderStatus::Delivered, 4)]
                }
                OrderStatus::Cancelled => &[(OrderStatus::Cancelled, 1)],
            };
            for (s, after_days) in path {
                let at = (placed_at + after_days * DAY).min(now);
                repo::add_event(&mut tx, actor.company_id, id, s.code(), at).await?;
                if matches!(s, OrderStatus::Shipped | OrderStatus::PartlyShipped) {
                    let delivered = (*status == OrderStatus::Delivered).then_some((placed_at + 4 * DAY).min(now));
                    let tracking = format!("1Z{:010}{:02}", id.0 * 7_919 % 10_000_000_000, n);
                    // What the shipment carried: the first half of the lines when partly shipped.
                    let carried = if *s == OrderStatus::PartlyShipped { lines.len().div_ceil(2) } else { lines.len() };
                    let shipped: Vec<(i64, i64)> =
                        lines.iter().take(carried).enumerate().map(|(i, l)| (i as i64 + 1, l.quantity)).collect();
                    // Each shipment is invoiced with it (backend::invoices).
                    // Past shipments: their invoices were mailed long ago (`None`: no mail now).
                    crate::backend::invoices::record_shipment(
                        &mut tx,
                        None,
                        actor.company_id,
                        id.0,
                        &shipped,
                        carrier(&ship.country),
                        &tracking,
                        at,
                        delivered,
                    )
                    .await?;
                }
            }
            tx.commit().await?;
        }
    }
    Ok(())
}
