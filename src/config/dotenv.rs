//! Setting some keys in a `.env` file while keeping every other byte: comments, blank lines,
//! other keys, `export` prefixes, line endings, and a comment after a replaced value.

use std::fmt;

/// The updated text and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Updated {
    pub text: String,
    /// Keys that were already assigned (every assignment of them now has the new value).
    pub replaced: Vec<String>,
    /// Keys appended at the end.
    pub added: Vec<String>,
}

/// Something in the file that readers do not agree on, on this line (counted from 1): such a
/// file is left alone, since what tlsforge writes after it could be read differently, or not at
/// all, by some reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Disputed {
    pub line: usize,
    pub why: Dispute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dispute {
    /// Another key's value opens this quote and never closes it: readers skip the line, but a
    /// quote written anywhere after it would close it and swallow everything in between.
    Unclosed(char),
    /// Another key's value quoted with this quote holds it after a backslash, with lines in
    /// between: python-dotenv and the `dotenv` package read on past it, Node's `--env-file`
    /// ends the value there, so they disagree on which lines are assignments.
    Backslash(char),
    /// A line that is neither blank, a comment nor an assignment: python-dotenv skips it, Node's
    /// `--env-file` reads on into the next line for its `=`.
    NotAnAssignment,
    /// A line ends in a carriage return alone (classic Mac OS): python-dotenv starts a new line
    /// there, Node's `--env-file` does not.
    CarriageReturn,
}

impl fmt::Display for Disputed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line;
        match self.why {
            Dispute::Unclosed(quote) => write!(f, "line {line}: a {quote} quote that is never closed"),
            Dispute::Backslash(q) => write!(
                f,
                "line {line}: a {q}quoted value holding \\{q} before a line break, which python-dotenv \
                 reads as part of the value and Node's --env-file as its end"
            ),
            Dispute::NotAnAssignment => write!(
                f,
                "line {line} is neither an assignment nor a comment: python-dotenv skips it, Node's \
                 --env-file reads on into the next line"
            ),
            Dispute::CarriageReturn => write!(
                f,
                "line {line} ends in a carriage return alone, a line break for python-dotenv but not for \
                 Node's --env-file"
            ),
        }
    }
}

