//! Facet rows: what facet counting and visibility need of each product, packed per slot of the
//! snapshot. A broad search matches tens of thousands of products; counting them through the
//! products themselves meant following a pointer to each product, its variants and their
//! attributes (several cache misses each: 8 ms p95 at 100,000 SKUs). A row is 16 bytes: the
//! category, the set of catalogs and the set of facet values (as numbers into small shared
//! tables) and whether any variant is in stock, so counting reads one row per match and adds into
//! arrays.
//!
//! Rows are derived data: the snapshot rebuilds a product's row whenever it replaces the product
//! or its stock, and every row when the small tables change (rows hold category positions).

use super::store::{Meta, Product};
use std::collections::HashMap;
use std::sync::Arc;

/// The attributes buyers filter by, in the order facets show them.
pub const FACET_ATTRIBUTES: [&str; 2] = ["material", "colour"];

/// Distinct sets, numbered: products share a handful of catalog combinations and a few hundred
/// combinations of facet values, so a row holds two numbers instead of two lists.
#[derive(Clone, Debug, Default)]
pub struct Sets<T: Clone + Eq + std::hash::Hash> {
    ids: HashMap<Box<[T]>, u32>,
    sets: Vec<Box<[T]>>,
}

impl<T: Clone + Eq + std::hash::Hash + Ord> Sets<T> {
    /// The number of the set of `items` (in any order, without repeats).
    fn id_or_add(&mut self, mut items: Vec<T>) -> u32 {
        items.sort();
        items.dedup();
        if let Some(&id) = self.ids.get(items.as_slice()) {
            return id;
        }
        let id = self.sets.len() as u32;
        let set: Box<[T]> = items.into();
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
    }

    pub fn get(&self, id: u32) -> &[T] {
        &self.sets[id as usize]
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }
}

/// The numbers rows refer to: facet values, catalog sets and value sets. Numbers only grow along
/// a chain of snapshots; a full load starts afresh.
#[derive(Clone, Debug, Default)]
pub struct FacetKeys {
    value_ids: HashMap<(usize, Arc<str>), u32>,
    /// (attribute position in `FACET_ATTRIBUTES`, value) by number.
    values: Vec<(usize, Arc<str>)>,
    pub catalog_sets: Sets<i64>,
    pub value_sets: Sets<u32>,
}

impl FacetKeys {
    fn value_or_add(&mut self, attribute: usize, value: &Arc<str>) -> u32 {
        if let Some(&id) = self.value_ids.get(&(attribute, value.clone())) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push((attribute, value.clone()));
        self.value_ids.insert((attribute, value.clone()), id);
        id
    }

    /// The number of `value` of the attribute at `attribute`, if any product ever had it.
    pub fn value_id(&self, attribute: usize, value: &str) -> Option<u32> {
        self.value_ids.get(&(attribute, Arc::from(value))).copied()
    }

    /// The attribute position and value of number `id`.
    pub fn value(&self, id: u32) -> (usize, &str) {
        let (attribute, value) = &self.values[id as usize];
        (*attribute, value)
    }

    pub fn value_count(&self) -> usize {
        self.values.len()
    }

    /// By catalog set: is it visible to a member who sees `catalogs`?
    pub fn visible_sets(&self, catalogs: &[i64]) -> Vec<bool> {
        (0..self.catalog_sets.len() as u32)
            .map(|s| self.catalog_sets.get(s).iter().any(|c| catalogs.contains(c)))
            .collect()
    }
}

/// What facet counting and visibility read of one product: 16 bytes, so the rows of a broad
/// query's matches stay in cache.
#[derive(Clone, Copy, Debug)]
pub struct FacetRow {
    /// Position of the product's category in `Meta::categories` (`u32::MAX`: none known).
    pub category: u32,
    /// The product's catalogs, a `FacetKeys::catalog_sets` number (`u32::MAX`: no product).
    pub catalogs: u32,
    /// The distinct facet values of all its variants, a `FacetKeys::value_sets` number.
    pub values: u32,
    /// Some variant has units in a warehouse.
    pub available: bool,
}

impl FacetRow {
    /// The row of a slot without a product: visible nowhere.
    pub fn empty() -> FacetRow {
        FacetRow { category: u32::MAX, catalogs: u32::MAX, values: u32::MAX, available: false }
    }

    pub fn of(product: &Product, meta: &Meta, keys: &mut FacetKeys) -> FacetRow {
        let mut values: Vec<u32> = vec![];
        for variant in &product.variants {
            for (attribute, value) in &variant.attributes {
                if let Some(at) = FACET_ATTRIBUTES.iter().position(|a| **a == **attribute) {
                    values.push(keys.value_or_add(at, value));
                }
            }
        }
        FacetRow {
            category: meta.categories.iter().position(|c| c.id == product.category_id).map_or(u32::MAX, |p| p as u32),
            catalogs: keys.catalog_sets.id_or_add(product.catalogs().to_vec()),
            values: keys.value_sets.id_or_add(values),
            available: Self::in_stock(product),
        }
    }

    pub fn in_stock(product: &Product) -> bool {
        product.variants.iter().any(|v| v.stock > 0)
    }

    /// Visible, given `FacetKeys::visible_sets` of the member's catalogs.
    pub fn visible(&self, visible_sets: &[bool]) -> bool {
        visible_sets.get(self.catalogs as usize).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_numbered_once_in_any_order() {
        let mut sets: Sets<i64> = Sets::default();
        let a = sets.id_or_add(vec![3, 1]);
        assert_eq!(sets.id_or_add(vec![1, 3, 3]), a);
        let b = sets.id_or_add(vec![]);
        assert_ne!(a, b);
        assert_eq!(sets.get(a), &[1, 3]);
        assert!(sets.get(b).is_empty());
        assert_eq!(std::mem::size_of::<FacetRow>(), 16);
    }

    #[test]
    fn values_are_numbered_once_per_attribute_and_catalog_sets_answer_visibility() {
        let mut keys = FacetKeys::default();
        let steel: Arc<str> = "steel".into();
        let a = keys.value_or_add(0, &steel);
        assert_eq!(keys.value_or_add(0, &steel), a);
        let b = keys.value_or_add(1, &steel);
        assert_ne!(a, b, "a colour and a material may share a code");
        assert_eq!(keys.value_id(0, "steel"), Some(a));
        assert_eq!(keys.value_id(1, "brass"), None);
        assert_eq!(keys.value(b), (1, "steel"));
        let core = keys.catalog_sets.id_or_add(vec![1]);
        let both = keys.catalog_sets.id_or_add(vec![1, 2]);
        let visible = keys.visible_sets(&[2]);
        let row = |catalogs| FacetRow { category: 0, catalogs, values: 0, available: true };
        assert!(!row(core).visible(&visible) && row(both).visible(&visible));
        assert!(!FacetRow::empty().visible(&visible));
    }
}
