//! Setting some keys in a `.env` file while keeping every other byte: comments, blank lines,
//! other keys, `export` prefixes, line endings, and a comment after a replaced value.

/// The updated text and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Updated {
    pub text: String,
    /// Keys that were already assigned (every assignment of them now has the new value).
    pub replaced: Vec<String>,
    /// Keys appended at the end.
    pub added: Vec<String>,
}

/// Set each `(key, value)` in `existing`. Values must already be quoted for a `.env` file.
///
/// Every assignment of a key is replaced, not only the first: readers disagree on whether the
/// first or the last one wins. Keys not yet assigned are appended, with the file's line ending.
pub(crate) fn update(existing: &str, assignments: &[(&str, String)]) -> Updated {
    let newline = if existing.contains("\r\n") {
        "\r\n"
    } else if existing.contains('\r') && !existing.contains('\n') {
        // Classic Mac line endings, which python-dotenv reads as lines too.
        "\r"
    } else {
        "\n"
    };
    let mut text = String::with_capacity(existing.len() + 256);
    let mut replaced: Vec<String> = Vec::new();
    // A byte-order mark stays, and does not hide the first line's key.
    let mut pos = if existing.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    text.push_str(&existing[..pos]);
    while pos < existing.len() {
        let line = &existing[pos..line_end(existing, pos)];
        let Some((key, value_at)) = assignment(line) else {
            text.push_str(line);
            pos += line.len();
            continue;
        };
        // Every value is skipped whole: a line inside another key's multi-line quoted value is
        // part of that value, not an assignment.
        let value_start = pos + value_at;
        let (value_end, next) = value_span(existing, value_start);
        let Some((key, value)) = assignments.iter().find(|(k, _)| *k == key).map(|(k, v)| (*k, v)) else {
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
        pos = next;
    }
    let mut added = Vec::new();
    for (key, value) in assignments {
        if replaced.iter().any(|k| k == key) || added.iter().any(|k| k == key) {
            continue;
        }
        if !text.is_empty() && !text.ends_with(['\n', '\r']) && text != "\u{feff}" {
            text.push_str(newline);
        }
        for part in [*key, "=", value, newline] {
            text.push_str(part);
        }
        added.push((*key).to_owned());
    }
    Updated { text, replaced, added }
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
    let key_len = body
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphanumeric() || c == '_' || (i > 0 && (c == '.' || c == '-'))))
        .map_or(body.len(), |(i, _)| i);
    if key_len == 0 || body.starts_with(|c: char| c.is_ascii_digit()) {
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
/// may run over several lines; anything after it on its last line stays.
fn value_span(text: &str, start: usize) -> (usize, usize) {
    let rest = &text[start..];
    let line_end = |from: usize| line_end(text, from);
    if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
        let mut escaped = false;
        for (i, c) in rest.char_indices().skip(1) {
            if quote == '"' && !escaped && c == '\\' {
                escaped = true;
                continue;
            }
            if c == quote && !escaped {
                let end = start + i + 1;
                return (end, line_end(end));
            }
            escaped = false;
        }
        // An unclosed quote: treat the value as ending with its line.
    }
    let next = line_end(start);
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
        update(existing, &owned)
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
        let before = "AB=1\nxA=2\nexportA=3\nA\n=A\nexport  A=4\n";
        let out = set(before, &[("A", "9")]);
        assert_eq!(out.text, "AB=1\nxA=2\nexportA=3\nA\n=A\nexport  A=9\n");
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
    fn a_byte_order_mark_and_cr_line_endings_are_kept() {
        let out = set("\u{feff}A=old\nB=1\n", &[("A", "new")]);
        assert_eq!(out.text, "\u{feff}A=new\nB=1\n");
        assert_eq!(out.replaced, ["A"]);
        let out = set("\u{feff}", &[("A", "1")]);
        assert_eq!(out.text, "\u{feff}A=1\n");
        let out = set("A=old\rB=1\r", &[("A", "new"), ("C", "2")]);
        assert_eq!(out.text, "A=new\rB=1\rC=2\r");
    }
}
