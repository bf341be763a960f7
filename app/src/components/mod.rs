//! Reusable view pieces: the shell (header, navigation, switchers) and small building blocks.

pub mod add_report;
pub mod add_to_list;
pub mod code_text;
pub mod csv_report;
pub mod csv_upload;
pub mod empty_state;
pub mod error_view;
pub mod filters;
pub mod highlighted;
pub mod language_switcher;
pub mod not_found;
pub mod outcome;
pub mod problems;
pub mod public_card;
pub mod quantity_field;
pub mod quotes;
pub mod requests;
pub mod row_verdict;
pub mod save_as_list;
pub mod search_box;
pub mod select_apply;
pub mod shell;
pub mod staff_shell;
pub mod stock_badge;
pub mod suggestions;
pub mod team_bits;
