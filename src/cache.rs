//! Per-page result cache that makes an interrupted overnight run resumable, and the atomic file
//! writes every output relies on.
//!
//! An entry is stored under the hash of everything that determines its content (the page image,
//! the model file, the tool version, the layout …), so a changed input or setting never reuses a
//! stale result. Entries are written to a temporary file and renamed, and carry a checksum of their
//! payload, so a run killed mid-write (or a disk error) leaves either a whole entry or none, and a
//! damaged entry is detected and recomputed instead of being trusted.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why the cache or an output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The folder cannot be created or written.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A value could not be serialised.
    #[error("cannot serialise a cache entry: {0}")]
    Serialise(#[from] serde_json::Error),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CacheError + '_ {
    move |source| CacheError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes what `fill` produces to `path` so that readers see either the old file or the whole new
/// one: the data goes to a temporary file in the same folder, is flushed to disk, then renamed
/// over `path`. On any error the temporary file is removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// [`write_atomic_with`] for bytes already in memory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    write_atomic_with(path, |w| w.write_all(bytes)).map_err(io_err(path))
}

/// Hex SHA-256 of several byte strings, each length-prefixed so that `["ab","c"]` and `["a","bc"]`
/// differ.
pub fn hash_parts(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

/// Hex SHA-256 of a file's content, read in blocks.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(hex(&h.finalize())),
            n => h.update(&buf[..n]),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A folder of cache entries keyed by content hash.
#[derive(Debug, Clone)]
pub struct PageCache {
    dir: PathBuf,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup<T> {
    /// A valid entry.
    Hit(T),
    /// No entry.
    Miss,
    /// An entry existed but was damaged (wrong checksum or unreadable); it was removed.
    Corrupt,
}

const MAGIC: &str = "doisoat-cache-v1";

impl PageCache {
    /// Opens (creating if needed) the cache folder and proves it writable now, so a read-only or
    /// full disk is reported before hours of OCR rather than after.
    pub fn open(dir: &Path) -> Result<PageCache, CacheError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        write_atomic(&dir.join(".writable"), b"ok")?;
        Ok(PageCache {
            dir: dir.to_path_buf(),
        })
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.dir.join(shard).join(format!("{key}.json"))
    }

    /// Looks up `key`; a damaged entry is deleted and reported as [`Lookup::Corrupt`].
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Lookup<T> {
        let path = self.entry_path(key);
        let Ok(bytes) = fs::read(&path) else {
            return Lookup::Miss;
        };
        let parsed = std::str::from_utf8(&bytes).ok().and_then(|text| {
            let (header, payload) = text.split_once('\n')?;
            let sum = header.strip_prefix(MAGIC)?.trim();
            (sum == hash_parts(&[payload.as_bytes()]))
                .then(|| serde_json::from_str::<T>(payload).ok())
                .flatten()
        });
        match parsed {
            Some(v) => Lookup::Hit(v),
            None => {
                // Removing lets the recomputed value take its place; failing to remove only means
                // the entry is overwritten by the next put.
                let _ = fs::remove_file(&path);
                Lookup::Corrupt
            }
        }
    }

    /// Stores `value` under `key`, atomically.
    pub fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), CacheError> {
        let payload = serde_json::to_string(value)?;
        let path = self.entry_path(key);
        let dir = path.parent().expect("entries live in a shard folder");
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        let sum = hash_parts(&[payload.as_bytes()]);
        write_atomic(&path, format!("{MAGIC} {sum}\n{payload}").as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_value_is_found_again_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::open(dir.path()).unwrap();
        let key = hash_parts(&[b"page", b"1"]);
        cache.put(&key, &vec!["Nguyễn Văn An".to_string()]).unwrap();
        match cache.get::<Vec<String>>(&key) {
            Lookup::Hit(v) => assert_eq!(v, ["Nguyễn Văn An"]),
            other => panic!("expected a hit, got {other:?}"),
        }
        assert!(matches!(
            cache.get::<Vec<String>>(&hash_parts(&[b"other"])),
            Lookup::Miss
        ));
    }

    #[test]
    fn a_damaged_entry_is_detected_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::open(dir.path()).unwrap();
        let key = hash_parts(&[b"page"]);
        cache.put(&key, &42u32).unwrap();
        let path = cache.entry_path(&key);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] = b'3';
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(cache.get::<u32>(&key), Lookup::Corrupt));
        assert!(!path.exists());
        fs::write(&path, b"").unwrap();
        assert!(matches!(cache.get::<u32>(&key), Lookup::Corrupt));
    }

    #[test]
    fn hash_parts_separates_boundaries() {
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("report.json")]);
    }

    #[test]
    fn an_unwritable_cache_folder_is_refused_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        fs::write(&file, b"x").unwrap();
        let err = PageCache::open(&file.join("cache"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not-a-dir"), "{err}");
    }
}
