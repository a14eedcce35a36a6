//! How an uploaded product image is named and offered to browsers: every
//! width it was resized to is a file `/media/{hash}-{width}.{ext}`, so a
//! page builds its `srcset` from the URL of the widest file alone.

/// Widths the storefront asks for (`srcset`); a smaller original is also kept at its own width.
pub const WIDTHS: [u32; 4] = [160, 320, 640, 1280];

/// Where uploaded files are served from.
pub const PREFIX: &str = "/media/";

/// The widths an image `width` pixels wide is kept at: each of [`WIDTHS`]
/// narrower than it, and its own width when under the widest.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|w| *w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    widths
}

/// The file name of the rendition of upload `hash` that is `width` wide, in
/// the format with file extension `ext`.
pub fn file_name(hash: &str, width: u32, ext: &str) -> String {
    format!("{hash}-{width}.{ext}")
}

/// The hash, widest width and extension of an uploaded image's URL; `None`
/// for any other URL (the generated demo artwork).
fn parse(url: &str) -> Option<(&str, u32, &str)> {
    let name = url.strip_prefix(PREFIX)?;
    let (stem, ext) = name.rsplit_once('.')?;
    let (hash, width) = stem.rsplit_once('-')?;
    let hex = hash.len() == 20 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let width: u32 = width.parse().ok().filter(|w| (1..=WIDTHS[WIDTHS.len() - 1]).contains(w))?;
    (hex && matches!(ext, "jpg" | "png" | "webp")).then_some((hash, width, ext))
}

/// The URL of the narrowest rendition of the upload at `url` that is at
/// least `width` wide (else its widest), in its own format; `None` when
/// `url` is not an upload.
pub fn rendition(url: &str, width: u32) -> Option<String> {
    let (hash, widest, ext) = parse(url)?;
    let widths = widths_for(widest);
    let chosen = widths.iter().copied().find(|w| *w >= width).or(widths.last().copied())?;
    Some(format!("{PREFIX}{}", file_name(hash, chosen, ext)))
}

/// The `srcset` of the uploaded image at `url`, in its own format or, with
/// `webp`, as WebP; `None` when `url` is not an upload.
pub fn srcset(url: &str, webp: bool) -> Option<String> {
    let (hash, widest, ext) = parse(url)?;
    let ext = if webp { "webp" } else { ext };
    let list: Vec<String> = widths_for(widest).into_iter().map(|w| format!("{PREFIX}{} {w}w", file_name(hash, w, ext))).collect();
    Some(list.join(", "))
}

/// Every file the uploaded image at `url` was kept as (with its WebP copies
/// when `webp`); none when `url` is not an upload.
pub fn files(url: &str, webp: bool) -> Vec<String> {
    let Some((hash, widest, ext)) = parse(url) else { return Vec::new() };
    let exts: &[&str] = if webp { &[ext, "webp"] } else { &[ext] };
    widths_for(widest).into_iter().flat_map(|w| exts.iter().map(move |e| file_name(hash, w, e))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_width_up_to_the_original_and_never_wider() {
        assert_eq!(widths_for(100), [100]);
        assert_eq!(widths_for(640), [160, 320, 640]);
        assert_eq!(widths_for(1000), [160, 320, 640, 1000]);
        assert_eq!(widths_for(4000), [160, 320, 640, 1280]);
    }

    #[test]
    fn an_upload_offers_each_width_it_was_kept_at() {
        let url = "/media/0123456789abcdef0123-1000.jpg";
        assert_eq!(
            srcset(url, false).unwrap(),
            "/media/0123456789abcdef0123-160.jpg 160w, /media/0123456789abcdef0123-320.jpg 320w, \
             /media/0123456789abcdef0123-640.jpg 640w, /media/0123456789abcdef0123-1000.jpg 1000w"
        );
        assert!(srcset(url, true).unwrap().ends_with("/media/0123456789abcdef0123-1000.webp 1000w"));
        assert_eq!(srcset("/media/0123456789abcdef0123-120.png", false).unwrap(), "/media/0123456789abcdef0123-120.png 120w");
    }

    #[test]
    fn an_upload_is_every_width_in_each_format() {
        let files = files("/media/0123456789abcdef0123-320.png", true);
        assert_eq!(files, ["0123456789abcdef0123-160.png", "0123456789abcdef0123-160.webp", "0123456789abcdef0123-320.png", "0123456789abcdef0123-320.webp"]);
        assert!(super::files("/media/product/1-0.svg", true).is_empty());
    }

    #[test]
    fn other_urls_have_no_srcset() {
        for url in [
            "/media/product/12-0.svg",
            "/media/0123456789abcdef0123-2000.jpg",
            "/media/0123456789ABCDEF0123-640.jpg",
            "/media/0123456789abcdef0123-640.gif",
            "/media/0123456789abcdef-640.jpg",
            "https://example.com/a.jpg",
            "",
        ] {
            assert_eq!(srcset(url, false), None, "{url}");
        }
    }
}
