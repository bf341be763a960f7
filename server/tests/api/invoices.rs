//! Invoices on a real server and database (SQLite and PostgreSQL): the demo's shipments are
//! invoiced in every state; Finance and Admin see them with totals, ageing and credit; a Buyer is
//! refused; another company's invoice is NotFound; the PDF in seven languages holds the number,
//! a product name in that language and the formatted total (`pdftotext`).

use crate::helpers::*;
use crate::ordering::json;
use serde_json::Value;

async fn list(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let (status, body) = json(app.call("invoices/list", form).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn finance_sees_every_state_with_totals_ageing_and_credit() {
    let app = spawn_app().await;
    app.login_as("finance@acme.example").await;
    let all = list(&app, &[]).await;
    let rows = all["rows"].as_array().unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    for s in ["open", "partly_paid", "paid", "void"] {
        assert!(statuses.contains(&s), "{s} in {statuses:?}");
    }
    let overdue: Vec<i64> = rows.iter().map(|r| r["days_overdue"].as_i64().unwrap()).collect();
    assert!(overdue.contains(&10) && overdue.contains(&75), "overdue by 10 and 75 days: {overdue:?}");
    // Ageing: the 75-day one is in 61–90, the 10-day one in 1–30.
    let ageing = &all["ageing"];
    assert_eq!(ageing[1][0], "d1_30");
    assert_ne!(ageing[1][1], "$0.00", "{ageing}");
    assert_ne!(ageing[3][1], "$0.00", "{ageing}");
    assert!(all["available"].as_str().unwrap().starts_with('$'));
    // Only overdue ones with the filter, and only open or partly paid.
    let only = list(&app, &[("overdue", "true")]).await;
    let only = only["rows"].as_array().unwrap();
    assert!(!only.is_empty() && only.iter().all(|r| r["days_overdue"].as_i64().unwrap() > 0), "{only:?}");
    // By state and by order number.
    let paid = list(&app, &[("status", "paid")]).await;
    assert!(paid["rows"].as_array().unwrap().iter().all(|r| r["status"] == "paid"));
    let order = rows[0]["order_number"].as_str().unwrap().to_string();
    let by_order = list(&app, &[("q", &order)]).await;
    assert!(by_order["rows"].as_array().unwrap().iter().all(|r| r["order_number"] == order.as_str()));

    // One invoice: its lines add up to its total; the partly paid one lists its payment.
    let partly = rows.iter().find(|r| r["status"] == "partly_paid").unwrap();
    let (status, inv) = json(app.call("invoices/get", &[("number", partly["number"].as_str().unwrap())]).await).await;
    assert_eq!(status, 200, "{inv}");
    assert_eq!(inv["payments"].as_array().unwrap().len(), 1, "{inv}");
    assert!(!inv["lines"].as_array().unwrap().is_empty());
    let page = app.get_page(&format!("/invoices/{}", partly["number"].as_str().unwrap())).await;
    assert_eq!(page.status(), 200);

    // A buyer has no invoices.view; another company's invoice is NotFound.
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.call("invoices/list", &[]).await.status(), 403);
    assert_eq!(ben.get_page("/invoices").await.status(), 403);
    let anna = app.fresh_browser();
    anna.login_as("anna@mueller.example").await;
    assert_eq!(anna.call("invoices/get", &[("number", partly["number"].as_str().unwrap())]).await.status(), 404);
    assert_eq!(anna.call("invoices/get", &[("number", "INV-987654321")]).await.status(), 404);
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !('\u{202A}'..='\u{202E}').contains(c) && *c != '\u{200F}' && *c != '\u{200E}'
        })
        .collect()
}

/// The same invoice in seven languages: the number, a product name in that language and the
/// formatted total come back out of the PDF.
#[tokio::test]
async fn invoice_pdfs_in_seven_languages_hold_number_name_and_total() {
    let app = spawn_app().await;
    app.login_as("finance@acme.example").await;
    let rows = list(&app, &[("status", "open")]).await;
    let number = rows["rows"][0]["number"].as_str().unwrap().to_string();
    for locale in ["en", "de", "ja", "zh-CN", "zh-TW", "vi", "ar"] {
        assert_eq!(app.call("prefs/set_locale", &[("locale", locale)]).await.status(), 200);
        let (_, inv) = json(app.call("invoices/get", &[("number", &number)]).await).await;
        let response = app.get_page(&format!("/invoices/{number}/pdf")).await;
        assert_eq!(response.status(), 200, "{locale}");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let text = pdf_text(&response.bytes().await.unwrap());
        let flat = squeeze(&text);
        assert!(text.contains(&number), "{locale}: {number} in\n{text}");
        let name = inv["lines"][0]["name"].as_str().unwrap();
        // A long name wraps inside its cell (the SKU column's own wrap comes between the parts):
        // its longest word, up to 8 characters, comes back whole. Arabic: poppler swaps the
        // letters of a lam-alef ligature on extraction, so words with a lam are left out.
        let word = name
            .split_whitespace()
            .filter(|w| locale != "ar" || !w.contains('ل'))
            .max_by_key(|w| w.chars().count())
            .unwrap_or(name);
        let word: String = word.chars().take(8).collect();
        assert!(flat.contains(&squeeze(&word)), "{locale}: {word:?} of {name:?} in\n{text}");
        if locale != "ar" {
            let total = inv["row"]["total"].as_str().unwrap();
            assert!(flat.contains(&squeeze(total)), "{locale}: total {total} in\n{text}");
        }
    }
    assert_eq!(app.get_page("/invoices/INV-987654321/pdf").await.status(), 404);
}

