//! The safe formatting a product description may use, and its HTML. Staff
//! type plain text with a few marks; nothing they type becomes markup of its
//! own: every character is escaped, and only these marks make elements:
//! - a blank line between paragraphs, a line break kept as `<br>`;
//! - `## Heading` on a line of its own;
//! - lines starting `- ` (or `* `) make a list, `1. ` a numbered one;
//! - `**bold**`, `*italic*` or `_italic_`;
//! - `[words](https://…)` a link, only to `http(s)://` or a path of the
//!   shop (`/c/lamps`); it opens with `rel="nofollow noopener"`.
//!
//! The server renders it (the browser is handed the HTML, so the shopper's
//! WebAssembly carries no parser); [`plain`] gives the words alone, for meta
//! descriptions.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One block of a description.
enum Block<'a> {
    Heading(&'a str),
    List { numbered: bool, items: Vec<&'a str> },
    Paragraph(Vec<&'a str>),
}

/// The item text of `line` when it is a list item: (numbered, text).
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits).then(|| line[digits..].strip_prefix(". ")).flatten().map(|rest| (true, rest))
}

/// The blocks of `text`: paragraphs split at blank lines, and within them
/// headings and runs of list items.
fn blocks(text: &str) -> Vec<Block<'_>> {
    fn flush<'a>(lines: &mut Vec<&'a str>, out: &mut Vec<Block<'a>>) {
        if !lines.is_empty() {
            out.push(Block::Paragraph(std::mem::take(lines)));
        }
    }
    let mut out = Vec::new();
    for chunk in text.split("\n\n") {
        let mut lines = Vec::new();
        for line in chunk.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(heading) = line.strip_prefix("## ") {
                flush(&mut lines, &mut out);
                out.push(Block::Heading(heading.trim()));
            } else if let Some((numbered, item)) = list_item(line) {
                flush(&mut lines, &mut out);
                match out.last_mut() {
                    Some(Block::List { numbered: n, items }) if *n == numbered => items.push(item),
                    _ => out.push(Block::List { numbered, items: vec![item] }),
                }
            } else {
                lines.push(line);
            }
        }
        flush(&mut lines, &mut out);
    }
    out
}

