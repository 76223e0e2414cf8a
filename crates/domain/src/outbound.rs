//! Which hosts and addresses a request Hearth sends on someone's behalf may reach (web pages
//! fetched for retrieval, and every other URL a user can steer), with Open WebUI's filter
//! list semantics (`WEB_FETCH_FILTER_LIST`): an entry names a host (matched on label
//! boundaries: `corp.com` covers `api.corp.com`, not `evilcorp.com`), an address or a CIDR
//! range; a `!` entry blocks, the others form an allow-list of hosts. Addresses that are not
//! globally routable (loopback, private, link-local, shared, documentation, multicast, …, and
//! IPv4 addresses carried inside IPv6 ones) are refused unless local fetching is on
//! (`ENABLE_LOCAL_WEB_FETCH`) or an allow entry names the address or its range.
//!
//! The policy only answers questions; the HTTP client checks every address it is about to
//! connect to (so a name that resolves differently the second time gains nothing) and every
//! redirect's target.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Open WebUI's default block entries: cloud metadata services and never-routed ranges.
pub const DEFAULT_BLOCKED: &[&str] = &[
    "169.254.169.254",
    "fd00:ec2::254",
    "metadata.google.internal",
    "metadata.azure.com",
    "100.100.100.200",
    "168.63.129.16",
    "192.88.99.0/24",
    "224.0.0.0/4",
    "::ffff:0:0:0/96",
    "64:ff9b:1::/48",
    "100:0:0:1::/64",
    "2001:1::1",
    "2001:1::2",
    "2001:20::/28",
    "2001:30::/28",
    "5f00::/16",
    "fec0::/10",
    "ff00::/8",
];

/// IPv4 ranges that are not globally routable.
const LOCAL_V4: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];

/// IPv6 ranges that are not globally routable.
const LOCAL_V6: &[&str] = &[
    "::/128",
    "::1/128",
    "::ffff:0:0/96",
    "64:ff9b:1::/48",
    "100::/64",
    "2001:db8::/32",
    "2001:2::/48",
    "2001:10::/28",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

/// Why a target was refused (for logs; users get one fixed message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The URL is not `http`/`https`, has no host, or holds characters parsers disagree on.
    Malformed,
    /// A block entry names the host or address.
    Blocked(String),
    /// An allow-list exists and does not name the host.
    NotAllowed(String),
    /// The address is not globally routable and local fetching is off.
    Local(IpAddr),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed => f.write_str("not an http(s) URL with a host"),
            Self::Blocked(target) => write!(f, "{target} is on the block list"),
            Self::NotAllowed(host) => write!(f, "{host} is not on the allow list"),
            Self::Local(address) => write!(f, "{address} is not a public address"),
        }
    }
}

/// One filter entry: a host name or an address range.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Host(String),
    Range(Range),
}

impl Entry {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_end_matches('.').to_ascii_lowercase();
        if text.is_empty() {
            return None;
        }
        Some(Range::parse(&text).map_or(Self::Host(text), Self::Range))
    }

    fn matches_host(&self, host: &str) -> bool {
        match self {
            Self::Host(pattern) => {
                host == pattern
                    || host
                        .strip_suffix(pattern.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
            Self::Range(range) => host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|address| range.contains(address)),
        }
    }
}

/// An address range (`10.0.0.0/8`, `fd00::/8`, or one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    base: u128,
    prefix: u32,
    v6: bool,
}

impl Range {
    fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u32>().ok()?)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let (bits, v6) = match address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), false),
            IpAddr::V6(v6) => (u128::from(v6), true),
        };
        let width = if v6 { 128 } else { 32 };
        let prefix = prefix.unwrap_or(width);
        (prefix <= width).then_some(Self {
            base: bits,
            prefix,
            v6,
        })
    }

    fn contains(&self, address: IpAddr) -> bool {
        let (bits, v6, width) = match address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), false, 32),
            IpAddr::V6(v6) => (u128::from(v6), true, 128),
        };
        if v6 != self.v6 {
            return false;
        }
        let shift = width - self.prefix;
        shift >= 128 || (bits >> shift) == (self.base >> shift)
    }
}

/// Where outbound requests may go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundPolicy {
    allow_local: bool,
    allow: Vec<Entry>,
    block: Vec<Entry>,
}

impl OutboundPolicy {
    /// A policy from the local-fetch switch and filter entries (`!` blocks); the default
    /// block entries always apply.
    pub fn new(allow_local: bool, entries: &[String]) -> Self {
        let mut allow = Vec::new();
        let mut block: Vec<Entry> = DEFAULT_BLOCKED
            .iter()
            .filter_map(|e| Entry::parse(e))
            .collect();
        for entry in entries {
            match entry.trim().strip_prefix('!') {
                Some(blocked) => block.extend(Entry::parse(blocked)),
                None => allow.extend(Entry::parse(entry)),
            }
        }
        Self {
            allow_local,
            allow,
            block,
        }
    }

    /// Whether local (non-global) addresses are allowed everywhere.
    pub fn allows_local(&self) -> bool {
        self.allow_local
    }