/// The desk records payments: full, partial, over one or several invoices; too large, in
/// another currency's company, on a void invoice or foreign, refused with nothing written.
#[tokio::test]
async fn the_desk_records_payments_full_partial_and_refuses_the_rest() {
    let app = spawn_app().await;
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    let acme = app.company_id("Acme Builders").await;
    let (status, desk) = json(staff.call("staff/invoices", &[("company", &acme.to_string())]).await).await;
    assert_eq!(status, 200, "{desk}");
    let open: Vec<(String, String)> = desk["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "open")
        .map(|r| (r["number"].as_str().unwrap().to_string(), r["open"].as_str().unwrap().to_string()))
        .collect();
    assert!(open.len() >= 3, "{desk}");
    let minor =
        |text: &str| -> i64 { text.chars().filter(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap() };
    let decimal = |m: i64| format!("{}.{:02}", m / 100, m % 100);
    let today = desk["today"].as_str().unwrap().to_string();
    let pay = |amount: String, invoices: Vec<String>| {
        let staff = &staff;
        let today = today.clone();
        async move {
            let mut form: Vec<(String, String)> = vec![
                ("company".into(), acme.to_string()),
                ("amount".into(), amount),
                ("received_on".into(), today),
                ("reference".into(), "WIRE-TEST".into()),
            ];
            for (i, n) in invoices.iter().enumerate() {
                form.push((format!("invoices[{i}]"), n.clone()));
            }
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            json(staff.call("staff/record_payment", &pairs).await).await
        }
    };
    let payments = || app.count("SELECT COUNT(*) FROM payments");
    let before = payments().await;
    // Too large: one cent more than the first owes.
    let (a, a_open) = (&open[0].0, minor(&open[0].1));
    let (status, body) = pay(decimal(a_open + 1), vec![a.clone()]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("invoices.more_than_open")), "{body}");
    assert_eq!(payments().await, before, "nothing written");
    // Partial, then the rest: partly paid, then paid.
    assert_eq!(pay(decimal(a_open / 2), vec![a.clone()]).await.0, 200);
    let finance = app.fresh_browser();
    finance.login_as("finance@acme.example").await;
    let get = |n: String| {
        let finance = &finance;
        async move { json(finance.call("invoices/get", &[("number", &n)]).await).await.1 }
    };
    assert_eq!(get(a.clone()).await["row"]["status"], "partly_paid");
    assert_eq!(pay(decimal(a_open - a_open / 2), vec![a.clone()]).await.0, 200);
    assert_eq!(get(a.clone()).await["row"]["status"], "paid");
    // One payment over two invoices, in the order given.
    let (b, c) = (&open[1].0, &open[2].0);
    let (b_open, c_open) = (minor(&open[1].1), minor(&open[2].1));
    assert_eq!(pay(decimal(b_open + 1), vec![b.clone(), c.clone()]).await.0, 200);
    assert_eq!(get(b.clone()).await["row"]["status"], "paid");
    assert_eq!(get(c.clone()).await["row"]["status"], if c_open == 1 { "paid" } else { "partly_paid" });
    // A void invoice, nothing picked, a bad amount.
    let void = app
        .id_of(
            "SELECT MIN(id) FROM invoices WHERE status = 'void' AND company_id = CAST($1 AS BIGINT)",
            &acme.to_string(),
        )
        .await;
    let (status, body) = pay("1.00".into(), vec![app::domain::invoice::invoice_number(void)]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("invoices.void_picked")), "{body}");
    let (status, body) = pay("1.00".into(), vec![]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("invoices.none_picked")), "{body}");
    let (status, _) = pay("-3".into(), vec![c.clone()]).await;
    assert_eq!(status, 422);
    // Kanto's invoice (JPY) with Acme's company: NotFound, never summed across currencies.
    let kanto = app.company_id("Kanto Kogyo").await;
    let theirs =
        app.id_of("SELECT MIN(id) FROM invoices WHERE company_id = CAST($1 AS BIGINT)", &kanto.to_string()).await;
    let (status, _) = pay("1.00".into(), vec![app::domain::invoice::invoice_number(theirs)]).await;
    assert_eq!(status, 404);
    // Buyers never reach the desk.
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.call("staff/invoices", &[]).await.status(), 403);
}

