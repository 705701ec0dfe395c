//! The write token: reading stays open to everyone the server is reachable by; saving a
//! correction from another computer needs this secret.
//!
//! `vanban serve` creates it on first start in `INDEX/write-token` (mode 0600: only the
//! account running the server reads it), prints it once, and `vanban serve --rotate-token`
//! replaces it. The file is read at every write, so a rotation takes effect at once.
//!
//! CSRF: a browser form proves it came from a page this server wrote by sending
//! [`csrf`] of the token, which only pages served to an authorized viewer carry (the
//! loopback clerk, or one whose browser holds the token in a `SameSite=Strict`, HttpOnly
//! cookie); and a write whose `Origin` (or `Sec-Fetch-Site`) names another site is refused
//! whatever it carries.

use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "write-token";
/// The cookie holding the token in a clerk's browser.
pub const COOKIE: &str = "vanban_write";

pub fn path_in(index_dir: &Path) -> PathBuf {
    index_dir.join(FILE_NAME)
}

/// The token of the index in `index_dir`, created when absent; `true` when it was just made
/// (the only time it is printed).
pub fn load_or_create(index_dir: &Path) -> io::Result<(String, bool)> {
    if let Some(token) = load(index_dir)? {
        return Ok((token, false));
    }
    std::fs::create_dir_all(index_dir)?;
    let token = fresh()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path_in(index_dir)) {
        Ok(mut file) => {
            file.write_all(token.as_bytes())?;
            file.sync_all()?;
            crate::fsx::sync_dir(index_dir)?;
            Ok((token, true))
        }
        // Another server started at the same moment made it: use theirs.
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok((load(index_dir)?.unwrap_or_default(), false)),
        Err(err) => Err(err),
    }
}

/// The token on file, if any.
pub fn load(index_dir: &Path) -> io::Result<Option<String>> {
    match std::fs::read_to_string(path_in(index_dir)) {
        Ok(text) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Replaces the token (the old one stops working at once) and returns the new one.
pub fn rotate(index_dir: &Path) -> io::Result<String> {
    std::fs::create_dir_all(index_dir)?;
    let token = fresh()?;
    let path = path_in(index_dir);
    let mut file = crate::fsx::AtomicFile::create(&path)?;
    file.write_all(token.as_bytes())?;
    file.commit()?;
    #[cfg(unix)]
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(token)
}

/// 32 random bytes from the kernel, in hex.
fn fresh() -> io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The value forms carry to prove they come from a page of this server.
pub fn csrf(token: &str) -> String {
    let digest = Sha256::digest(format!("vanban-csrf\0{token}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_created_once_private_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let (token, created) = load_or_create(dir.path()).unwrap();
        assert!(created && token.len() == 64);
        assert_eq!(load_or_create(dir.path()).unwrap(), (token.clone(), false));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path_in(dir.path())).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let rotated = rotate(dir.path()).unwrap();
        assert_ne!(rotated, token);
        assert_eq!(load(dir.path()).unwrap(), Some(rotated.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path_in(dir.path())).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(same(&rotated, &rotated) && !same(&rotated, &token) && !same("", ""));
        assert_ne!(csrf(&rotated), csrf(&token));
    }
}
