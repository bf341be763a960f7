//! rust-i18n compiles locales/*.yml into the crate; tell cargo to rebuild when they change
//! (otherwise an edited translation silently keeps its old text until something else changes).
fn main() {
    println!("cargo:rerun-if-changed=../locales");
    if let Ok(entries) = std::fs::read_dir("../locales") {
        for entry in entries.flatten() {
            println!("cargo:rerun-if-changed={}", entry.path().display());
        }
    }
}
