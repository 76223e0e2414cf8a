//! The fixed windows limits count in: clock minutes and UTC days.

/// A counting window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// One clock minute, for requests.
    Minute,
    /// One UTC day, for tokens.
    Day,
}

impl Window {
    /// Its length in seconds.
    pub fn secs(self) -> i64 {
        match self {
            Self::Minute => 60,
            Self::Day => 86_400,
        }
    }

    /// The counter-key part naming what it counts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Minute => "rpm",
            Self::Day => "tpd",
        }
    }

    /// Which window `now` (epoch seconds) falls in.
    pub fn index(self, now: i64) -> i64 {
        now.div_euclid(self.secs())
    }

    /// Seconds from `now` until the next window starts (at least 1).
    pub fn retry_after(self, now: i64) -> u64 {
        let left = self.secs() - now.rem_euclid(self.secs());
        u64::try_from(left).unwrap_or(1).max(1)
    }

    /// How long a counter of this window must live: the window and a minute's slack for
    /// clocks that differ between instances.
    pub fn ttl_secs(self) -> u64 {
        u64::try_from(self.secs()).unwrap_or(60) + 60
    }
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn retry_after_counts_to_the_next_window() {
        assert_eq!(Window::Minute.retry_after(120), 60);
        assert_eq!(Window::Minute.retry_after(179), 1);
        assert_eq!(Window::Day.retry_after(86_400 + 3_600), 82_800);
        assert_eq!(Window::Minute.index(119), 1);
    }
}