/// Set each `(key, value)` in `existing`. Values must already be quoted for a `.env` file.
///
/// Every assignment of a key is replaced, not only the first: readers disagree on whether the
/// first or the last one wins. Keys not yet assigned are appended, with the file's line ending.
/// Another key's value that readers disagree on is an error (see [`Disputed`]); a value of one
/// of the keys being set is replaced whole, as python-dotenv reads it (up to the end of its line
/// when it is never closed), which leaves nothing to disagree on.
pub(crate) fn update(existing: &str, assignments: &[(&str, String)]) -> Result<Updated, Disputed> {
    let newline = if existing.contains("\r\n") { "\r\n" } else { "\n" };
    let mut text = String::with_capacity(existing.len() + 256);
    let mut replaced: Vec<String> = Vec::new();
    // Keys every reader now sees with the new value (see the byte-order mark below).
    let mut settled: Vec<&str> = Vec::new();
    // A byte-order mark stays. python-dotenv and Node read it as part of the first line's key
    // (`\u{feff}SSL_CERT_PATH`), other readers skip it: that line gets the new value, and the key
    // is appended as well, so that every reader sees it.
    let bom = if existing.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut pos = bom;
    text.push_str(&existing[..pos]);
    while pos < existing.len() {
        let line = &existing[pos..line_end(existing, pos)];
        let Some((key, value_at)) = assignment(line) else {
            let why = if line.ends_with('\r') && !line.ends_with("\r\n") {
                Some(Dispute::CarriageReturn)
            } else {
                let body = line.trim_matches([' ', '\t', '\r', '\n']);
                (!body.is_empty() && !body.starts_with('#')).then_some(Dispute::NotAnAssignment)
            };
            if let Some(why) = why {
                return Err(Disputed { line: line_number(existing, pos), why });
            }
            text.push_str(line);
            pos += line.len();
            continue;
        };
        // Every value is skipped whole: a line inside another key's multi-line quoted value is
        // part of that value, not an assignment.
        let value_start = pos + value_at;
        let span = value_span(existing, value_start);
        let (value_end, next) = match span {
            Err((Dispute::Unclosed(_), _)) => unquoted_span(existing, value_start),
            Ok(span) | Err((_, span)) => span,
        };
        let line_ending = &existing[value_end..next];
        if line_ending.ends_with('\r') {
            return Err(Disputed { line: line_number(existing, pos), why: Dispute::CarriageReturn });
        }
        let Some((key, value)) = assignments.iter().find(|(k, _)| *k == key).map(|(k, v)| (*k, v)) else {
            if let Err((why, _)) = span {
                return Err(Disputed { line: line_number(existing, pos), why });
            }
            text.push_str(&existing[pos..next]);
            pos = next;
            continue;
        };
        text.push_str(&existing[pos..value_start]);
        text.push_str(value);
        // What followed the old value on its last line: a comment, the line ending.
        text.push_str(&existing[value_end..next]);
        if !replaced.iter().any(|k| k == key) {
            replaced.push(key.to_owned());
        }
        if !(bom > 0 && pos == bom) && read_alike(&existing[pos..value_start], line_ending) {
            settled.push(key);
        }
        pos = next;
    }
    let mut added = Vec::new();
    if text == "\u{feff}" {
        // Nothing but the mark: the first key goes on its line too, as in a file that had it there,
        // since a line break right after the mark is a key of its own for some readers.
        if let Some((key, value)) = assignments.iter().find(|(key, _)| !settled.contains(key)) {
            for part in [*key, "=", value, newline] {
                text.push_str(part);
            }
        }
    }
    for (key, value) in assignments {
        if settled.contains(key) || added.iter().any(|k| k == key) {
            continue;
        }
        if !text.is_empty() && !text.ends_with(['\n', '\r']) {
            text.push_str(newline);
        }
        for part in [*key, "=", value, newline] {
            text.push_str(part);
        }
        added.push((*key).to_owned());
    }
    Ok(Updated { text, replaced, added })
}

/// Whether Node's `--env-file` reads an assignment as python-dotenv and the `dotenv` package
/// do, from what precedes its value (`head`) and what follows it on its last line (`tail`):
/// Node takes a tab for part of the key or the value, and strips `export` only with one space.
/// Where it does not, the key is appended too; the last assignment wins for all of them.
fn read_alike(head: &str, tail: &str) -> bool {
    let unindented = head.trim_start_matches(' ');
    let key = unindented.strip_prefix("export ").unwrap_or(unindented);
    let tail = tail.trim_end_matches(['\n', '\r']).trim_start_matches(' ');
    !head.contains('\t') && !key.starts_with(' ') && (tail.is_empty() || tail.starts_with('#'))
}

/// Where the line starting at `from` ends, after its terminator: `\r\n`, `\n` or a lone `\r`.
fn line_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes[from..].iter().position(|b| matches!(b, b'\n' | b'\r')) {
        None => text.len(),
        Some(i) if bytes[from + i] == b'\r' && bytes.get(from + i + 1) == Some(&b'\n') => from + i + 2,
        Some(i) => from + i + 1,
    }
}

/// `KEY=...`, `export KEY = ...`: the key and where its value starts in `line`.
fn assignment(line: &str) -> Option<(&str, usize)> {
    let body = line.trim_start_matches([' ', '\t']);
    let mut offset = line.len() - body.len();
    let mut body = body;
    if let Some(rest) = body.strip_prefix("export").filter(|r| r.starts_with([' ', '\t'])) {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        offset += body.len() - trimmed.len();
        body = trimmed;
    }
    // A key is what python-dotenv takes for one: anything up to a blank, `=` or `#`. Keys that
    // shells refuse (`1A`, `a.b`) are still keys whose values must be skipped whole.
    let key_len = body.find(|c: char| c.is_whitespace() || c == '=' || c == '#').unwrap_or(body.len());
    if key_len == 0 {
        return None;
    }
    let key = &body[..key_len];
    let after_key = &body[key_len..];
    let spaced = after_key.trim_start_matches([' ', '\t']);
    let after_eq = spaced.strip_prefix('=')?;
    let value = after_eq.trim_start_matches([' ', '\t']);
    Some((key, offset + (body.len() - value.len())))
}