/// The statement: opening balance, the period's invoices and payments with a running balance,
/// closing balance that adds up; a buyer is refused it.
#[tokio::test]
async fn the_statement_adds_up_from_opening_to_closing() {
    let app = spawn_app().await;
    app.login_as("finance@acme.example").await;
    let today = app::domain::order::iso_date(app::backend::platform::clock::now().div_euclid(86_400) + 1);
    let response = app.get_page(&format!("/invoices/statement.csv?from=2026-01-01&until={today}")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert!(rows.len() > 3, "{csv}");
    let minor = |s: &str| -> i64 {
        if s.is_empty() {
            0
        } else {
            let (whole, frac) = s.split_once('.').unwrap_or((s, "00"));
            whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
        }
    };
    assert_eq!(rows[0][1], "Opening balance");
    let last = rows.last().unwrap();
    assert_eq!(last[1], "Closing balance");
    let mut balance = minor(&rows[0][5]);
    for r in &rows[1..rows.len() - 1] {
        assert!(r[1] == "Invoice" || r[1] == "Payment", "{r:?}");
        balance += minor(&r[3]) - minor(&r[4]);
        assert_eq!(minor(&r[5]), balance, "running balance at {r:?}");
        assert_eq!(r[6], "USD");
    }
    assert_eq!(minor(&last[5]), balance, "closing");
    assert!(rows.iter().any(|r| r[1] == "Payment"), "the demo's payments are in it");
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.get_page("/invoices/statement.csv").await.status(), 403);
}

/// Net terms: one invoice per shipment, of what it carried (a partly shipped order is invoiced in
/// part). Prepaid (Saigon Foods): one invoice per order, for all of it, due on issue.
#[tokio::test]
async fn shipments_are_invoiced_by_terms() {
    let app = spawn_app().await;
    let per_order: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.payment_terms, o.total_minor, CAST(COALESCE(SUM(i.total_minor), 0) AS BIGINT), COUNT(i.id) \
         FROM orders o JOIN invoices i ON i.order_id = o.id WHERE o.status = 'partly_shipped' \
         GROUP BY o.id, o.payment_terms, o.total_minor",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(per_order.iter().any(|(t, ..)| t == "prepaid") && per_order.iter().any(|(t, ..)| t != "prepaid"));
    for (terms, total, invoiced, count) in per_order {
        assert_eq!(count, 1, "{terms}");
        if terms == "prepaid" {
            assert_eq!(invoiced, total, "prepaid: the whole order");
        } else {
            assert!(invoiced < total, "{terms}: only what the first shipment carried");
        }
    }
    let due: Vec<(i64, i64)> = sqlx::query_as("SELECT issued_on, due_on FROM invoices WHERE payment_terms = 'prepaid'")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!due.is_empty());
}

/// The PDF attached to a mail in the outbox folder (.eml, lettre's base64 part).
fn attached_pdf(mail: &str) -> Vec<u8> {
    use base64::Engine;
    let part = mail.split("Content-Type: application/pdf").nth(1).unwrap_or_else(|| panic!("no PDF part: {mail}"));
    let body = part.split("\r\n\r\n").nth(1).expect("the part's body");
    let encoded: String = body.lines().take_while(|l| !l.starts_with("--")).collect::<Vec<_>>().concat();
    base64::engine::general_purpose::STANDARD.decode(encoded.trim()).expect("base64")
}

