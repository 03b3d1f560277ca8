//! A dossier's progress (seed 003's adviser portals): the share of its
//! action items that are done. A new dossier is at 0 %; it reaches 100 %
//! when every action item is done. A rejected item no longer counts (the
//! new item that asks for the document again does), so a rejection makes
//! the percentage drop.

/// Statuses of an action item, in the industry's words.
pub const STATUSES: [&str; 6] = [
    "requested",
    "received",
    "provisionally_approved",
    "approved",
    "rejected",
    "expired",
];

/// Whether an item in `status` is done for the client.
pub fn done(status: &str) -> bool {
    matches!(status, "received" | "provisionally_approved" | "approved")
}

/// Whether an item in `status` waits for the client.
pub fn open(status: &str) -> bool {
    matches!(status, "requested" | "expired")
}

/// The percentage done, 0 to 100, rounded down (100 only when all are done).
pub fn percent<'a>(statuses: impl IntoIterator<Item = &'a str>) -> u8 {
    let (mut counted, mut finished) = (0_u32, 0_u32);
    for s in statuses {
        if s == "rejected" {
            continue;
        }
        counted += 1;
        if done(s) {
            finished += 1;
        }
    }
    if counted == 0 {
        return 0;
    }
    u8::try_from(finished * 100 / counted).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_dossier_is_at_zero_and_all_done_is_a_hundred() {
        assert_eq!(percent([]), 0);
        assert_eq!(percent(["requested", "requested"]), 0);
        assert_eq!(percent(["approved", "received"]), 100);
        assert_eq!(percent(["approved", "requested", "requested"]), 33);
    }

    #[test]
    fn a_rejection_with_its_new_request_makes_it_drop() {
        let before = percent([
            "received",
            "received",
            "requested",
            "requested",
            "requested",
        ]);
        let after = percent([
            "received",
            "rejected",
            "requested",
            "requested",
            "requested",
            "requested",
        ]);
        assert_eq!((before, after), (40, 20));
    }
}
