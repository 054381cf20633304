//! A minimal DER reader and writer. The reader has just enough structure to read private-key
//! files (PKCS#8, PKCS#1, SEC1), whose layouts x509-parser does not cover, and PKCS#12 algorithm
//! identifiers; it never panics on malformed input. The writer builds the PKCS#12 files
//! tlsforge writes (`p12/write.rs`) from these few definite-length elements.

/// One DER element: its tag byte, its content, and the exact bytes it occupied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub raw: &'a [u8],
}

pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const BMP_STRING: u8 = 0x1e;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
/// `[n]` EXPLICIT, constructed, context-specific.
pub(crate) const fn context(n: u8) -> u8 {
    0xa0 | n
}
/// `[n]` IMPLICIT over a primitive type (as PKCS#8 v2's public key).
pub(crate) const fn context_primitive(n: u8) -> u8 {
    0x80 | n
}

/// Read one element from the front of `input`; returns it and the rest.
pub(crate) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags do not occur in key files
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > std::mem::size_of::<usize>() || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if rest.len() < len {
        return None;
    }
    let header = input.len() - rest.len();
    let (content, after) = rest.split_at(len);
    Some((Tlv { tag, content, raw: &input[..header + len] }, after))
}

/// Read one element of the expected tag.
pub(crate) fn expect(input: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(input).filter(|(tlv, _)| tlv.tag == tag)
}

/// The elements of a constructed value, in order (`None` if any is malformed).
pub(crate) fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (tlv, after) = read(rest)?;
        out.push(tlv);
        rest = after;
    }
    Some(out)
}

/// An INTEGER's magnitude without the sign-padding zero bytes.
pub(crate) fn unsigned(content: &[u8]) -> &[u8] {
    let first_nonzero = content.iter().position(|b| *b != 0).unwrap_or(content.len());
    &content[first_nonzero..]
}

/// Bits in a big-endian unsigned magnitude.
pub(crate) fn bit_len(magnitude: &[u8]) -> usize {
    let magnitude = unsigned(magnitude);
    magnitude.first().map_or(0, |top| magnitude.len() * 8 - top.leading_zeros() as usize)
}

/// One element: `tag`, the definite length of `content` (short or long form), `content`.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let length = content.len().to_be_bytes();
    let skip = length.iter().take_while(|b| **b == 0).count();
    let significant = &length[skip..];
    let mut out = Vec::with_capacity(content.len() + 2 + significant.len());
    out.push(tag);
    match significant {
        [] => out.push(0),
        [short] if *short < 0x80 => out.push(*short),
        _ => {
            // At most size_of::<usize>() bytes follow: the count fits the low 7 bits.
            let [.., count] = significant.len().to_be_bytes();
            out.push(0x80 | count);
            out.extend_from_slice(significant);
        }
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already encoded elements, in order.
pub(crate) fn sequence(elements: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &elements.concat())
}

/// A SET OF already encoded elements, in DER's order (ascending encodings).
pub(crate) fn set_of(mut elements: Vec<Vec<u8>>) -> Vec<u8> {
    elements.sort();
    tlv(SET, &elements.concat())
}

/// A non-negative INTEGER, in the fewest octets.
pub(crate) fn integer(value: u32) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(bytes.len() - 1);
    let mut content = Vec::with_capacity(5);
    if bytes[skip] & 0x80 != 0 {
        content.push(0); // the sign bit must read as positive
    }
    content.extend_from_slice(&bytes[skip..]);
    tlv(INTEGER, &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let (tlv, rest) = read(&[0x04, 0x02, 0xaa, 0xbb, 0xff]).unwrap();
        assert_eq!((tlv.tag, tlv.content, rest), (0x04, &[0xaa, 0xbb][..], &[0xff][..]));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let (tlv, rest) = read(&long).unwrap();
        assert_eq!(tlv.content.len(), 0x80);
        assert!(rest.is_empty());
        assert_eq!(tlv.raw.len(), long.len());
    }

    #[test]
    fn malformed_input_is_none_not_a_panic() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x05, 0x00],
            &[0x30, 0x80],
            &[0x30, 0x89, 1, 2, 3],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(read(bad).is_none(), "{bad:?}");
        }
        assert!(children(&[0x02, 0x01, 0x00, 0x02]).is_none());
    }

    #[test]
    fn writes_what_it_reads() {
        for len in [0usize, 1, 0x7f, 0x80, 0xff, 0x100, 0x1_0000] {
            let content = vec![0x5a; len];
            let encoded = tlv(OCTET_STRING, &content);
            let (tlv, rest) = read(&encoded).unwrap();
            assert_eq!((tlv.tag, tlv.content, rest.is_empty()), (OCTET_STRING, &content[..], true), "{len}");
        }
        assert_eq!(tlv(OCTET_STRING, &[0; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(tlv(OCTET_STRING, &[0; 0x100])[..4], [0x04, 0x82, 0x01, 0x00]);
        assert_eq!(integer(0), [0x02, 0x01, 0x00]);
        assert_eq!(integer(3), [0x02, 0x01, 0x03]);
        assert_eq!(integer(0x80), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(integer(10_000), [0x02, 0x02, 0x27, 0x10]);
        assert_eq!(integer(u32::MAX), [0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(sequence(&[&integer(1), &[0x05, 0x00]]), [0x30, 0x05, 0x02, 0x01, 0x01, 0x05, 0x00]);
        let sorted = set_of(vec![vec![0x04, 0x01, 0x02], vec![0x04, 0x01, 0x01], vec![0x02, 0x01, 0x09]]);
        assert_eq!(sorted, [0x31, 0x09, 0x02, 0x01, 0x09, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02]);
    }

    #[test]
    fn integer_magnitudes() {
        assert_eq!(unsigned(&[0, 0, 0x80, 1]), &[0x80, 1]);
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
