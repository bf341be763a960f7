//! Demo quotes (README): Acme has one in every state that matters to a buyer (submitted with an
//! attachment, offered and expiring in 10 days, changes requested after two revisions, expired,
//! ordered); Kanto Kogyo has an offer in JPY with Japanese texts and Bayt Al Tijara one in SAR
//! with Arabic texts. Lines are priced and named as the requester's catalog says (quote-only
//! variants first). The ordered one goes through the real placement path. Idempotent: by key.

use crate::backend::catalog::offer::Offer;
use crate::backend::orders::{self, PlaceForm};
use crate::backend::platform::clock::{day_end, local_day, now};
use crate::backend::platform::guard::{member_for_desk, Actor};
use crate::backend::platform::state::AppState;
use crate::backend::quotes::{self, repo};
use crate::domain::ids::{CompanyId, MemberId, UserId};
use crate::domain::quote::quote_number;
use crate::error::AppError;
use crate::i18n::Locale;

const DAY: i64 = 86_400;

struct Who {
    actor: Actor,
    name: String,
    locale: Locale,
    time_zone: String,
}

async fn who(state: &AppState, company: &str, email: &str, locale: Locale) -> Result<Option<Who>, AppError> {
    let row: Option<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT c.id, m.id, u.display_name, c.time_zone FROM companies c JOIN members m ON m.company_id = c.id \
         JOIN users u ON u.id = m.user_id WHERE c.name = $1 AND u.email = $2",
    )
    .bind(company)
    .bind(email)
    .fetch_optional(&state.pool)
    .await?;
    let Some((company, member, name, time_zone)) = row else { return Ok(None) };
    let desk = repo::Desk(());
    let actor = member_for_desk(state, desk, CompanyId(company), MemberId(member), None, 0).await?;
    Ok(Some(Who { actor, name, locale, time_zone }))
}

/// (variant, SKU, name, unit, list price) of the member's catalog: quote-only variants first.
async fn pickable(state: &AppState, w: &Who) -> Result<Vec<(i64, String, String, String, Option<i64>)>, AppError> {
    let offer = Offer::load(state, &w.actor, now()).await?;
    let mut out: Vec<(i64, String, String, String, Option<i64>)> = vec![];
    for p in offer.snapshot().products() {
        if !p.visible_in(offer.catalogs()) {
            continue;
        }
        for v in &p.variants {
            let list = offer.listed_price(v).and_then(|price| price.unit_price(10)).map(|m| m.minor());
            if v.quote_only || list.is_some() {
                out.push((v.id, v.sku.clone(), p.name(w.locale).to_string(), v.unit.clone(), list));
            }
        }
    }
    out.sort_by_key(|(id, _, _, _, list)| (list.is_some(), *id));
    Ok(out)
}

struct Spec {
    key: &'static str,
    /// The lines' offset in the member's pickable list, and how many.
    from: usize,
    lines: usize,
    age_days: i64,
    note: &'static str,
    /// Offers: (message, % of the list price or a unit price where there is none).
    offers: Vec<&'static str>,
    /// After the offers: "changes", "expired", "ordered", or "" (the last offer stands).
    then: &'static str,
    changes: &'static str,
    attachment: bool,
}