    /// Checks a URL before anything is resolved: scheme, host, the filter list on the host
    /// name, and (for an address written in the URL) the address rules.
    ///
    /// # Errors
    /// The [`Refusal`].
    pub fn check_url(&self, url: &str) -> Result<(), Refusal> {
        if url.contains(['\\', '\t', '\n', '\r']) {
            return Err(Refusal::Malformed);
        }
        let host = url_host(url).ok_or(Refusal::Malformed)?;
        self.check_host(&host)?;
        if let Ok(address) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            self.check_address(address)?;
        }
        Ok(())
    }

    /// Checks a host name against the filter list.
    ///
    /// # Errors
    /// [`Refusal::Blocked`] or [`Refusal::NotAllowed`].
    pub fn check_host(&self, host: &str) -> Result<(), Refusal> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if self.block.iter().any(|entry| entry.matches_host(&host)) {
            return Err(Refusal::Blocked(host));
        }
        let host_entries: Vec<&Entry> = self
            .allow
            .iter()
            .filter(|entry| matches!(entry, Entry::Host(_)))
            .collect();
        let is_address = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok();
        if !host_entries.is_empty()
            && !is_address
            && !host_entries.iter().any(|entry| entry.matches_host(&host))
        {
            return Err(Refusal::NotAllowed(host));
        }
        Ok(())
    }

    /// Checks an address about to be connected to, and every IPv4 address it carries.
    ///
    /// # Errors
    /// [`Refusal::Blocked`] or [`Refusal::Local`].
    pub fn check_address(&self, address: IpAddr) -> Result<(), Refusal> {
        let mut candidates = vec![address];
        if let IpAddr::V6(v6) = address {
            candidates.extend(embedded_v4(v6).into_iter().map(IpAddr::V4));
        }
        for candidate in &candidates {
            let text = candidate.to_string();
            if self.block.iter().any(|entry| entry.matches_host(&text)) {
                return Err(Refusal::Blocked(text));
            }
        }
        if self.allow_local {
            return Ok(());
        }
        for candidate in candidates {
            let allowed = self
                .allow
                .iter()
                .any(|entry| matches!(entry, Entry::Range(range) if range.contains(candidate)));
            if is_local(candidate) && !allowed {
                return Err(Refusal::Local(candidate));
            }
        }
        Ok(())
    }
}

/// Whether an address is outside the globally routable space.
pub fn is_local(address: IpAddr) -> bool {
    let ranges = match address {
        IpAddr::V4(_) => LOCAL_V4,
        IpAddr::V6(_) => LOCAL_V6,
    };
    ranges
        .iter()
        .filter_map(|r| Range::parse(r))
        .any(|range| range.contains(address))
        || address == IpAddr::V4(Ipv4Addr::BROADCAST)
}

/// The IPv4 addresses an IPv6 address carries: mapped, compatible, 6to4, Teredo, NAT64.
fn embedded_v4(address: Ipv6Addr) -> Vec<Ipv4Addr> {
    let b = address.octets();
    let last = Ipv4Addr::new(b[12], b[13], b[14], b[15]);
    let mut found = Vec::new();
    if let Some(mapped) = address.to_ipv4_mapped() {
        found.push(mapped);
    }
    if b[..12] == [0; 12] || b[..12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {
        found.push(last);
    }
    if b[..6] == [0, 0x64, 0xff, 0x9b, 0, 1] {
        found.push(Ipv4Addr::new(b[6], b[7], b[9], b[10]));
    }
    if b[..2] == [0x20, 0x02] {
        found.push(Ipv4Addr::new(b[2], b[3], b[4], b[5]));
    }
    if b[..4] == [0x20, 0x01, 0, 0] {
        found.push(Ipv4Addr::new(b[4], b[5], b[6], b[7]));
        found.push(Ipv4Addr::new(!b[12], !b[13], !b[14], !b[15]));
    }
    found
}

/// The host of an `http`/`https` URL, lower-cased; `None` for anything else.
fn url_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(local: bool, entries: &[&str]) -> OutboundPolicy {
        let entries: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
        OutboundPolicy::new(local, &entries)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn local_addresses_are_refused_until_local_fetch_is_on() {
        let strict = policy(false, &[]);
        for local in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.10.10",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd12::1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "2002:7f00:1::",
            "64:ff9b::a00:1",
        ] {
            assert!(strict.check_address(ip(local)).is_err(), "{local}");
        }
        assert_eq!(strict.check_address(ip("93.184.215.14")), Ok(()));
        assert_eq!(strict.check_address(ip("2606:4700::1111")), Ok(()));
        let open = policy(true, &[]);
        assert_eq!(open.check_address(ip("127.0.0.1")), Ok(()));
        assert!(
            open.check_address(ip("169.254.169.254")).is_err(),
            "metadata stays blocked"
        );
    }

    #[test]
    fn allow_entries_name_hosts_and_ranges_block_entries_win() {
        let list = policy(false, &["corp.com", "127.0.0.1/32", "!bad.corp.com"]);
        assert_eq!(list.check_host("api.corp.com"), Ok(()));
        assert!(list.check_host("evilcorp.com").is_err());
        assert!(list.check_host("bad.corp.com").is_err());
        assert!(list.check_host("x.bad.corp.com").is_err());
        assert_eq!(list.check_address(ip("127.0.0.1")), Ok(()));
        assert!(list.check_address(ip("127.0.0.2")).is_err());
        assert!(
            policy(false, &[])
                .check_host("metadata.google.internal")
                .is_err()
        );
    }

    #[test]
    fn urls_are_checked_on_their_real_host() {
        let strict = policy(false, &[]);
        assert!(strict.check_url("http://127.0.0.1:8080/x").is_err());
        assert!(strict.check_url("http://[::1]/").is_err());
        assert!(strict.check_url("http://user@10.0.0.1/").is_err());
        assert!(strict.check_url("http://127.0.0.1\\@1.1.1.1/").is_err());
        assert!(strict.check_url("file:///etc/passwd").is_err());
        assert!(strict.check_url("gopher://example.com/").is_err());
        assert_eq!(strict.check_url("https://example.com/a?b#c"), Ok(()));
        assert_eq!(strict.check_url("https://1.1.1.1/"), Ok(()));
    }
}
