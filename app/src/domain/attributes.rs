//! A product's attributes (colour, material, capacity…) as the editor holds
//! them: one `Name: value` a line, in the order the product page shows them.
//! Search indexes them as facets, so names are kept short and unique.

/// The most attributes one product has.
pub const MAX_ATTRIBUTES: usize = 30;

/// The editor's text as (name, value) pairs; the error names the line.
pub fn parse_attributes(raw: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, line) in raw.lines().enumerate().map(|(n, l)| (n + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("Attributes, line {n}: write “Name: value”, e.g. “Colour: Red”."));
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || value.is_empty() {
            return Err(format!("Attributes, line {n}: give both a name and a value."));
        }
        if name.chars().count() > 40 || value.chars().count() > 200 || line.chars().any(char::is_control) {
            return Err(format!("Attributes, line {n}: keep a name to 40 characters and a value to 200."));
        }
        if out.iter().any(|(other, _)| other.eq_ignore_ascii_case(name)) {
            return Err(format!("Attributes, line {n}: “{name}” is there already; give each attribute once."));
        }
        out.push((name.to_owned(), value.to_owned()));
    }
    if out.len() > MAX_ATTRIBUTES {
        return Err(format!("A product has at most {MAX_ATTRIBUTES} attributes."));
    }
    Ok(out)
}

/// The pairs as the editor's text, one `Name: value` a line.
pub fn attributes_text(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(name, value)| format!("{name}: {value}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_pairs_in_order_and_back() {
        let pairs = parse_attributes("Colour: Red\r\n\n  Material :  Oak, oiled \nFit: 10: slim").unwrap();
        let expected = [("Colour", "Red"), ("Material", "Oak, oiled"), ("Fit", "10: slim")];
        assert_eq!(pairs, expected.map(|(n, v)| (n.to_owned(), v.to_owned())).to_vec());
        assert_eq!(attributes_text(&pairs), "Colour: Red\nMaterial: Oak, oiled\nFit: 10: slim");
        assert_eq!(parse_attributes("  \n"), Ok(Vec::new()));
    }

    #[test]
    fn malformed_lines_are_named() {
        assert!(parse_attributes("Colour Red").unwrap_err().contains("line 1"));
        assert!(parse_attributes("Colour: Red\n: Oak").unwrap_err().contains("line 2"));
        assert!(parse_attributes("Colour: Red\ncolour: Blue").unwrap_err().contains("there already"));
        assert!(parse_attributes(&format!("{}: x", "n".repeat(41))).unwrap_err().contains("40 characters"));
        let many: String = (0..=MAX_ATTRIBUTES).map(|i| format!("A{i}: v\n")).collect();
        assert!(parse_attributes(&many).unwrap_err().contains("at most 30"));
    }
}