/// The end of the value starting at `start`, and where the next line starts. A quoted value
/// may run over several lines and ends, as python-dotenv and the `dotenv` package read it, at
/// the first quote like its opening one that does not follow a backslash (`\\` does not escape
/// a backslash there). Anything after it on its last line stays. A value readers disagree on is
/// an error, with the span python-dotenv reads (see [`Dispute`]).
fn value_span(text: &str, start: usize) -> Result<(usize, usize), (Dispute, (usize, usize))> {
    let rest = &text[start..];
    let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else {
        return Ok(unquoted_span(text, start));
    };
    let mut after_backslash = false;
    let mut first_quote = None;
    for (i, c) in rest.char_indices().skip(1) {
        if c == quote && !after_backslash {
            let end = start + i + 1;
            let span = (end, line_end(text, end));
            // Node ends the value at the first quote whatever precedes it.
            let node_end = first_quote.unwrap_or(end);
            return if text[node_end..end].contains(['\n', '\r']) {
                Err((Dispute::Backslash(quote), span))
            } else {
                Ok(span)
            };
        }
        if c == quote {
            first_quote.get_or_insert(start + i + 1);
        }
        after_backslash = c == '\\';
    }
    Err((Dispute::Unclosed(quote), (text.len(), text.len())))
}

/// The number, from 1, of the line that starts at `pos`.
fn line_number(text: &str, pos: usize) -> usize {
    let (mut line, mut at) = (1, 0);
    while at < pos {
        at = line_end(text, at);
        line += 1;
    }
    line
}

