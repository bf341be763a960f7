//! The CSV part of quick order: a file of SKU and quantity rows is checked on the server and
//! reported (`components::csv_report`); plus the link to the catalog export that makes such a
//! file. `islands::csv_upload::CsvUploadLive` sends it with a progress bar; without JavaScript the
//! form posts the file and the quick order page lists its rows, checked.

use crate::i18n::{tr, Locale};
use crate::islands::csv_upload::CsvUploadLive;
use leptos::prelude::*;

pub fn csv_upload(locale: Locale, error: Option<String>) -> impl IntoView {
    view! {
        <section class="csv-upload" aria-labelledby="csv-title">
            <h2 id="csv-title">{tr!(locale, "csv.title")}</h2>
            <form id="csv-form" method="post" enctype="multipart/form-data" action="/api/cart/upload_csv_form"
                data-max-bytes=crate::api::csv::MAX_CSV_BYTES
                data-too-large=tr!(locale, "csv.too_large")
                data-failed=tr!(locale, "error.unavailable")>
                <label for="csv-file">{tr!(locale, "csv.file_label")}</label>
                <input id="csv-file" type="file" name="file" accept=".csv,text/csv" aria-describedby="csv-help" />
                <p id="csv-help" class="muted small">{tr!(locale, "csv.help")}</p>
                <button type="submit">{tr!(locale, "csv.check")}</button>
                " "<a href="/catalog/export.csv" download="catalog.csv">{tr!(locale, "csv.export")}</a>
            </form>
            <div role="status" aria-live="polite">
                <div id="csv-progress" hidden>
                    <p>{tr!(locale, "csv.checking")}</p>
                    <progress id="csv-progress-bar" aria-label=tr!(locale, "csv.checking")></progress>
                </div>
                <p id="csv-error" class="field-error">{error}</p>
                <div id="csv-report"></div>
            </div>
            <CsvUploadLive />
        </section>
    }
    .into_any()
}
