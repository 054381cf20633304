//! RFC 6455 frames, from either side: a client reads unmasked frames and writes masked ones, a
//! server the other way round.

use std::io::{self, Read, Write};

use super::Error;

pub(crate) const CONTINUATION: u8 = 0x0;
pub(crate) const TEXT: u8 = 0x1;
pub(crate) const BINARY: u8 = 0x2;
pub(crate) const CLOSE: u8 = 0x8;
pub(crate) const PING: u8 = 0x9;
pub(crate) const PONG: u8 = 0xA;

/// The most a control frame (close, ping, pong) may carry.
pub(crate) const MAX_CONTROL: usize = 125;

/// Which end of the connection reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Client,
    Server,
}

/// One frame from the peer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Frame {
    pub(crate) fin: bool,
    pub(crate) opcode: u8,
    pub(crate) payload: Vec<u8>,
}

impl Frame {
    pub(crate) fn is_control(&self) -> bool {
        self.opcode & 0x8 != 0
    }
}

/// Read one frame whose payload is at most `max_payload` bytes (larger is a protocol error,
/// found before anything is allocated), as `side` reads it: a server takes only masked frames
/// and unmasks them, a client only unmasked ones.
pub(crate) fn read(input: &mut impl Read, max_payload: usize, side: Side) -> Result<Frame, Error> {
    let mut head = [0u8; 2];
    input.read_exact(&mut head).map_err(|e| Error::from_read(&e))?;
    let fin = head[0] & 0x80 != 0;
    if head[0] & 0x70 != 0 {
        return Err(Error::Protocol("a frame has reserved bits set (no extension was agreed)".into()));
    }
    let opcode = head[0] & 0x0F;
    let masked = head[1] & 0x80 != 0;
    match (side, masked) {
        (Side::Client, true) => {
            return Err(Error::Protocol("the server masked a frame (servers must not)".into()));
        }
        (Side::Server, false) => {
            return Err(Error::Protocol("the client sent an unmasked frame (clients must mask)".into()));
        }
        _ => {}
    }
    let length = match head[1] & 0x7F {
        126 => {
            let mut bytes = [0u8; 2];
            input.read_exact(&mut bytes).map_err(|e| Error::from_read(&e))?;
            u64::from(u16::from_be_bytes(bytes))
        }
        127 => {
            let mut bytes = [0u8; 8];
            input.read_exact(&mut bytes).map_err(|e| Error::from_read(&e))?;
            u64::from_be_bytes(bytes)
        }
        short => u64::from(short),
    };
    let control = opcode & 0x8 != 0;
    if control && (!fin || length > MAX_CONTROL as u64) {
        return Err(Error::Protocol("a control frame is fragmented or longer than 125 bytes".into()));
    }
    let length = usize::try_from(length).ok().filter(|n| *n <= max_payload).ok_or_else(|| {
        Error::Protocol(format!("a frame of {length} bytes is larger than the limit of {max_payload}"))
    })?;
    let mut mask = [0u8; 4];
    if masked {
        input.read_exact(&mut mask).map_err(|e| Error::from_read(&e))?;
    }
    let mut payload = vec![0u8; length];
    input.read_exact(&mut payload).map_err(|e| Error::from_read(&e))?;
    if masked {
        payload.iter_mut().zip(mask.iter().cycle()).for_each(|(byte, key)| *byte ^= key);
    }
    Ok(Frame { fin, opcode, payload })
}

/// One frame from the start of `buffer` (as [`read`] takes it) and how many bytes it took;
/// `None` while `buffer` holds only part of it. For readers that cannot block on a stream.
pub(crate) fn decode(buffer: &[u8], max_payload: usize, side: Side) -> Result<Option<(Frame, usize)>, Error> {
    let mut rest = buffer;
    match read(&mut rest, max_payload, side) {
        Ok(frame) => Ok(Some((frame, buffer.len() - rest.len()))),
        Err(Error::Closed(None)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Write one final (unfragmented) frame: masked with `mask` as every client frame must be, or
/// unmasked (`None`) as a server's.
pub(crate) fn write(
    output: &mut impl Write,
    opcode: u8,
    payload: &[u8],
    mask: Option<[u8; 4]>,
) -> io::Result<()> {
    output.write_all(&encode(opcode, payload, mask))?;
    output.flush()
}

/// The bytes of one final frame, as [`write`] sends them.
pub(crate) fn encode(opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(payload.len() + 14);
    bytes.push(0x80 | opcode);
    let bit = if mask.is_some() { 0x80 } else { 0 };
    match payload.len() {
        n @ 0..=125 => bytes.push(bit | u8::try_from(n).unwrap_or(125)),
        n @ 126..=0xFFFF => {
            bytes.push(bit | 0x7E);
            bytes.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
        }
        n => {
            bytes.push(bit | 0x7F);
            bytes.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    match mask {
        Some(mask) => {
            bytes.extend_from_slice(&mask);
            bytes.extend(payload.iter().zip(mask.iter().cycle()).map(|(byte, key)| byte ^ key));
        }
        None => bytes.extend_from_slice(payload),
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_reads_what_the_other_writes_and_refuses_the_wrong_masking() {
        let payload = b"ping from a phone".repeat(10);
        let mut from_client = Vec::new();
        write(&mut from_client, TEXT, &payload, Some([1, 2, 3, 4])).unwrap();
        assert_ne!(&from_client[4..], &payload[..], "masked on the wire");
        let frame = read(&mut from_client.as_slice(), 4096, Side::Server).unwrap();
        assert_eq!((frame.fin, frame.opcode, frame.payload.as_slice()), (true, TEXT, payload.as_slice()));
        assert!(matches!(read(&mut from_client.as_slice(), 4096, Side::Client), Err(Error::Protocol(_))));

        let mut from_server = Vec::new();
        write(&mut from_server, BINARY, &payload, None).unwrap();
        let frame = read(&mut from_server.as_slice(), 4096, Side::Client).unwrap();
        assert_eq!((frame.opcode, frame.payload), (BINARY, payload.clone()));
        assert!(matches!(read(&mut from_server.as_slice(), 4096, Side::Server), Err(Error::Protocol(_))));
        assert!(
            matches!(read(&mut from_server.as_slice(), 16, Side::Client), Err(Error::Protocol(_))),
            "over the limit"
        );
    }
}
