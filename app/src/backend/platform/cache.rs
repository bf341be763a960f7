//! A small time-bounded cache for data that is the same for every member of a company and
//! changes rarely (filter options of a catalog). It is a cache, not state: the database stays
//! the truth, every app server keeps its own copy, and an entry lives `ttl` at most, so a
//! change shows everywhere within that time.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        TtlCache { ttl, max_entries, entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.max_entries {
                let ttl = self.ttl;
                entries.retain(|_, (at, _)| at.elapsed() < ttl);
                if entries.len() >= self.max_entries {
                    entries.clear();
                }
            }
            entries.insert(key, (Instant::now(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_size_is_bounded() {
        let cache = TtlCache::new(Duration::from_millis(30), 2);
        cache.insert(1, "a");
        assert_eq!(cache.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&1), None);
        cache.insert(2, "b");
        cache.insert(3, "c");
        cache.insert(4, "d");
        assert!(cache.entries.lock().unwrap().len() <= 2);
        assert_eq!(cache.get(&4), Some("d"));
    }
}
