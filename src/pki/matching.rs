//! Which certificates of a run a private key belongs to, for runs of any length: every
//! certificate's public key is kept as a SHA-256 digest with where it was found, the first few
//! thousand in memory and the rest in an unnamed temporary file, so that memory does not grow
//! with the number of certificates. Keys are matched once, at the end, in one pass.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};

use ring::digest::{SHA256, digest};

/// Where a certificate was found: its input and its position in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub source: String,
    pub index: usize,
}

type Digest = [u8; 32];

/// How many certificates are kept in memory before the rest go to the temporary file.
const IN_MEMORY: usize = 4096;

#[derive(Debug, Default)]
pub(crate) struct CertIndex {
    /// The first certificates, in order.
    first: Vec<(Digest, Place)>,
    /// The rest, in order: digest, index (u64), source length (u32), source.
    rest: Option<BufWriter<File>>,
}

impl CertIndex {
    /// Record a certificate by its subject public key (the bits of its `SubjectPublicKeyInfo`).
    pub(crate) fn add(&mut self, public_key: &[u8], place: Place) -> io::Result<()> {
        let key = fingerprint(public_key);
        if self.first.len() < IN_MEMORY {
            self.first.push((key, place));
            return Ok(());
        }
        let rest = match &mut self.rest {
            Some(rest) => rest,
            None => self.rest.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        rest.write_all(&key)?;
        rest.write_all(&(place.index as u64).to_le_bytes())?;
        let len = u32::try_from(place.source.len()).map_err(|_| io::Error::other("source name too long"))?;
        rest.write_all(&len.to_le_bytes())?;
        rest.write_all(place.source.as_bytes())
    }

    /// For each key (by the caller's number, with its public key), the certificates it belongs
    /// to, in the order they were added.
    pub(crate) fn matches(self, keys: &[(usize, &[u8])]) -> io::Result<HashMap<usize, Vec<Place>>> {
        let mut wanted: HashMap<Digest, Vec<usize>> = HashMap::new();
        for (number, public_key) in keys {
            wanted.entry(fingerprint(public_key)).or_default().push(*number);
        }
        let mut found: HashMap<usize, Vec<Place>> = keys.iter().map(|(n, _)| (*n, Vec::new())).collect();
        let mut record = |key: &Digest, place: &Place| {
            for number in wanted.get(key).into_iter().flatten() {
                found.entry(*number).or_default().push(place.clone());
            }
        };
        for (key, place) in &self.first {
            record(key, place);
        }
        if let Some(rest) = self.rest {
            let mut file = rest.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            let mut reader = BufReader::new(file);
            while !reader.fill_buf()?.is_empty() {
                let mut key = [0; 32];
                let (mut index, mut len) = ([0; 8], [0; 4]);
                reader.read_exact(&mut key)?;
                reader.read_exact(&mut index)?;
                reader.read_exact(&mut len)?;
                let mut source = vec![0; u32::from_le_bytes(len) as usize];
                reader.read_exact(&mut source)?;
                let index = usize::try_from(u64::from_le_bytes(index)).unwrap_or(usize::MAX);
                let source =
                    String::from_utf8(source).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
                record(&key, &Place { source, index });
            }
        }
        Ok(found)
    }
}

fn fingerprint(public_key: &[u8]) -> Digest {
    let mut out = [0; 32];
    out.copy_from_slice(digest(&SHA256, public_key).as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(source: &str, index: usize) -> Place {
        Place { source: source.to_owned(), index }
    }

    #[test]
    fn keys_find_their_certificates_in_memory_and_in_the_file_in_order() {
        let mut index = CertIndex::default();
        for n in 0..IN_MEMORY + 10 {
            let public = if n % 1000 == 7 { b"A".to_vec() } else { n.to_le_bytes().to_vec() };
            index.add(&public, place(&format!("c{n}.crt"), n % 3)).unwrap();
        }
        index.add(b"A", place("last ü.crt", 0)).unwrap();
        assert!(index.rest.is_some(), "the test reaches the temporary file");
        let found = index.matches(&[(5, b"A"), (6, b"B"), (9, &1usize.to_le_bytes())]).unwrap();
        let a: Vec<&str> = found[&5].iter().map(|p| p.source.as_str()).collect();
        assert_eq!(a, ["c7.crt", "c1007.crt", "c2007.crt", "c3007.crt", "c4007.crt", "last ü.crt"]);
        assert!(found[&6].is_empty());
        assert_eq!(found[&9], [place("c1.crt", 1)]);
    }
}
