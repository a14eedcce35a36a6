//! Page data: a `Resource` whose server-rendered value the browser reads
//! back with the JSON reader the server functions' replies already use
//! (`serde_json::from_slice`). Leptos' default resource codec reads with
//! `from_str`, which put a second copy of every page type's deserializer
//! into the WebAssembly (BENCHMARKS.md, "WebAssembly bundle").

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON as text in the page, read as bytes.
pub struct PageJson;

impl<T: Serialize> Encoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// `Resource::new` with [`PageJson`]: loads `fetcher(source())` on the
/// server, and again in the browser whenever `source` changes.
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, PageJson>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_server_writes_the_browser_reads() {
        let value = (vec!["Größe “M”".to_string()], Some(-3_i64));
        let text = <PageJson as Encoder<_>>::encode(&value).unwrap();
        let back: (Vec<String>, Option<i64>) = <PageJson as Decoder<_>>::decode(&text).unwrap();
        assert_eq!(back, value);
    }
}
