//! Who a request came from. Behind a reverse proxy every connection comes
//! from the proxy, so the client is taken from `X-Forwarded-For` (or
//! `Forwarded: for=`) — but only when the connection comes from an address
//! the operator listed as a trusted proxy (`site.trusted_proxies`); anyone
//! else could write those headers themselves. The answer goes into the
//! request as [`ClientAddr`] for rate limits and the audit log.

use app::ssr::accounts::limits::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Address ranges whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and CIDR ranges, such as
    /// `127.0.0.1, 10.0.0.0/8, fd00::/8`; empty trusts no one.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (addr, bits) = item.split_once('/').unwrap_or((item, ""));
            let addr: IpAddr =
                addr.trim().parse().map_err(|_| format!("trusted proxy {item:?} is not an IP address or CIDR range"))?;
            let most = if addr.is_ipv4() { 32 } else { 128 };
            let bits = match bits.trim() {
                "" => most,
                bits => bits.parse::<u8>().ok().filter(|b| *b <= most).ok_or_else(|| format!("trusted proxy {item:?}: bad prefix length"))?,
            };
            ranges.push((addr, bits));
        }
        Ok(Self(ranges))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = unmap(ip);
        self.0.iter().any(|(net, bits)| match (unmap(*net), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix(u128::from(u32::from(net)), u128::from(u32::from(ip)), *bits, 32),
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix(u128::from(net), u128::from(ip), *bits, 128),
            _ => false,
        })
    }

    /// The client of a request that arrived from `peer` with `headers`: the
    /// peer itself, unless it is a trusted proxy; then the nearest address in
    /// the forwarding chain that is not a trusted proxy (walking from the
    /// right, since each proxy appends what it saw).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_chain(headers);
        let mut client = peer;
        for hop in chain.iter().rev() {
            client = *hop;
            if !self.trusts(*hop) {
                break;
            }
        }
        client
    }
}

/// Whether the first `bits` of `a` and `b` (numbers of `width` bits) agree.
fn prefix(a: u128, b: u128, bits: u8, width: u8) -> bool {
    if bits == 0 {
        return true;
    }
    let shift = u32::from(width - bits);
    (a >> shift) == (b >> shift)
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) as the IPv4 address.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses of `X-Forwarded-For`, else of `Forwarded`'s `for=`
/// parameters, left (the original client) to right; unparsable entries
/// (`unknown`, obfuscated names) end the chain there.
fn forwarded_chain(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
    };
    let xff = values("x-forwarded-for");
    let entries: Vec<String> = if !xff.is_empty() {
        xff.iter().flat_map(|v| v.split(',')).map(|s| s.trim().to_owned()).collect()
    } else {
        values("forwarded")
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
                })
            })
            .collect()
    };
    let mut chain = Vec::new();
    for entry in entries {
        match parse_hop(&entry) {
            Some(ip) => chain.push(ip),
            None => chain.clear(), // nothing left of an unreadable hop can be believed
        }
    }
    chain
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    hop.strip_prefix('[').and_then(|rest| rest.split(']').next()).and_then(|ip| ip.parse().ok())
}

/// Middleware: puts the request's [`ClientAddr`] into its extensions.
pub async fn attach(State(proxies): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = unmap(proxies.client(peer, request.headers()));
        request.extensions_mut().insert(ClientAddr(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.parse::<axum::http::HeaderName>().unwrap(), v.parse().unwrap())).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8, fd00::/8").unwrap();
        let xff = headers(&[("x-forwarded-for", "198.51.100.7, 10.1.2.3")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &xff), ip("198.51.100.7"), "the client before our own proxies");
        assert_eq!(proxies.client(ip("203.0.113.9"), &xff), ip("203.0.113.9"), "an untrusted peer's header is ignored");
        let spoofed = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.7")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &spoofed), ip("198.51.100.7"), "what the client wrote itself is not believed");
        let forwarded = headers(&[("forwarded", r#"for="[2001:db8::17]:4711";proto=https, for=10.0.0.5"#)]);
        assert_eq!(proxies.client(ip("fd00::1"), &forwarded), ip("2001:db8::17"));
        assert_eq!(proxies.client(ip("127.0.0.1"), &headers(&[])), ip("127.0.0.1"), "no header: the proxy itself");
        let unknown = headers(&[("x-forwarded-for", "198.51.100.7, unknown, 10.0.0.9")]);
        assert_eq!(proxies.client(ip("10.0.0.1"), &unknown), ip("10.0.0.9"), "nothing before an unreadable hop is believed");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }

    #[test]
    fn ipv4_written_as_ipv6_is_the_same_address() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        let xff = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(proxies.client(ip("::ffff:127.0.0.1"), &xff), ip("198.51.100.7"));
    }
}
