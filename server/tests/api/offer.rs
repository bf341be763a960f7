//! The offer check is one: the same SKU and quantity get the same `RowProblem` (or none) from
//! every way in: quick order and paste (`cart/check`), adding to the cart, a CSV file, a shopping
//! list, reorder, a quantity change, and a saved cart or list line viewed later.

use crate::helpers::*;
use crate::ordering::{add, buyable, get_cart, json, upload};
use serde_json::Value;

/// One input row and what `cart/check` said of it (the reference answer).
struct Case {
    sku: String,
    quantity: String,
    problem: Value,
}

#[tokio::test]
async fn the_same_row_gets_the_same_problem_from_every_entry_point() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, quote_only) = buyable(&app).await;
    let good = &items[0];
    let stepped = items.iter().find(|i| i.increment > 1).expect("a variant with an increment above 1");
    let europe_only: String = sqlx::query_as::<_, (String,)>(
        "SELECT v.sku FROM variants v JOIN catalog_products cp ON cp.product_id = v.product_id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE c.code = 'EUROPE' AND NOT EXISTS (SELECT 1 FROM catalog_products o WHERE o.product_id = v.product_id AND o.catalog_id <> c.id) \
         ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .0;
    let quote = match quote_only {
        Some(sku) => sku,
        None => {
            sqlx::query_as::<_, (String,)>(
                "SELECT v.sku FROM variants v JOIN catalog_products cp ON cp.product_id = v.product_id \
                 JOIN catalogs c ON c.id = cp.catalog_id WHERE c.code = 'CORE' AND v.quote_only = 1 ORDER BY v.id LIMIT 1",
            )
            .fetch_one(&app.pool)
            .await
            .expect("a quote-only variant in the core catalog")
            .0
        }
    };
    let min = good.min.to_string();
    let inputs: Vec<(String, String)> = vec![
        (good.sku.clone(), min.clone()),
        (good.sku.to_lowercase(), format!(" {min} ")),
        ("NO-SUCH-SKU-42".into(), "1".into()),
        (europe_only.clone(), "1".into()),
        (quote.clone(), "1".into()),
        (good.sku.clone(), "0".into()),
        (good.sku.clone(), "-5".into()),
        (good.sku.clone(), "2.5".into()),
        (good.sku.clone(), "100000000000000000000".into()),
        (good.sku.clone(), "ten".into()),
        (stepped.sku.clone(), (stepped.min + 1).to_string()),
        ("X".repeat(100), "1".into()),
    ];

    // The reference: quick order's check, which touches nothing.
    let form: Vec<(String, String)> = inputs
        .iter()
        .enumerate()
        .flat_map(|(i, (s, q))| [(format!("lines[{i}][sku]"), s.clone()), (format!("lines[{i}][quantity]"), q.clone())])
        .collect();
    let form_ref: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, checked) = json(app.call("cart/check", &form_ref).await).await;
    assert_eq!(status, 200, "{checked}");
    let cases: Vec<Case> = inputs
        .iter()
        .zip(checked.as_array().unwrap())
        .map(|((sku, quantity), row)| Case {
            sku: sku.clone(),
            quantity: quantity.clone(),
            problem: row["problem"].clone(),
        })
        .collect();
    // The reference itself says something for every kind of input (a test that can't fail is no test).
    let kinds: Vec<String> = cases.iter().map(|c| c.problem.to_string()).collect();
    for expected in [
        "null",
        "UnknownSku",
        "NotInCatalog",
        "QuoteOnly",
        "NotPositive",
        "Fractional",
        "TooLarge",
        "NotANumber",
        "NotMultiple",
        "TooLong",
    ] {
        assert!(kinds.iter().any(|k| k.contains(expected)), "no case gave {expected}: {kinds:?}");
    }

    // Adding to the cart, row by row (so no row is summed with another).
    for case in &cases {
        app.call("cart/clear", &[]).await;
        let (status, report) = add(&app, &[(&case.sku, &case.quantity)]).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["rows"][0]["problem"], case.problem, "cart/add {} × {:?}", case.sku, case.quantity);
    }
    app.call("cart/clear", &[]).await;

    // A CSV file: ready rows come back as good, the others with their reason, by row number.
    let mut csv = String::from("SKU,Quantity\n");
    for case in &cases {
        csv.push_str(&format!("\"{}\",\"{}\"\n", case.sku, case.quantity));
    }
    let (status, report) = upload(&app, csv.as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    for (i, case) in cases.iter().enumerate() {
        let row_no = i as i64 + 2; // as the spreadsheet numbers it, after the header
        let bad = report["bad"].as_array().unwrap().iter().find(|r| r["row"] == row_no);
        let problem = bad.map(|r| r["problem"].clone()).unwrap_or(Value::Null);
        // An empty quantity is skipped in a file (our export has an empty Quantity column); no case has one.
        assert_eq!(problem, case.problem, "CSV row {row_no}: {} × {:?}", case.sku, case.quantity);
    }

    // A shopping list, row by row.
    let (_, created) = json(app.call("lists/create", &[("name", "Offer check")]).await).await;
    let list = created["id"].to_string();
    for case in &cases {
        let (status, answer) =
            json(app.call("lists/add", &[("list", &list), ("sku", &case.sku), ("quantity", &case.quantity)]).await)
                .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer, case.problem, "lists/add {} × {:?}", case.sku, case.quantity);
    }

    // A quantity change on a line in the cart: the quantity cases of the good SKU.
    add(&app, &[(&good.sku, &min)]).await;
    add(&app, &[(&stepped.sku, &stepped.min.to_string())]).await;
    for case in cases.iter().filter(|c| c.sku == good.sku || c.sku == stepped.sku) {
        let (status, dto) =
            json(app.call("cart/set_quantity", &[("sku", &case.sku), ("quantity", &case.quantity)]).await).await;
        assert_eq!(status, 200, "{dto}");
        assert_eq!(dto["refused"], case.problem, "cart/set_quantity {} × {:?}", case.sku, case.quantity);
    }

    // Saved lines viewed later (a cart or list line that was fine when saved, or written by an
    // import): every case with a known variant and a whole quantity, written straight to the
    // tables, then read back through the cart and the list.
    app.call("cart/clear", &[]).await;
    add(&app, &[(&good.sku, &min)]).await; // makes the cart row
    let (cart_id,): (i64,) = sqlx::query_as(
        "SELECT c.id FROM carts c JOIN members m ON m.id = c.member_id JOIN users u ON u.id = m.user_id WHERE u.email = $1",
    )
    .bind("buyer@acme.example")
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1").bind(cart_id).execute(&app.pool).await.unwrap();
    let (_, empty_list) = json(app.call("lists/create", &[("name", "Saved lines")]).await).await;
    let saved_list = empty_list["id"].as_i64().unwrap();
    let mut saved: Vec<&Case> = vec![];
    for case in &cases {
        let (Ok(quantity), Some((variant,))) = (
            case.quantity.trim().parse::<i64>(),
            sqlx::query_as::<_, (i64,)>("SELECT id FROM variants WHERE sku = $1")
                .bind(case.sku.trim().to_uppercase())
                .fetch_optional(&app.pool)
                .await
                .unwrap(),
        ) else {
            continue;
        };
        if saved.iter().any(|c| c.sku.trim().eq_ignore_ascii_case(case.sku.trim())) {
            continue; // one line per variant
        }
        let position = saved.len() as i64 + 1;
        for (table, parent, id) in [("cart_lines", "cart_id", cart_id), ("shopping_list_lines", "list_id", saved_list)]
        {
            sqlx::query(&format!(
                "INSERT INTO {table} ({parent}, variant_id, quantity, position) VALUES ($1, $2, $3, $4)"
            ))
            .bind(id)
            .bind(variant)
            .bind(quantity)
            .bind(position)
            .execute(&app.pool)
            .await
            .unwrap();
        }
        saved.push(case);
    }
    assert!(saved.len() >= 4, "enough saved-line cases: {}", saved.len());
    let cart = get_cart(&app).await;
    let (_, list) = json(app.call("lists/get", &[("id", &saved_list.to_string())]).await).await;
    for (i, case) in saved.iter().enumerate() {
        assert_eq!(cart["lines"][i]["problem"], case.problem, "cart line {} × {}", case.sku, case.quantity);
        assert_eq!(list["lines"][i]["problem"], case.problem, "list line {} × {}", case.sku, case.quantity);
    }

    // Reorder: an order of the buyer's whose lines are the saved cases (SKU as stored).
    let (_, orders) = json(app.call("orders/list", &[]).await).await;
    let number = orders["rows"][0]["number"].as_str().unwrap().to_string();
    let order_id: i64 = number.parse::<i64>().unwrap() - 100_000;
    sqlx::query("DELETE FROM order_lines WHERE order_id = $1").bind(order_id).execute(&app.pool).await.unwrap();
    for (i, case) in saved.iter().enumerate() {
        let (variant,): (i64,) = sqlx::query_as("SELECT id FROM variants WHERE sku = $1")
            .bind(case.sku.trim().to_uppercase())
            .fetch_one(&app.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO order_lines (order_id, line_no, variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor) \
             VALUES ($1, $2, $3, $4, 'n', 'pc', $5, 100, 100)",
        )
        .bind(order_id)
        .bind(i as i64 + 1)
        .bind(variant)
        .bind(case.sku.as_str())
        .bind(case.quantity.trim().parse::<i64>().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    }
    app.call("cart/clear", &[]).await;
    let (status, report) = json(app.call("orders/reorder", &[("number", &number)]).await).await;
    assert_eq!(status, 200, "{report}");
    for (i, case) in saved.iter().enumerate() {
        assert_eq!(report["lines"][i]["problem"], case.problem, "reorder {} × {}", case.sku, case.quantity);
    }
}
