//! A small PDF writer for text documents (invoices): A4 pages of lines in
//! the standard Helvetica fonts, which every PDF reader has, so no font is
//! embedded. Text outside Windows-1252 is shown as `?`.

/// Where and how one piece of text goes on a page (points from the bottom left).
pub struct Text {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub text: String,
}

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;

/// The document: one `Vec<Text>` per page.
pub fn render(pages: &[Vec<Text>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    // 1 catalog, 2 page tree, 3 and 4 fonts, then a page and its content per page.
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut out, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).as_bytes());
    for font in ["Helvetica", "Helvetica-Bold"] {
        object(&mut out, format!("<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>").as_bytes());
    }
    for (i, page) in pages.iter().enumerate() {
        object(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                6 + 2 * i
            )
            .as_bytes(),
        );
        let mut content = Vec::new();
        for t in page {
            content.extend_from_slice(
                format!("BT /{} {:.1} Tf {:.1} {:.1} Td (", if t.bold { "F2" } else { "F1" }, t.size, t.x, t.y).as_bytes(),
            );
            content.extend(encode(&t.text));
            content.extend_from_slice(b") Tj ET\n");
        }
        let mut body = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        body.extend(content);
        body.extend_from_slice(b"\nendstream");
        object(&mut out, &body);
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for offset in &offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    out
}

/// Text as a PDF string body in Windows-1252, with `(`, `)` and `\` escaped.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                c as u8
            }
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '−' => b'-',
            _ => b'?',
        };
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text { x: 50.0, y: 800.0, size: 12.0, bold: false, text: s.into() }
    }

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let pdf = render(&[vec![text("Invoice OX-1")], vec![text("page two")]]);
        let body = String::from_utf8_lossy(&pdf);
        assert!(body.starts_with("%PDF-1.4") && body.ends_with("%%EOF\n"));
        let xref: usize = body.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        // Offsets count bytes of the file (its binary-marker comment is not UTF-8).
        let table = std::str::from_utf8(&pdf[xref..]).unwrap();
        assert!(table.starts_with("xref"));
        let entries: Vec<usize> = table.lines().skip(3).take(8).map(|l| l[..10].parse().unwrap()).collect();
        assert_eq!(entries.len(), 8, "catalog, pages, two fonts, two pages with their contents");
        for (i, offset) in entries.iter().enumerate() {
            assert!(pdf[*offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {}", i + 1);
        }
        assert!(body.contains("/Count 2"));
    }

    #[test]
    fn text_is_escaped_and_encoded() {
        assert_eq!(encode("a(b)c\\"), b"a\\(b\\)c\\\\");
        assert_eq!(encode("€5 × 2 – ok"), b"\x805 \xd7 2 \x96 ok");
        assert_eq!(encode("日本"), b"??");
    }
}