pub async fn load(state: &AppState) -> Result<(), AppError> {
    let staff: Option<(i64, String)> = sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1")
        .bind("staff@northwind.example")
        .fetch_optional(&state.pool)
        .await?;
    let Some((staff, staff_name)) = staff else { return Ok(()) };
    let plans: Vec<(&str, &str, Locale, Vec<Spec>)> = vec![
        (
            "Acme Builders",
            "buyer@acme.example",
            Locale::En,
            vec![
                Spec {
                    key: "demo-quote-submitted",
                    from: 0,
                    lines: 2,
                    age_days: 1,
                    note: "Price for the Denver hospital job, delivery in two lots. Drawing attached.",
                    offers: vec![],
                    then: "",
                    changes: "",
                    attachment: true,
                },
                Spec {
                    key: "demo-quote-offered",
                    from: 2,
                    lines: 3,
                    age_days: 4,
                    note: "Quarterly volume for the Chicago branch.",
                    offers: vec!["Prices below hold for the quantities shown. Delivery within 5 working days."],
                    then: "",
                    changes: "",
                    attachment: false,
                },
                Spec {
                    key: "demo-quote-changes",
                    from: 5,
                    lines: 3,
                    age_days: 12,
                    note: "Can you match last year's prices?",
                    offers: vec!["First offer.", "Second offer: 2% more off the fittings."],
                    then: "changes",
                    changes: "Still above budget on the first line: could you do 5% more?",
                    attachment: false,
                },
                Spec {
                    key: "demo-quote-expired",
                    from: 8,
                    lines: 2,
                    age_days: 40,
                    note: "Spring maintenance stock.",
                    offers: vec!["Offer valid for a week."],
                    then: "expired",
                    changes: "",
                    attachment: false,
                },
            ],
        ),
        (
            "Acme Builders",
            "admin@acme.example",
            Locale::En,
            vec![Spec {
                key: "demo-quote-ordered",
                from: 10,
                lines: 2,
                age_days: 20,
                note: "Site office fit-out.",
                offers: vec!["Agreed prices as discussed on the phone."],
                then: "ordered",
                changes: "",
                attachment: false,
            }],
        ),
        (
            "Kanto Kogyo",
            "kenji@kanto.example",
            Locale::Ja,
            vec![Spec {
                key: "demo-quote-kanto",
                from: 0,
                lines: 3,
                age_days: 3,
                note: "横浜工場の改修工事用です。納期もあわせてご回答ください。",
                offers: vec!["ご依頼ありがとうございます。下記の価格でご提案いたします。"],
                then: "",
                changes: "",
                attachment: false,
            }],
        ),
        (
            "Bayt Al Tijara",
            "omar@bayt.example",
            Locale::Ar,
            vec![Spec {
                key: "demo-quote-bayt",
                from: 0,
                lines: 3,
                age_days: 2,
                note: "نحتاج هذه الكميات لمشروع الرياض. يرجى تأكيد موعد التسليم.",
                offers: vec!["شكراً لطلبكم. الأسعار أدناه سارية للكميات المذكورة."],
                then: "",
                changes: "",
                attachment: false,
            }],
        ),
    ];
    for (company, email, locale, specs) in plans {
        let Some(w) = who(state, company, email, locale).await? else { continue };
        let mut missing = vec![];
        for spec in specs {
            if repo::by_key(&state.pool, w.actor.company_id(), spec.key).await?.is_none() {
                missing.push(spec);
            }
        }
        // Every later start-up finds them all made: the catalog is not walked then.
        if missing.is_empty() {
            continue;
        }
        let picks = pickable(state, &w).await?;
        for spec in missing {
            let lines: Vec<_> = picks.iter().skip(spec.from).take(spec.lines).cloned().collect();
            if lines.is_empty() {
                continue;
            }
            make(state, &w, UserId(staff), &staff_name, &spec, &lines).await?;
        }
    }
    Ok(())
}