/// Recording a shipment mails its invoice to the company's billing contact, in their language,
/// with the invoice PDF attached (rendered when sent); a company without a contact gets none.
#[tokio::test]
async fn a_shipment_mails_its_invoice_pdf_to_the_billing_contact() {
    use app::domain::ids::CompanyId;
    let app = spawn_app().await;
    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let unshipped = |company: i64| {
        let pool = app.pool.clone();
        async move {
            let (order,): (i64,) = sqlx::query_as(
                "SELECT o.id FROM orders o WHERE o.company_id = $1 AND o.status = 'placed' \
                 AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id) ORDER BY o.id LIMIT 1",
            )
            .bind(company)
            .fetch_one(&pool)
            .await
            .unwrap();
            let lines: Vec<(i64, i64)> =
                sqlx::query_as("SELECT line_no, quantity FROM order_lines WHERE order_id = $1")
                    .bind(order)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            (order, lines)
        }
    };
    let ship = |company: i64, order: i64, lines: Vec<(i64, i64)>| {
        let (pool, url) = (app.pool.clone(), app.address.clone());
        async move {
            let mut tx = pool.begin().await.unwrap();
            let now = app::backend::platform::clock::now();
            let id = app::backend::invoices::record_shipment(
                &mut tx,
                Some(&url),
                CompanyId(company),
                order,
                &lines,
                "DHL",
                "JD0001",
                now,
                None,
            )
            .await
            .unwrap()
            .expect("invoiced");
            tx.commit().await.unwrap();
            id
        }
    };
    let (order, lines) = unshipped(mueller).await;
    let id = ship(mueller, order, lines).await;
    let number = app::domain::invoice::invoice_number(id);
    // Anna (German) is Müller's billing contact in the demo.
    let outbox = app.outbox.clone();
    let mut mail = String::new();
    for _ in 0..200 {
        let files = std::fs::read_dir(&outbox).map(|d| d.flatten().map(|f| f.path()).collect::<Vec<_>>());
        if let Some(found) = files
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .find(|m| m.contains(&number))
        {
            mail = found;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(mail.contains("To: anna@mueller.example"), "no invoice mail: {mail}");
    assert!(mail.contains(&format!("filename=\"{number}.pdf\"")) || mail.contains(&format!("{number}.pdf")), "{mail}");
    let text = pdf_text(&attached_pdf(&mail));
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("Rechnung"), "the PDF is in the contact's language (German): {text}");
    let (subject,): (String,) = sqlx::query_as("SELECT subject FROM mail_outbox WHERE attachment = $1")
        .bind(format!("invoice:{id}:de"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(subject.contains(&number), "{subject}");

    // No billing contact: the invoice is written, no mail is queued.
    let acme = app.company_id("Acme Builders").await;
    sqlx::query("UPDATE companies SET billing_email = NULL WHERE id = $1").bind(acme).execute(&app.pool).await.unwrap();
    let before = app.count("SELECT COUNT(*) FROM mail_outbox").await;
    let (order, lines) = unshipped(acme).await;
    ship(acme, order, lines).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, before);
}

/// Billing settings: the Admin sets the contact (checked, lower-cased, audited); Finance may not.
#[tokio::test]
async fn the_admin_sets_the_billing_contact_and_finance_may_not() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let (status, body) = json(app.call("invoices/billing", &[("email", "not an address")]).await).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Invalid"][0]["field"], "billing_email");
    let (status, body) =
        json(app.call("invoices/billing", &[("email", " AP@Acme.Example "), ("over_credit_approval", "true")]).await)
            .await;
    assert_eq!(status, 200, "{body}");
    let dto = list(&app, &[]).await;
    assert_eq!(dto["billing"]["email"], "ap@acme.example");
    assert_eq!(dto["billing"]["over_credit_approval"], true);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'billing_changed'").await, 1);
    let fiona = app.fresh_browser();
    fiona.login_as("finance@acme.example").await;
    assert_eq!(list(&fiona, &[]).await["billing"], Value::Null, "Finance sees no settings");
    assert_eq!(fiona.call("invoices/billing", &[("email", "x@y.example")]).await.status(), 403);
}

/// The statement as a PDF: the same period, opening and closing balance as the CSV, in the
/// reader's language.
#[tokio::test]
async fn the_statement_pdf_holds_the_same_balances_as_the_csv() {
    let app = spawn_app().await;
    app.login_as("finance@acme.example").await;
    let response = app.get_page("/invoices/statement.pdf?from=2026-01-01").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let text = squeeze(&pdf_text(&response.bytes().await.unwrap()));
    assert!(text.contains("Statementofaccount") && text.contains("AcmeBuilders"), "{text}");
    assert!(text.contains("Openingbalance") && text.contains("Closingbalance"), "{text}");
    let csv = app.get_page("/invoices/statement.csv?from=2026-01-01").await.text().await.unwrap();
    let closing = csv.lines().last().unwrap().split(',').nth(5).unwrap().to_string();
    // 12345.67 in the CSV is $12,345.67 on the PDF.
    let (whole, cents) = closing.split_once('.').unwrap();
    let grouped =
        whole.as_bytes().rchunks(3).rev().map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(",");
    assert!(text.contains(&format!("{grouped}.{cents}")), "closing {closing} not in {text}");
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.get_page("/invoices/statement.pdf").await.status(), 403);
}
