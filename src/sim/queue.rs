//! The event queue. Total order: by time, then by when each event was armed, then by the order
//! events were scheduled (a counter), so two events at the same microsecond always run in the
//! order they were armed, the same on every target. An event is armed at the time of the last
//! event taken out, unless fast-forward says otherwise (`push_armed`: an event the full run
//! would have armed later than it is pushed; `docs/fast-forward.md`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::Time;

struct Entry<E> {
    t: Time,
    armed: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.t, self.armed, self.seq) == (other.t, other.armed, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.t, other.armed, other.seq).cmp(&(self.t, self.armed, self.seq))
    }
}

/// A min-queue of events by (time, arming time, scheduling order).
pub struct Queue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    /// The time of the last event taken out: what a pushed event is armed at.
    clock: Time,
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Queue {
            heap: BinaryHeap::new(),
            seq: 0,
            clock: 0,
        }
    }
}

impl<E> Queue<E> {
    /// Schedules `event` at `t`, armed now (at the time of the last event taken out).
    pub fn push(&mut self, t: Time, event: E) {
        self.push_armed(t, self.clock, event);
    }

    /// Schedules `event` at `t` as if it had been armed at `armed` (fast-forward: the full run
    /// arms it later than it is pushed, so it runs after the events at `t` armed before that).
    pub fn push_armed(&mut self, t: Time, armed: Time, event: E) {
        self.heap.push(Entry {
            t,
            armed,
            seq: self.seq,
            event,
        });
        self.seq += 1;
    }

    /// The time of the next event.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| e.t)
    }

    /// Removes the next event if it is at or before `limit`.
    pub fn pop_until(&mut self, limit: Time) -> Option<(Time, E)> {
        if self.heap.peek()?.t > limit {
            return None;
        }
        let e = self.heap.pop()?;
        self.clock = e.t;
        Some((e.t, e.event))
    }

    /// Every pending event, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (Time, &E)> {
        self.heap.iter().map(|e| (e.t, &e.event))
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_events_keep_scheduling_order() {
        let mut q = Queue::default();
        q.push(5, "b");
        q.push(1, "a");
        q.push(5, "c");
        q.push(5, "d");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_until(10).map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert!(q.is_empty());
    }

    #[test]
    fn same_time_events_run_in_arming_order() {
        let mut q = Queue::default();
        q.push(1, "first");
        assert_eq!(q.pop_until(1), Some((1, "first")));
        // Pushed first but armed at 3: runs after an event at 9 armed now (at 1).
        q.push_armed(9, 3, "late");
        q.push(9, "early");
        q.push_armed(9, 0, "earliest");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_until(10).map(|(_, e)| e)).collect();
        assert_eq!(order, ["earliest", "early", "late"]);
    }

    #[test]
    fn pop_until_stops_at_the_limit() {
        let mut q = Queue::default();
        q.push(5, 1);
        assert!(q.pop_until(4).is_none());
        assert_eq!(q.pop_until(5), Some((5, 1)));
    }
}