async fn make(
    state: &AppState,
    w: &Who,
    staff: UserId,
    staff_name: &str,
    spec: &Spec,
    lines: &[(i64, String, String, String, Option<i64>)],
) -> Result<(), AppError> {
    let company = w.actor.company_id();
    let t = now();
    let created = t - spec.age_days * DAY;
    let currency = Offer::load(state, &w.actor, t).await?.currency();
    let location: (i64,) = sqlx::query_as("SELECT l.id FROM locations l WHERE l.company_id = $1 ORDER BY l.id LIMIT 1")
        .bind(company.0)
        .fetch_one(&state.pool)
        .await?;
    let quantity = |i: usize| 10 * (i as i64 + 1);
    let mut tx = state.pool.begin().await?;
    let id = repo::insert(
        &mut tx,
        &repo::NewQuote {
            company,
            requested_by: w.actor.member_id,
            location_id: location.0,
            currency: currency.code(),
            note: spec.note,
            idempotency_key: spec.key,
            now: created,
        },
    )
    .await?;
    let request: Vec<repo::NewLine> = lines
        .iter()
        .enumerate()
        .map(|(i, (variant, sku, name, unit, list))| repo::NewLine {
            variant_id: *variant,
            sku,
            name,
            unit,
            quantity: quantity(i),
            // The buyer hopes for 15% off where there is a list price.
            target_price_minor: list.map(|l| l * 85 / 100),
            list_price_minor: *list,
            offered_price_minor: None,
        })
        .collect();
    repo::write_lines(&mut tx, id, 0, &request).await?;
    let member = repo::Author::Member(w.actor.member_id, &w.name);
    let message = repo::add_message(&mut tx, id, member, "submitted", 0, spec.note, created).await?;
    if spec.attachment {
        let csv = format!("SKU,Quantity,Drawing\n{},{},A-101\n", lines[0].1, quantity(0));
        repo::add_attachment(
            &mut tx,
            id,
            Some(message),
            "denver-takeoff.csv",
            "text/csv; charset=utf-8",
            csv.as_bytes(),
            created,
        )
        .await?;
    }
    let mut version = 1;
    let mut revision = 0;
    let staff_author = repo::Author::Staff(staff, staff_name);
    for (n, words) in spec.offers.iter().enumerate() {
        revision = n as i64 + 1;
        let at = created + (n as i64 * 3 + 1) * DAY;
        // The first offer 8% off the list price, each later one 2% more; a quote-only line
        // (no list price) at a price of its own.
        let off = 8 + 2 * n as i64;
        let offered: Vec<repo::NewLine> = request
            .iter()
            .map(|l| repo::NewLine {
                offered_price_minor: Some(match l.list_price_minor {
                    Some(list) => list * (100 - off) / 100,
                    None if currency.code() == "JPY" => 12_000 - 500 * n as i64,
                    None => 18_500 - 500 * n as i64,
                }),
                ..*l
            })
            .collect();
        let total: i64 = offered.iter().map(|l| l.quantity * l.offered_price_minor.unwrap_or(0)).sum();
        // A standing offer holds until 10 days from today; the expired one held a week.
        let last_day = match spec.then {
            "expired" => local_day(&w.time_zone, at) + 7,
            _ => local_day(&w.time_zone, t) + 10,
        };
        let expires = day_end(&w.time_zone, last_day);
        let from = ["submitted", "in_review", "changes_requested"];
        repo::transition(&mut tx, company, id, version, &from, "offered", revision, Some(expires), "", at).await?;
        version += 1;
        repo::write_lines(&mut tx, id, revision, &offered).await?;
        repo::write_revision(&mut tx, id, revision, staff, expires, total, at).await?;
        repo::add_message(&mut tx, id, staff_author, "offered", revision, words, at).await?;
        if n + 1 < spec.offers.len() || spec.then == "changes" {
            let asked = at + DAY;
            // The last change request is the spec's words; an earlier one asks more generally.
            let last = n + 1 == spec.offers.len();
            let text =
                if last && !spec.changes.is_empty() { spec.changes } else { "Could you do better on the first line?" };
            repo::transition(
                &mut tx,
                company,
                id,
                version,
                &["offered"],
                "changes_requested",
                revision,
                Some(expires),
                "",
                asked,
            )
            .await?;
            version += 1;
            repo::write_lines(&mut tx, id, revision + 1, &offered).await?;
            repo::add_message(&mut tx, id, member, "changes_requested", revision, text, asked).await?;
        }
    }
    if spec.then == "expired" {
        let (expires,): (Option<i64>,) =
            sqlx::query_as("SELECT expires_at FROM quotes WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        let at = expires.unwrap_or(t);
        repo::transition(&mut tx, company, id, version, &["offered"], "expired", revision, expires, "", at).await?;
        repo::add_message(&mut tx, id, repo::Author::System, "expired", revision, "", at).await?;
    }
    tx.commit().await?;
    if spec.then == "ordered" {
        // Accepted and placed as the buyer would: the placement path makes the order. Demo data
        // mails nobody: what this queued (the desk's note, the confirmation) is taken back
        // before the mail sender starts.
        let (queued,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM mail_outbox").fetch_one(&state.pool).await?;
        let accept = quotes::Answer {
            action: crate::domain::quote::Action::Accept,
            revision,
            text: String::new(),
            targets: vec![],
        };
        quotes::answer(state, &w.actor, id, accept, t).await?;
        let detail = quotes::detail(state, &w.actor, id).await?;
        let checkout = orders::quote_checkout(state, &w.actor, &detail, w.locale, t).await?;
        let form = PlaceForm {
            idempotency_key: format!("{}-order", spec.key),
            fingerprint: checkout.view.fingerprint.clone(),
            ship_to: checkout.default_ship_to.map(|l| l.0.to_string()).unwrap_or_default(),
            po_number: format!("PO-{}", quote_number(id)),
            note: String::new(),
            requested_date: String::new(),
        };
        orders::place_quote(state, &w.actor, w.locale, &detail, form, t).await?;
        sqlx::query("DELETE FROM mail_outbox WHERE id > $1").bind(queued).execute(&state.pool).await?;
    }
    Ok(())
}