/// An unquoted value (or an unclosed one, which readers skip): up to the end of its line.
fn unquoted_span(text: &str, start: usize) -> (usize, usize) {
    let next = line_end(text, start);
    let line = &text[start..next];
    let body = line.trim_end_matches(['\n', '\r']);
    // An unquoted value ends where a comment (whitespace then #) starts; trailing blanks stay.
    let comment = body.char_indices().find(|&(i, c)| c == '#' && i > 0 && body[..i].ends_with([' ', '\t']));
    let value = comment.map_or(body, |(i, _)| &body[..i]).trim_end_matches([' ', '\t']);
    (start + value.len(), next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(existing: &str, pairs: &[(&str, &str)]) -> Updated {
        let owned: Vec<(&str, String)> = pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        update(existing, &owned).unwrap()
    }

    #[test]
    fn a_missing_file_gets_the_keys() {
        let out = set("", &[("A", "1"), ("B", "'x y'")]);
        assert_eq!(out.text, "A=1\nB='x y'\n");
        assert_eq!(out.added, ["A", "B"]);
        assert!(out.replaced.is_empty());
    }

    #[test]
    fn other_lines_stay_byte_for_byte() {
        let before =
            "# settings\n\nPORT=8080 # the port\n  export A = old  # keep me\n#A=commented\nA_B=1\nZ='q'";
        let out = set(before, &[("A", "new"), ("C", "'c d'")]);
        assert_eq!(
            out.text,
            "# settings\n\nPORT=8080 # the port\n  export A = new  # keep me\n#A=commented\nA_B=1\nZ='q'\nC='c d'\n"
        );
        assert_eq!(out.replaced, ["A"]);
        assert_eq!(out.added, ["C"]);
    }

    #[test]
    fn every_assignment_of_a_key_is_replaced() {
        let out = set("A=1\nB=2\nA=3\n", &[("A", "9")]);
        assert_eq!(out.text, "A=9\nB=2\nA=9\n");
        assert_eq!(out.replaced, ["A"]);
    }

    #[test]
    fn quoted_and_multi_line_values_are_replaced_whole() {
        let before = "A=\"one\ntwo \\\" three\" # c\nB='x # not a comment' # c2\nC=`t`\nD=x\n";
        let out = set(before, &[("A", "1"), ("B", "2"), ("C", "3")]);
        assert_eq!(out.text, "A=1 # c\nB=2 # c2\nC=3\nD=x\n");
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let out = set("X=1\r\nA=old\r\n", &[("A", "new"), ("B", "b")]);
        assert_eq!(out.text, "X=1\r\nA=new\r\nB=b\r\n");
        let out = set("X=1", &[("B", "b")]);
        assert_eq!(out.text, "X=1\nB=b\n");
    }

    #[test]
    fn lookalike_keys_are_not_touched() {
        let before = "AB=1\nxA=2\nexportA=3\nA.b=1\n1A=2\nexport A=4\n";
        let out = set(before, &[("A", "9")]);
        assert_eq!(out.text, "AB=1\nxA=2\nexportA=3\nA.b=1\n1A=2\nexport A=9\n");
    }

    #[test]
    fn empty_and_unclosed_values_are_replaced_up_to_the_line_end() {
        let out = set("A=\nB='open\nC=1\n", &[("A", "x"), ("B", "y")]);
        assert_eq!(out.text, "A=x\nB=y\nC=1\n");
    }

    #[test]
    fn updating_twice_changes_nothing_more() {
        let once = set("# c\nA=1\n", &[("A", "'a b'"), ("B", "2")]).text;
        let twice = set(&once, &[("A", "'a b'"), ("B", "2")]);
        assert_eq!(twice.text, once);
        assert_eq!(twice.replaced, ["A", "B"]);
        assert!(twice.added.is_empty());
    }

    #[test]
    fn a_line_inside_another_keys_quoted_value_is_part_of_that_value() {
        let before = "PEM=\"-----BEGIN X-----\nSSL_CERT_PATH=inside\n-----END X-----\"\nSSL_CERT_PATH=old\n";
        let out = set(before, &[("SSL_CERT_PATH", "new")]);
        assert_eq!(
            out.text,
            "PEM=\"-----BEGIN X-----\nSSL_CERT_PATH=inside\n-----END X-----\"\nSSL_CERT_PATH=new\n"
        );
        let only_inside = set("PEM='a\nSSL_CERT_PATH=inside\nb'\n", &[("SSL_CERT_PATH", "new")]);
        assert_eq!(only_inside.text, "PEM='a\nSSL_CERT_PATH=inside\nb'\nSSL_CERT_PATH=new\n");
        assert_eq!(only_inside.added, ["SSL_CERT_PATH"]);
    }

    #[test]
    fn another_keys_quote_that_is_never_closed_leaves_the_file_alone() {
        let owned = [("SSL_KEY_PATH", "'/k'".to_owned())];
        // Found by the fuzzer: the quote written for SSL_KEY_PATH would close B's.
        let unclosed = |line, quote| Err(Disputed { line, why: Dispute::Unclosed(quote) });
        assert_eq!(update("A=1\r\nB='open\r\nC=3\r\n", &owned), unclosed(2, '\''));
        assert_eq!(update("A=1\nB=2\nC=\"x\n", &owned), unclosed(3, '"'));
        // One of the keys being set is replaced up to its line end, closing nothing.
        assert_eq!(set("SSL_KEY_PATH=\"open\nB=1\n", &[("SSL_KEY_PATH", "k")]).text, "SSL_KEY_PATH=k\nB=1\n");
    }

    #[test]
    fn a_quote_after_a_backslash_does_not_close_a_value_and_across_lines_is_refused() {
        // On one line, every reader sees the same lines, whatever it makes of the value.
        let before = "A=\"x\\\\\" B=\" # c\nSSL_KEY_PATH=old\nC='it\\'s' D='\nSSL_KEY_PATH=old\n";
        let out = set(before, &[("SSL_KEY_PATH", "new")]);
        assert_eq!(out.text, "A=\"x\\\\\" B=\" # c\nSSL_KEY_PATH=new\nC='it\\'s' D='\nSSL_KEY_PATH=new\n");
        // Across lines, Node would read SSL_KEY_PATH=inside as an assignment, python-dotenv not.
        let before = "PEM=\"a\\\"\nSSL_KEY_PATH=inside\n\"\nSSL_KEY_PATH=old\n";
        let owned = [("SSL_KEY_PATH", "new".to_owned())];
        assert_eq!(update(before, &owned), Err(Disputed { line: 1, why: Dispute::Backslash('"') }));
        // A value being replaced is replaced whole, which ends the dispute.
        assert_eq!(set(before, &[("PEM", "x")]).text, "PEM=x\nSSL_KEY_PATH=old\n");
    }

    #[test]
    fn a_byte_order_mark_and_cr_line_endings_are_kept() {
        // Readers that take the mark for part of the key see only the appended line.
        let out = set("\u{feff}A=old\nB=1\n", &[("A", "new")]);
        assert_eq!(out.text, "\u{feff}A=new\nB=1\nA=new\n");
        assert_eq!((out.replaced, out.added), (vec!["A".to_owned()], vec!["A".to_owned()]));
        let again = set(&out.text, &[("A", "new")]);
        assert_eq!(again.text, out.text);
        assert!(again.added.is_empty());
        let out = set("\u{feff}B=1\nA=old\n", &[("A", "new")]);
        assert_eq!(out.text, "\u{feff}B=1\nA=new\n");
        let out = set("\u{feff}", &[("A", "1"), ("B", "2")]);
        assert_eq!(out.text, "\u{feff}A=1\nA=1\nB=2\n");
        assert_eq!(set(&out.text, &[("A", "1"), ("B", "2")]).text, out.text);
    }

    #[test]
    fn a_line_node_reads_as_another_key_is_set_and_the_key_appended_too() {
        let before = "\tA=1\nexport  A=2\nA\t=3\nA=4\t# c\nexport\tA=5\n";
        let out = set(before, &[("A", "x")]);
        assert_eq!(out.text, "\tA=x\nexport  A=x\nA\t=x\nA=x\t# c\nexport\tA=x\nA=x\n");
        assert_eq!(set(&out.text, &[("A", "x")]).text, out.text);
        // Spaces, `export ` and a comment after spaces are read alike.
        let out = set("  export A = 1  # c\n", &[("A", "x")]);
        assert_eq!((out.text.as_str(), out.added.len()), ("  export A = x  # c\n", 0));
    }

    #[test]
    fn a_line_that_is_not_an_assignment_leaves_the_file_alone() {
        let owned = [("A", "new".to_owned())];
        for (before, line) in
            [("X=1\nA\n", 2), ("=A\nA=1\n", 1), ("A B=1\n", 1), ("# c\n\n  \t\nexport\n", 4)]
        {
            assert_eq!(
                update(before, &owned),
                Err(Disputed { line, why: Dispute::NotAnAssignment }),
                "{before:?}"
            );
        }
        // Inside a quoted value, a line is part of the value; a key python-dotenv reads is one.
        let out = set("1A='x\nA=inside\nno equals'\n", &[("A", "new")]);
        assert_eq!(out.text, "1A='x\nA=inside\nno equals'\nA=new\n");
    }

    #[test]
    fn a_line_ending_in_a_carriage_return_alone_leaves_the_file_alone() {
        let owned = [("A", "new".to_owned())];
        let at = |line| Err(Disputed { line, why: Dispute::CarriageReturn });
        assert_eq!(update("A=old\rB=1\r", &owned), at(1));
        assert_eq!(update("X=1\r\n# c\rA=old\n", &owned), at(2));
        assert_eq!(update("X='a\rb'\nY=\"\r\"\r\n", &owned).unwrap().text, "X='a\rb'\nY=\"\r\"\r\nA=new\r\n");
    }
}
