//! The agent removal rate limiter, as libprocess builds it (`limiter.hpp ::
//! RateLimiterProcess::acquire` / `_acquire`): FIFO, the first permit immediate, then one permit
//! per interval. A discarded request is skipped when its turn comes; a wake that finds only
//! discarded requests grants nothing and leaves the interval alone, so the next request after
//! the old deadline is granted at once.

use std::collections::VecDeque;

use crate::time::Time;

/// A permit request's handle.
pub type Ticket = u64;

/// What the limiter asks its owner to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Acquired {
    /// Granted now (the owner continues asynchronously).
    Now(Ticket),
    /// Queued; if `wake_at` is set, the owner must call [`RateLimiter::on_wake`] then.
    Queued {
        /// The request.
        ticket: Ticket,
        /// A wake-up to arm (only when the queue was empty).
        wake_at: Option<Time>,
    },
}

/// The shared limiter of one master process.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    interval: Time,
    /// The earliest time the next permit may be granted without queueing.
    next_free: Time,
    queue: VecDeque<(Ticket, bool)>,
    next_ticket: Ticket,
}

impl RateLimiter {
    /// A limiter granting one permit per `interval`.
    pub fn new(interval: Time) -> RateLimiter {
        RateLimiter {
            interval,
            next_free: 0,
            queue: VecDeque::new(),
            next_ticket: 0,
        }
    }

    /// Requests a permit (`acquire()`).
    pub fn acquire(&mut self, now: Time) -> Acquired {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        if !self.queue.is_empty() {
            self.queue.push_back((ticket, false));
            return Acquired::Queued {
                ticket,
                wake_at: None,
            };
        }
        if self.next_free > now {
            self.queue.push_back((ticket, false));
            return Acquired::Queued {
                ticket,
                wake_at: Some(self.next_free),
            };
        }
        self.next_free = now + self.interval;
        Acquired::Now(ticket)
    }

    /// Discards a queued request (a pong reached the observer first). Returns false if it was not
    /// queued (already granted).
    pub fn discard(&mut self, ticket: Ticket) -> bool {
        match self.queue.iter_mut().find(|(t, _)| *t == ticket) {
            Some(entry) => {
                entry.1 = true;
                true
            }
            None => false,
        }
    }

    /// The wake-up (`_acquire`): grants the first request not discarded and restarts the
    /// interval from now. If every request it pops was discarded it grants nothing and the
    /// interval is *not* restarted (`timeout` is only reset beside `promise->set`). Says when to
    /// wake next, if anything is still queued.
    pub fn on_wake(&mut self, now: Time) -> (Option<Ticket>, Option<Time>) {
        let mut granted = None;
        while let Some((ticket, discarded)) = self.queue.pop_front() {
            if !discarded {
                granted = Some(ticket);
                self.next_free = now + self.interval;
                break;
            }
        }
        let next = if self.queue.is_empty() {
            None
        } else {
            Some(self.next_free.max(now))
        };
        (granted, next)
    }

    /// True when `ticket` is waiting in the queue (not discarded).
    pub fn is_waiting(&self, ticket: Ticket) -> bool {
        self.queue.iter().any(|&(t, d)| t == ticket && !d)
    }

    /// Requests waiting (not discarded).
    pub fn waiting(&self) -> usize {
        self.queue.iter().filter(|(_, d)| !d).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_permit_immediate_then_spaced_fifo() {
        let mut l = RateLimiter::new(100);
        assert_eq!(l.acquire(10), Acquired::Now(0));
        assert_eq!(
            l.acquire(20),
            Acquired::Queued {
                ticket: 1,
                wake_at: Some(110)
            }
        );
        assert_eq!(
            l.acquire(30),
            Acquired::Queued {
                ticket: 2,
                wake_at: None
            }
        );
        assert_eq!(l.on_wake(110), (Some(1), Some(210)));
        assert_eq!(l.on_wake(210), (Some(2), None));
        // Idle long enough: immediate again.
        assert_eq!(l.acquire(1000), Acquired::Now(3));
    }

    #[test]
    fn a_wake_that_finds_only_discarded_requests_leaves_the_interval_alone() {
        let mut l = RateLimiter::new(100);
        assert_eq!(l.acquire(0), Acquired::Now(0));
        let Acquired::Queued { ticket, .. } = l.acquire(1) else {
            panic!()
        };
        assert!(l.discard(ticket));
        assert_eq!(l.on_wake(100), (None, None));
        // Nothing was granted at 100, so the deadline is still 100: a request at 150 is
        // granted at once (libprocess resets `timeout` only when it sets a promise).
        assert_eq!(l.acquire(150), Acquired::Now(2));
        // And that grant restarts the interval.
        assert_eq!(
            l.acquire(160),
            Acquired::Queued {
                ticket: 3,
                wake_at: Some(250)
            }
        );
    }

    #[test]
    fn a_discarded_head_is_skipped_and_the_next_request_granted_at_the_same_wake() {
        let mut l = RateLimiter::new(100);
        assert_eq!(l.acquire(0), Acquired::Now(0));
        let Acquired::Queued { ticket: a, .. } = l.acquire(1) else {
            panic!()
        };
        let Acquired::Queued { ticket: b, .. } = l.acquire(2) else {
            panic!()
        };
        assert!(l.discard(a));
        assert_eq!(l.on_wake(100), (Some(b), None));
        assert_eq!(
            l.acquire(120),
            Acquired::Queued {
                ticket: 3,
                wake_at: Some(200)
            }
        );
    }
}
