//! A QR code on the terminal, two modules per character cell (Unicode half blocks), so that a
//! phone's camera reads it at ordinary terminal sizes. With colour, the code is drawn black on
//! bright white whatever the terminal's theme; without, light modules are drawn as blocks, which
//! reads right on the usual light-on-dark terminal (and phone cameras also read the inverse).

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, as the standard asks.
const QUIET: usize = 4;

/// The lines that draw `text` as a QR code; `None` if it does not fit in one.
pub(crate) fn lines(text: &str, colour: bool) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let dark = |x: usize, y: usize| {
        let inside = (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
        inside && colors[(y - QUIET) * width + (x - QUIET)] == Color::Dark
    };
    let mut out = Vec::with_capacity(size.div_ceil(2));
    for top in (0..size).step_by(2) {
        let mut line = String::with_capacity(size * 3 + 16);
        if colour {
            line.push_str("\x1b[30;107m");
        }
        for x in 0..size {
            let upper = dark(x, top);
            let lower = top + 1 < size && dark(x, top + 1);
            // Which half is drawn: the dark modules in colour (black ink), else the light ones.
            let (upper, lower) = if colour { (upper, lower) } else { (!upper, !lower && top + 1 < size) };
            line.push(match (upper, lower) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        if colour {
            line.push_str("\x1b[0m");
        }
        out.push(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read the modules back from the drawing.
    fn modules(lines: &[String], colour: bool) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in lines {
            let line = line.replace("\x1b[30;107m", "").replace("\x1b[0m", "");
            let (mut upper, mut lower) = (Vec::new(), Vec::new());
            for c in line.chars() {
                let (u, l) = match c {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                };
                upper.push(if colour { u } else { !u });
                lower.push(if colour { l } else { !l });
            }
            rows.push(upper);
            rows.push(lower);
        }
        rows
    }

    #[test]
    fn both_drawings_hold_the_codes_modules_inside_a_quiet_zone() {
        let url = "http://192.168.1.20:41234/";
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let colors = code.to_colors();
        for colour in [true, false] {
            let drawn = modules(&lines(url, colour).unwrap(), colour);
            for (y, row) in drawn.iter().enumerate().take(width + 2 * QUIET) {
                for (x, dark) in row.iter().enumerate() {
                    let inside = (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
                    let expected = inside && colors[(y - QUIET) * width + (x - QUIET)] == Color::Dark;
                    assert_eq!(*dark, expected, "colour {colour}: module ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn too_much_text_for_a_code_is_none() {
        assert!(lines(&"x".repeat(5000), false).is_none());
    }
}