/// Where a link may go: the web, or a path of the shop (never `javascript:`,
/// `data:` or another scheme, nor a protocol-relative `//host`).
fn safe_href(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    let web = (lower.starts_with("https://") || lower.starts_with("http://")) && href.len() > 8;
    let path = href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\");
    (web || path) && !href.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The text of an inline span of `text` from `at`: a link `[words](href)`
/// as (words, href, length), if `text[at..]` starts one.
fn link_at(text: &str, at: usize) -> Option<(&str, &str, usize)> {
    let rest = text[at..].strip_prefix('[')?;
    let close = rest.find("](")?;
    let words = &rest[..close];
    let after = &rest[close + 2..];
    // The link ends at its closing parenthesis; pairs inside it (a Wikipedia address) are its own.
    let mut depth = 0usize;
    let end = after.char_indices().find_map(|(i, c)| match c {
        '(' => {
            depth += 1;
            None
        }
        ')' if depth == 0 => Some(i),
        ')' => {
            depth -= 1;
            None
        }
        _ => None,
    })?;
    let href = &after[..end];
    (!words.is_empty() && !words.contains('[')).then_some((words, href, 1 + close + 2 + end + 1))
}

/// Inline marks of `text` as HTML (`html`) or as words alone.
fn inline(text: &str, html: bool) -> String {
    let mut out = String::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if let Some((words, href, len)) = link_at(text, at) {
            if html && safe_href(href) {
                out.push_str(&format!(r#"<a href="{}" rel="nofollow noopener">{}</a>"#, escape(href), inline(words, true)));
            } else {
                out.push_str(&inline(words, html));
            }
            at += len;
            continue;
        }
        let mark = if rest.starts_with("**") { Some(("**", "strong")) } else if rest.starts_with('*') { Some(("*", "em")) } else if rest.starts_with('_') { Some(("_", "em")) } else { None };
        // `_` inside a word (snake_case) is no mark.
        let in_word = |s: &str| s.chars().next().is_some_and(char::is_alphanumeric);
        let after_word = text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
        let mark = mark.filter(|(m, _)| *m != "_" || !after_word);
        if let Some((mark, tag)) = mark {
            // A closing mark on the same text, with words between (not "2 * 3 * 4").
            let inner = &rest[mark.len()..];
            let closes = |c: usize| {
                c > 0 && !inner.starts_with(' ') && !inner[..c].ends_with(' ') && (mark != "_" || !in_word(&inner[c + 1..]))
            };
            if let Some(close) = inner.find(mark).filter(|&c| closes(c)) {
                let words = &inner[..close];
                if html {
                    out.push_str(&format!("<{tag}>{}</{tag}>", inline(words, true)));
                } else {
                    out.push_str(&inline(words, false));
                }
                at += mark.len() * 2 + close;
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if html {
            out.push_str(&escape(&c.to_string()));
        } else {
            out.push(c);
        }
        at += c.len_utf8();
    }
    out
}

/// `text` as safe HTML (see the module's marks).
pub fn to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Heading(words) => format!("<h3>{}</h3>", inline(words, true)),
            Block::List { numbered, items } => {
                let tag = if numbered { "ol" } else { "ul" };
                let items: String = items.iter().map(|item| format!("<li>{}</li>", inline(item, true))).collect();
                format!("<{tag}>{items}</{tag}>")
            }
            Block::Paragraph(lines) => {
                format!("<p>{}</p>", lines.iter().map(|line| inline(line, true)).collect::<Vec<_>>().join("<br>"))
            }
        })
        .collect()
}

/// The words of `text` without its marks, one space between blocks (for a
/// meta description or a search index).
pub fn plain(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    blocks(&text)
        .into_iter()
        .flat_map(|block| match block {
            Block::Heading(words) => vec![inline(words, false)],
            Block::List { items, .. } => items.iter().map(|item| inline(item, false)).collect(),
            Block::Paragraph(lines) => lines.iter().map(|line| inline(line, false)).collect(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_headings_and_marks_become_elements() {
        let text = "Soft **organic** cotton.\nMachine *washable*.\n\n## Care\n- Wash cold\n- _Never_ bleach\n\n1. Open\n2. Wear";
        assert_eq!(
            to_html(text),
            "<p>Soft <strong>organic</strong> cotton.<br>Machine <em>washable</em>.</p><h3>Care</h3>\
             <ul><li>Wash cold</li><li><em>Never</em> bleach</li></ul><ol><li>Open</li><li>Wear</li></ol>"
        );
        assert_eq!(plain(text), "Soft organic cotton. Machine washable. Care Wash cold Never bleach Open Wear");
    }

    #[test]
    fn markup_typed_by_staff_is_text_and_scripts_never_run() {
        let html = to_html("<script>alert('x')</script> & <b onmouseover=\"x\">hi</b>");
        assert_eq!(html, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b onmouseover=&quot;x&quot;&gt;hi&lt;/b&gt;</p>");
        assert!(!to_html("**<img src=x onerror=alert(1)>**").contains("<img"));
    }

    #[test]
    fn links_go_only_to_the_web_or_the_shop() {
        assert_eq!(
            to_html("See [the guide](https://example.com/a?b=1&c=2) or [lamps](/c/lamps)."),
            "<p>See <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">the guide</a> or \
             <a href=\"/c/lamps\" rel=\"nofollow noopener\">lamps</a>.</p>"
        );
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example", "/\\evil", "https://a b", "vbscript:x"] {
            let html = to_html(&format!("[click]({bad})"));
            assert_eq!(html, "<p>click</p>", "{bad}");
        }
        assert_eq!(plain("[the guide](https://example.com)"), "the guide");
        assert_eq!(to_html("[x](javascript:alert(1)) after"), "<p>x after</p>", "a refused link with parentheses leaves none behind");
        assert!(to_html("[Oak](https://en.wikipedia.org/wiki/Oak_(tree)).").contains(r#"href="https://en.wikipedia.org/wiki/Oak_(tree)""#));
    }

    #[test]
    fn lone_marks_and_arithmetic_stay_as_typed() {
        assert_eq!(to_html("2 * 3 * 4 = 24, snake_case_name, a ** b"), "<p>2 * 3 * 4 = 24, snake_case_name, a ** b</p>");
        assert_eq!(to_html("**unclosed"), "<p>**unclosed</p>");
        assert_eq!(to_html("[not a link] (x)"), "<p>[not a link] (x)</p>");
        assert_eq!(to_html("\u{e9}t\u{e9} *chaud*"), "<p>\u{e9}t\u{e9} <em>chaud</em></p>");
        assert_eq!(to_html(""), "");
    }
}
